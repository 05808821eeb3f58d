/**
 * The suite's kill tests of a command (test/integration/kill-*.test.ts):
 * a database of their own, a generated extract of 6,000 persons (two import
 * batches, so a kill can fall between them), three seeded trials of the
 * given kind (test/support/kill-trials.ts), and every trial's problems
 * reported. PostgreSQL only: the embedded database dies with its process.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from './database.ts'
import { runIpic } from './ipic-command.ts'
import type { KillOptions, TrialReport } from './kill-trials.ts'

export function describeKillTrials(
  title: string,
  trialsOf: (database: TestDatabase, options: KillOptions) => Promise<TrialReport[]>,
): void {
  const skip = testDatabaseUrl()
    ? false
    : 'needs PostgreSQL (DATABASE_URL): the embedded database dies with its process'

  describe(title, { skip, timeout: 180_000 }, () => {
    let database: TestDatabase
    let folder: string
    let file: string
    before(async () => {
      database = await openTestDatabase()
      folder = await mkdtemp(join(tmpdir(), 'ipic-kill-'))
      file = join(folder, 'extract.ndjson')
      // The stress caseload: nearly a task per person, so a rule run has the most writes for a kill to cut.
      const generated = await runIpic(
        ['generate', '--persons', '6000', '--seed', '5', '--profile', 'stress', '--out', file],
        { IPIC_TODAY: '2026-03-02' },
      )
      assert.equal(generated.code, 0, generated.stderr)
    })
    after(async () => {
      await database?.close()
      if (folder) await rm(folder, { recursive: true, force: true })
    })

    it('leaves nothing half-written, and a re-run completes the work exactly', async () => {
      const trials = await trialsOf(database, { trials: 3, seed: 5, file })
      assert.equal(trials.length, 3)
      for (const trial of trials)
        assert.deepEqual(trial.problems, [], `trial ${trial.trial}: ${trial.leftBehind}`)
    })
  })
}
