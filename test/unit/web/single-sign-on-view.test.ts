import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SingleSignOnRefusal } from '../../../src/access/single-sign-on.ts'
import { loggedUrl } from '../../../src/web/server/security.ts'
import { NO_ACCESS_TITLE, singleSignOnRefusalPage } from '../../../src/web/view-models/single-sign-on.ts'

describe('the single sign-on refusal page', () => {
  const cases: [SingleSignOnRefusal, number, string][] = [
    [{ reason: 'unknown-user', providerUserId: 'sam' }, 403, NO_ACCESS_TITLE],
    [{ reason: 'inactive-user', providerUserId: 'sam' }, 403, NO_ACCESS_TITLE],
    [{ reason: 'no-user-id', claim: 'preferred_username' }, 403, NO_ACCESS_TITLE],
    [
      { reason: 'provider-error', error: 'access_denied', description: 'End-User aborted' },
      403,
      'You have not signed in',
    ],
    [
      { reason: 'provider-error', error: 'server_error', description: undefined },
      400,
      'You have not signed in',
    ],
    [{ reason: 'not-started' }, 400, 'Your sign-in could not be completed'],
    [{ reason: 'expired' }, 400, 'Your sign-in could not be completed'],
    [{ reason: 'invalid-response', check: 'state' }, 400, 'Your sign-in could not be completed'],
    [
      { reason: 'provider-unavailable', problem: 'fetch failed' },
      503,
      'Sorry, you cannot sign in at the moment',
    ],
  ]
  for (const [refusal, status, title] of cases) {
    it(`words ${refusal.reason}${'error' in refusal ? ` (${refusal.error})` : ''} with status ${status}`, () => {
      const page = singleSignOnRefusalPage(refusal, 'Staff Login')
      assert.equal(page.status, status)
      assert.equal(page.title, title)
      assert.ok(page.paragraphs.length > 0)
      const detail = Object.values(refusal).filter(
        (value): value is string => typeof value === 'string' && value !== refusal.reason && value !== 'sam',
      )
      for (const technical of detail) {
        assert.ok(!JSON.stringify(page).includes(technical), 'technical detail stays in the log')
      }
    })
  }

  it('shows the user ID the provider gave to someone without access, and says who can grant it', () => {
    const page = singleSignOnRefusalPage({ reason: 'unknown-user', providerUserId: 'sam' }, 'Staff Login')
    assert.deepEqual(page.providerUserId, { label: 'Your user ID from Staff Login', value: 'sam' })
    assert.match(page.next.text, /Ask an administrator of this service to give you access/)
    assert.equal(page.next.link, false)
  })
})

describe('the request URL in the logs', () => {
  it("replaces the provider's code and state in a sign-in callback, and leaves other URLs alone", () => {
    assert.equal(
      loggedUrl('/sign-in/callback?code=abc&state=def&iss=https%3A%2F%2Fid.example'),
      '/sign-in/callback?code=%5BRedacted%5D&state=%5BRedacted%5D&iss=https%3A%2F%2Fid.example',
    )
    assert.equal(loggedUrl('/sign-in/callback?error=access_denied'), '/sign-in/callback?error=access_denied')
    assert.equal(loggedUrl('/review-tasks/LSE/recommended?code=1'), '/review-tasks/LSE/recommended?code=1')
  })
})
