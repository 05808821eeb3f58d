/**
 * Accepting and rejecting a task over HTTP: the forms, what each refuses
 * and keeps, the confirmation pages, and what is written.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { CONFIRMED, caseDecisionsHarness } from '../support/case-decisions.ts'
import { textOf, titleOf } from '../support/web.ts'

describe('deciding a task over HTTP: accept and reject', () => {
  const fixture = caseDecisionsHarness()
  const { signedIn, submit, task, events } = fixture

  it('accepts: a reminder, an unticked confirmation, Submit, then "Case accepted" with both links', async () => {
    const client = await signedIn('cw1')
    const back = '/review-tasks/LSE/recommended?page=2'
    const form = await client.get(paths.taskDecision(fixture.taskId, 'accept', back))
    assert.equal(
      titleOf(form.body),
      'Accept task – Grace Okafor – Identify and prioritise immigration cases – GOV.UK',
    )
    assert.match(textOf(form.body), /You must record any updates to this case in CID\./)
    assert.match(textOf(form.body), /I have checked barriers, vulnerability and family circumstances/)
    assert.doesNotMatch(form.body, /checked>/, 'nothing is pre-ticked')
    assert.match(form.body, /<input type="hidden" name="version" value="1">/)

    const response = await submit(client, 'accept', CONFIRMED, back)
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, paths.taskDecided(fixture.taskId, 'accept', back))
    const done = await client.get(response.headers.location as string)
    assert.equal(done.statusCode, 200)
    assert.equal(titleOf(done.body), 'Case accepted – Identify and prioritise immigration cases – GOV.UK')
    assert.match(done.body, /govuk-panel__title[^>]*>\s*Case accepted/)
    assert.ok(done.body.includes(`href="${back}">Back to recommended cases`))
    assert.ok(done.body.includes(`href="${paths.reviewTab('accepted')}">View accepted cases`))

    const stored = await task()
    assert.equal(stored.status, 'ACCEPTED')
    assert.equal(stored.version, 2)
    assert.equal(stored.status_changed_by, 'cw1')
    const last = (await events()).at(-1)
    assert.equal(last?.status, 'ACCEPTED')
    assert.equal(last?.checks_confirmed, true)
  })

  it('refuses to accept without the confirmation, and writes nothing', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'accept', {})
    assert.equal(response.statusCode, 400)
    assert.match(titleOf(response.body), /^Error: Accept task/)
    assert.match(
      response.body,
      /href="#checksConfirmed">Confirm that you have checked barriers, vulnerability and family circumstances/,
    )
    assert.equal((await task()).status, 'RECOMMENDED')
    assert.equal((await events()).length, 1)
  })

  it('rejects with reasons and details, then "Rejected" with links back and to the rejected cases', async () => {
    const client = await signedIn('cw1')
    const form = await client.get(paths.taskDecision(fixture.taskId, 'reject'))
    const text = textOf(form.body)
    assert.match(text, /Why do you want to reject this\? Select all that apply\./)
    assert.match(text, /Legal or suspensive barrier outstanding/)
    assert.match(text, /Other \(explanation required\)/)
    assert.match(text, /Details Explain your reason\(s\)\./)
    assert.match(form.body, /maxlength|data-maxlength="1000"/)
    assert.match(text, /You must record any updates to this case in CID\./)
    assert.doesNotMatch(form.body, /checked>/, 'nothing is pre-ticked')

    const response = await submit(client, 'reject', {
      reasons: ['MEDICAL', 'FAMILY_CHILD'],
      details: 'In hospital until April.',
      ...CONFIRMED,
    })
    assert.equal(response.statusCode, 303)
    const done = await client.get(response.headers.location as string)
    assert.match(done.body, /govuk-panel__title[^>]*>\s*Rejected/)
    assert.ok(done.body.includes(`href="${paths.reviewTasks()}">Back to recommended cases`))
    assert.ok(done.body.includes(`href="${paths.reviewTab('rejected')}">View rejected cases`))
    const last = (await events()).at(-1)
    assert.deepEqual(last?.reasons, ['MEDICAL', 'FAMILY_CHILD'])
    assert.equal(last?.details, 'In hospital until April.')
    assert.equal(last?.checks_confirmed, true)
  })

  it('lists every missing answer of a rejection, and writes nothing', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'reject', { details: '   ' })
    assert.equal(response.statusCode, 400)
    const text = textOf(response.body)
    assert.match(text, /There is a problem/)
    assert.match(response.body, /href="#reasons">Select why you want to reject this task/)
    assert.match(response.body, /href="#details">Explain your reasons for rejecting this task/)
    assert.match(response.body, /href="#checksConfirmed">Confirm that you have checked/)
    assert.equal((await events()).length, 1)
  })

  it('keeps the reasons ticked and the details typed when something else is missing', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'reject', {
      reasons: ['OTHER', 'MEDICAL'],
      details: 'Seen at <clinic>',
    })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /value="OTHER" checked/)
    assert.match(response.body, /value="MEDICAL" checked/)
    assert.doesNotMatch(response.body, /value="DUPLICATE" checked/)
    assert.match(textOf(response.body), /You have this case open/)
    assert.match(response.body, /Seen at &lt;clinic&gt;<\/textarea>/)
    assert.equal((await events()).length, 1)
  })

  it('refuses "Other" without details', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'reject', { reasons: 'OTHER', ...CONFIRMED })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /href="#details">Explain your reasons/)
    assert.equal((await task()).status, 'RECOMMENDED')
  })

  it('refuses 10,000 characters of details, keeping them, and writes nothing', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'reject', {
      reasons: 'MEDICAL',
      details: 'x'.repeat(10_000),
      ...CONFIRMED,
    })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /href="#details">Details must be 1,000 characters or fewer/)
    assert.ok(response.body.includes('x'.repeat(10_000)))
    assert.equal((await events()).length, 1)
  })

  it('refuses reasons that are not in the reference data', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'reject', {
      reasons: ['MEDICAL', 'MADE_UP'],
      details: 'Forged',
      ...CONFIRMED,
    })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /href="#reasons">Select reasons from the list/)
    assert.equal((await events()).length, 1)
  })

  it('shows the case, not a confirmation, when the task is not in the confirmed status', async () => {
    const client = await signedIn('cw1')
    const response = await client.get(paths.taskDecided(fixture.taskId, 'accept'))
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, paths.task(fixture.taskId))
  })
})
