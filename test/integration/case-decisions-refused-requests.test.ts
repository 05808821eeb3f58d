/**
 * Decision requests refused before anything is decided: a missing or forged
 * CSRF token, a tampered version, and a task in another region or none.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { CONFIRMED, caseDecisionsHarness } from '../support/case-decisions.ts'
import { csrfTokenIn } from '../support/web.ts'

describe('deciding a task over HTTP: refused requests', () => {
  const fixture = caseDecisionsHarness()
  const { signedIn, events } = fixture

  it('refuses a missing or forged CSRF token, and writes nothing', async () => {
    const client = await signedIn('cw1')
    await client.get(paths.taskDecision(fixture.taskId, 'accept'))
    const missing = await client.post(paths.taskDecision(fixture.taskId, 'accept'), {
      version: '1',
      ...CONFIRMED,
    })
    assert.equal(missing.statusCode, 403)
    const forged = await client.post(paths.taskDecision(fixture.taskId, 'accept'), {
      _csrf: 'forged-token',
      version: '1',
      ...CONFIRMED,
    })
    assert.equal(forged.statusCode, 403)
    assert.equal((await events()).length, 1)
  })

  it('answers 400 to a tampered or missing version, and writes nothing', async () => {
    const client = await signedIn('cw1')
    for (const version of ['abc', '', '-1', '1.5', '99999999999']) {
      const form = await client.get(paths.taskDecision(fixture.taskId, 'accept'))
      const response = await client.post(paths.taskDecision(fixture.taskId, 'accept'), {
        _csrf: csrfTokenIn(form.body),
        version,
        ...CONFIRMED,
      })
      assert.equal(response.statusCode, 400, `version "${version}"`)
    }
    const form = await client.get(paths.taskDecision(fixture.taskId, 'accept'))
    const none = await client.post(paths.taskDecision(fixture.taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      ...CONFIRMED,
    })
    assert.equal(none.statusCode, 400)
    // A version from another time is not tampering but staleness: refused the same way as any stale decision.
    const old = await client.post(paths.taskDecision(fixture.taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      version: '7',
      ...CONFIRMED,
    })
    assert.equal(old.statusCode, 409)
    assert.equal((await events()).length, 1)
  })

  it('answers 404 to a decision on a task in another region or no task, and writes nothing', async () => {
    const client = await signedIn('cw1')
    const form = await client.get(paths.taskDecision(fixture.taskId, 'accept'))
    for (const id of [fixture.otherRegionTask, 987_654]) {
      const response = await client.post(paths.taskDecision(id, 'accept'), {
        _csrf: csrfTokenIn(form.body),
        version: '1',
        ...CONFIRMED,
      })
      assert.equal(response.statusCode, 404, `task ${id}`)
    }
    const other = await fixture.database.db
      .selectFrom('tasks')
      .select(['status', 'version'])
      .where('id', '=', fixture.otherRegionTask)
      .executeTakeFirstOrThrow()
    assert.deepEqual(other, { status: 'RECOMMENDED', version: 1 })
  })
})
