/**
 * Issue 17 item 5 for a service instance: one of two instances behind nginx
 * killed with SIGKILL at random moments while caseworkers decide
 * (test/support/instance-kill-trials.ts), three times; `npm run kill` runs
 * twenty. Pages are answered by the other instance, and each decision is
 * wholly made or not at all, never lost once confirmed, never doubled.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'
import { instanceKillTrials } from '../support/instance-kill-trials.ts'
import { nginxInstalled } from '../support/instances.ts'

const skip = !testDatabaseUrl()
  ? 'needs PostgreSQL (DATABASE_URL): two instances cannot share the embedded database'
  : !nginxInstalled()
    ? 'needs nginx at /usr/sbin/nginx (the Debian package)'
    : false

describe('a service instance killed while caseworkers decide', { skip, timeout: 120_000 }, () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(async () => {
    await database?.close()
  })

  it('serves every page through the other instance, and makes each decision wholly or not at all', async () => {
    const trials = await instanceKillTrials(database, { trials: 3, seed: 9 })
    assert.equal(trials.length, 3)
    for (const trial of trials)
      assert.deepEqual(trial.problems, [], `trial ${trial.trial}: ${trial.leftBehind}`)
  })
})
