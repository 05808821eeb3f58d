/**
 * Placing a task on hold over HTTP, and changing a decision already made:
 * each change is a new step in the task's history.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { CONFIRMED, caseDecisionsHarness, MINUTE } from '../support/case-decisions.ts'
import { textOf } from '../support/web.ts'

describe('deciding a task over HTTP: hold, and changing a decision', () => {
  const fixture = caseDecisionsHarness()
  const { signedIn, submit, task, events } = fixture

  it('places on hold with an optional note, then "Task placed on hold" with links back and to the tasks on hold', async () => {
    const client = await signedIn('cw1')
    const form = await client.get(paths.taskDecision(fixture.taskId, 'hold'))
    assert.match(textOf(form.body), /Note \(optional\)/)
    const response = await submit(client, 'hold', { note: '' })
    assert.equal(response.statusCode, 303)
    const done = await client.get(response.headers.location as string)
    assert.match(done.body, /govuk-panel__title[^>]*>\s*Task placed on hold/)
    assert.ok(done.body.includes(`href="${paths.reviewTab('on-hold')}">View tasks on hold`))
    const last = (await events()).at(-1)
    assert.equal(last?.status, 'ON_HOLD')
    assert.equal(last?.note, null)
  })

  it('refuses a note that is too long', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'hold', { note: 'n'.repeat(1001) })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /href="#note">Note must be 1,000 characters or fewer/)
    assert.equal((await task()).status, 'RECOMMENDED')
  })

  it('changes a decision from hold to accept to reject, and the history shows every step', async () => {
    const client = await signedIn('cw1')
    assert.equal((await submit(client, 'hold', { note: 'Ask the GP' })).statusCode, 303)
    fixture.clock.advance(MINUTE)
    assert.equal((await submit(client, 'accept', CONFIRMED)).statusCode, 303)
    fixture.clock.advance(MINUTE)
    const manager = await signedIn('mgr')
    assert.equal(
      (await submit(manager, 'reject', { reasons: 'DUPLICATE', details: 'Already with RP', ...CONFIRMED }))
        .statusCode,
      303,
    )
    assert.deepEqual(
      (await events()).map((e) => [e.task_version, e.status, e.user_id]),
      [
        [1, 'RECOMMENDED', null],
        [2, 'ON_HOLD', 'cw1'],
        [3, 'ACCEPTED', 'cw1'],
        [4, 'REJECTED', 'mgr'],
      ],
    )
    const history = textOf((await client.get(paths.taskSection(fixture.taskId, 'history'))).body)
    const expected = [
      'Rejected by Mandy Manager 9:03am on 2 March 2026 Reasons: Duplicate or already in progress Details: Already with RP',
      'Accepted by Casey Worker 9:02am on 2 March 2026 Confirmed that barriers, vulnerability and family circumstances were checked',
      'Placed on hold by Casey Worker 9:01am on 2 March 2026 Note: Ask the GP',
      'Recommended by the rules 9:00am on 2 March 2026',
    ]
    let from = 0
    for (const step of expected) {
      const at = history.indexOf(step, from)
      assert.ok(at >= 0, `history shows "${step}" in order:\n${history}`)
      from = at + step.length
    }
  })
})
