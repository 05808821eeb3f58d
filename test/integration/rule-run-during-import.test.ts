/**
 * A rule run does not start while an import is half way: it is refused,
 * recorded as FAILED, and changes no task. (On PGlite there is one session,
 * so an import and a run cannot overlap at all.)
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import pg from 'pg'
import { IMPORT_LOCK_KEY } from '../../src/db/import-lock.ts'
import { ImportRunningError } from '../../src/tasks/run-lock.ts'
import { openTestDatabase, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { publishRulesIn, runStandInRules } from '../support/publication.ts'
import { insertPersons, type ManualClock, manualClock } from '../support/tasks.ts'

const CLI = resolve(import.meta.dirname, '../../src/cli.ts')

describe('a rule run while an import is running', () => {
  let database: TestDatabase
  let clock: ManualClock
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(async () => {
    await database.reset()
    clock = manualClock()
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
  })
  after(() => database.close())

  const run = () => runStandInRules(database.db, clock)

  /** Another session holding the import's lock, as an import in another process does. */
  async function holdImportLock(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    await client.query(`select pg_advisory_lock(${IMPORT_LOCK_KEY})`)
    return client
  }

  it('is refused and recorded as failed, changing no task (PostgreSQL)', async (t) => {
    if (!database.url) return t.skip('PGlite has one session: an import and a run cannot overlap')
    const importing = await holdImportLock()
    try {
      await assert.rejects(run(), (error: Error) => {
        assert.ok(error instanceof ImportRunningError, String(error))
        assert.match(
          error.message,
          /^An import is running: the rules were not run on a caseload half imported/,
        )
        return true
      })
      const runs = await database.db.selectFrom('rule_runs').select(['status', 'failure']).execute()
      assert.deepEqual(
        runs.map((r) => r.status),
        ['FAILED'],
      )
      assert.match(runs[0]?.failure ?? '', /An import is running/)
      assert.deepEqual(await database.db.selectFrom('tasks').select('id').execute(), [])
    } finally {
      await importing.end()
    }
    assert.equal((await run()).totals.new, 1, 'and runs once the import has finished')
  })

  it('leaves the import lock free for the next import (PostgreSQL)', async (t) => {
    if (!database.url) return t.skip('PGlite has one session')
    await run()
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      const { rows } = await client.query(`select pg_try_advisory_lock(${IMPORT_LOCK_KEY}) as locked`)
      assert.equal(rows[0]?.locked, true)
    } finally {
      await client.end()
    }
  })

  it('`ipic rules run` explains the refusal in one line and exits non-zero (PostgreSQL)', async (t) => {
    if (!database.url) return t.skip('PGlite has one session')
    await publishRulesIn(database.db, RULES_DIR)
    const importing = await holdImportLock()
    try {
      const result = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
        const child = spawn(process.execPath, [CLI, 'rules', 'run'], {
          env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', IPIC_DEMO: '0' },
        })
        let stderr = ''
        child.stderr.on('data', (chunk) => (stderr += chunk))
        child.on('error', fail)
        child.on('exit', (code) => done({ code, stderr }))
      })
      assert.equal(result.code, 1, result.stderr)
      assert.match(
        result.stderr,
        /^ipic: An import is running: the rules were not run on a caseload half imported\./,
      )
    } finally {
      await importing.end()
    }
  })
})
