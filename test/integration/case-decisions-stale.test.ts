/**
 * A decision made on a task that has changed since the form was opened
 * (decided by someone else, already in that status, or withdrawn by the
 * rules) is refused with what happened, and overwrites nothing.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { CONFIRMED, caseDecisionsHarness, MINUTE } from '../support/case-decisions.ts'
import { runStandInRules } from '../support/case-tasks.ts'
import { changePerson } from '../support/tasks.ts'
import { csrfTokenIn, textOf, titleOf } from '../support/web.ts'

describe('deciding a task over HTTP: stale decisions', () => {
  const fixture = caseDecisionsHarness()
  const { signedIn, task, events } = fixture

  it('refuses a stale decision with who changed the task and when, and overwrites nothing', async () => {
    const first = await signedIn('cw1')
    const second = await signedIn('cw2')
    const firstForm = await first.get(paths.taskDecision(fixture.taskId, 'accept'))
    const secondForm = await second.get(paths.taskDecision(fixture.taskId, 'reject'))
    const rejected = await second.post(paths.taskDecision(fixture.taskId, 'reject'), {
      _csrf: csrfTokenIn(secondForm.body),
      version: '1',
      reasons: 'MEDICAL',
      details: 'In hospital',
      ...CONFIRMED,
    })
    assert.equal(rejected.statusCode, 303)
    fixture.clock.advance(MINUTE)
    const refused = await first.post(paths.taskDecision(fixture.taskId, 'accept'), {
      _csrf: csrfTokenIn(firstForm.body),
      version: '1',
      ...CONFIRMED,
    })
    assert.equal(refused.statusCode, 409)
    assert.ok(
      textOf(refused.body).includes(
        'This task was rejected by Sam Other at 9:01am on 2 March 2026. Check the case again before you decide.',
      ),
      textOf(refused.body),
    )
    assert.match(titleOf(refused.body), /^Error: /)
    // What the caseworker ticked is still there; the status shown is the task's now.
    assert.match(refused.body, /value="yes" checked/)
    assert.match(textOf(refused.body), /Status Rejected/)
    const stored = await task()
    assert.equal(stored.status, 'REJECTED')
    assert.equal(stored.status_changed_by, 'cw2')
    assert.equal((await events()).length, 2)
  })

  it('says so when the task is already in the status asked for', async () => {
    const client = await signedIn('cw1')
    const form = await client.get(paths.taskDecision(fixture.taskId, 'accept'))
    assert.equal(
      (
        await client.post(paths.taskDecision(fixture.taskId, 'accept'), {
          _csrf: csrfTokenIn(form.body),
          version: '1',
          ...CONFIRMED,
        })
      ).statusCode,
      303,
    )
    const again = await client.post(paths.taskDecision(fixture.taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      version: '2',
      ...CONFIRMED,
    })
    assert.equal(again.statusCode, 409)
    assert.match(
      textOf(again.body),
      /This task is already accepted\. Check the case again before you decide\./,
    )
    assert.equal((await events()).length, 2)
    // The form is not offered for what the task already is.
    const reopened = await client.get(paths.taskDecision(fixture.taskId, 'accept'))
    assert.equal(reopened.statusCode, 303)
    assert.equal(reopened.headers.location, paths.task(fixture.taskId))
  })

  it('refuses a decision on a withdrawn task with a clear message', async () => {
    const client = await signedIn('cw1')
    const form = await client.get(paths.taskDecision(fixture.taskId, 'accept'))
    await changePerson(fixture.database.db, 'P1', { missed_events_90_days: 0 }, fixture.clock.now())
    await runStandInRules(fixture.database.db, fixture.clock)
    fixture.clock.advance(MINUTE)
    const refused = await client.post(paths.taskDecision(fixture.taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      version: '1',
      ...CONFIRMED,
    })
    assert.equal(refused.statusCode, 409)
    assert.match(textOf(refused.body), /This task was withdrawn by the rules at 9:01am on 2 March 2026\./)
    assert.equal((await task()).status, 'WITHDRAWN')
    const withdrawnVersion = (await task()).version
    const again = await client.post(paths.taskDecision(fixture.taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      version: String(withdrawnVersion),
      ...CONFIRMED,
    })
    assert.equal(again.statusCode, 409)
    assert.equal((await task()).status, 'WITHDRAWN')
  })
})
