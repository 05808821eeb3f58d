/**
 * Issue 17 item 5: the real `ipic import` process killed with SIGKILL at random
 * points (test/support/kill-trials.ts), three times; `npm run kill` runs
 * twenty. Nothing is left half-written and a re-run completes the work
 * with exactly the counts of one clean run. PostgreSQL only: the embedded
 * database lives inside the process that is killed.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'
import { runIpic } from '../support/ipic-command.ts'
import { importKillTrials } from '../support/kill-trials.ts'

const skip = testDatabaseUrl()
  ? false
  : 'needs PostgreSQL (DATABASE_URL): the embedded database dies with its process'

describe('an import killed part-way', { skip, timeout: 180_000 }, () => {
  let database: TestDatabase
  let folder: string
  let file: string
  before(async () => {
    database = await openTestDatabase()
    folder = await mkdtemp(join(tmpdir(), 'ipic-kill-'))
    file = join(folder, 'extract.ndjson')
    // Two batches (5,000 and 1,000), so that a kill can fall between them.
    const generated = await runIpic(['generate', '--persons', '6000', '--seed', '5', '--out', file], {
      IPIC_TODAY: '2026-03-02',
    })
    assert.equal(generated.code, 0, generated.stderr)
  })
  after(async () => {
    await database?.close()
    if (folder) await rm(folder, { recursive: true, force: true })
  })

  it('leaves nothing half-written, and a re-run completes the work exactly', async () => {
    const trials = await importKillTrials(database, { trials: 3, seed: 5, file })
    assert.equal(trials.length, 3)
    for (const trial of trials)
      assert.deepEqual(trial.problems, [], `trial ${trial.trial}: ${trial.leftBehind}`)
  })
})
