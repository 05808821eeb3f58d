import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../../src/web/paths.ts'
import { landingAfterSignIn } from '../../../src/web/view-models/home.ts'

describe('where signing in leads', () => {
  it('takes a caseworker to the review tasks, which lead on to their search (or the choice of region)', () => {
    assert.equal(landingAfterSignIn({ roles: ['CASEWORKER'] }), paths.reviewTasks())
  })

  it('takes anyone with another role, or more than one, to the home page', () => {
    for (const roles of [
      ['MANAGER'],
      ['CASEWORKER', 'MANAGER'],
      ['ADMIN'],
      ['MI_ANALYST'],
      ['AUDITOR'],
    ] as const) {
      assert.equal(landingAfterSignIn({ roles: [...roles] }), paths.home(), roles.join(', '))
    }
  })
})
