import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { User } from '../../../src/access/users.ts'
import { paths } from '../../../src/web/paths.ts'
import { pageContext } from '../../../src/web/server/page-context.ts'

const jo: User = {
  id: 'jo',
  name: 'Jo Bloggs',
  email: 'jo@example.gov.uk',
  roles: ['CASEWORKER'],
  regions: { all: false, codes: ['LSE'] },
  active: true,
}

describe('pageContext', () => {
  it('gives the layout only the user’s ID and name', () => {
    const context = pageContext({ path: paths.home(), user: jo, cspNonce: 'n', csrfToken: () => 't' })
    assert.deepEqual(context.user, { id: 'jo', name: 'Jo Bloggs' })
    assert.equal(context.cspNonce, 'n')
    assert.equal(context.serviceNavigation.length, 4, 'Review tasks, My tasks, Contests and Business rules')
  })

  it('has no user and no navigation for someone not signed in', () => {
    const context = pageContext({ path: paths.home(), user: null, cspNonce: 'n', csrfToken: () => 't' })
    assert.equal(context.user, null)
    assert.deepEqual(context.serviceNavigation, [])
  })

  it('makes a CSRF token only when a template asks for one', () => {
    let made = 0
    const context = pageContext({
      path: paths.home(),
      user: null,
      cspNonce: 'n',
      csrfToken: () => {
        made++
        return 't'
      },
    })
    assert.equal(made, 0)
    assert.equal(context.csrfToken(), 't')
    assert.equal(made, 1)
  })
})
