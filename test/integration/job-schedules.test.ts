/**
 * What an instance sets up when it starts working the queue: the daily
 * audit purge and the hourly session clean-up on their cron schedules, in
 * London time, from the configuration ("off" removes one; one the queue
 * cannot read stops the start, naming the variable), and the queues'
 * settings, which a command's helper (the importer) leaves as they are.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { UserFacingError } from '../../src/commands/errors.ts'
import { startJobWork } from '../../src/commands/job-work.ts'
import type { LiveRuntime } from '../../src/commands/rules-run.ts'
import { ConfigError, clockFor, loadConfig } from '../../src/config.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { createLogger } from '../../src/logger.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'

describe('the job schedules and settings an instance sets', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(() => database.close())

  async function runtimeWith(env: Record<string, string>): Promise<LiveRuntime> {
    const config = loadConfig({ IPIC_RULES_DIR: RULES_DIR, ...env })
    // The test's database, whichever engine: the configuration only says how to reach it.
    const withDatabase = {
      ...config,
      database: database.url
        ? ({ kind: 'postgres', url: database.url } as const)
        : ({ kind: 'pglite', dataDir: '' } as const),
    }
    return {
      config: withDatabase,
      clock: clockFor(config),
      database,
      reference: await readReferenceData(REFERENCE_DIR),
      logger: createLogger('silent'),
    }
  }

  const schedules = async () => {
    const { rows } = await sql<{ name: string; cron: string; timezone: string }>`
      select name, cron, timezone from pgboss.schedule order by name`.execute(database.db)
    return rows
  }
  const heartbeats = async () => {
    const { rows } = await sql<{ name: string; heartbeat_seconds: number }>`
      select name, heartbeat_seconds from pgboss.queue where left(name, 2) <> '__' order by name`.execute(
      database.db,
    )
    return Object.fromEntries(rows.map((row) => [row.name, row.heartbeat_seconds]))
  }
  /** Every queue's heartbeat: on the embedded database there is none (its process cannot be taken over). */
  const every = (seconds: number) => {
    const value = database.url ? seconds : null
    return {
      'audit-purge': value,
      'event-delivery': value,
      'facts-history-prune': value,
      'rule-run': value,
      'session-cleanup': value,
    }
  }

  it('schedules the purge and the facts prune daily and the clean-up hourly by default, in London time', async () => {
    const queue = await startJobWork(await runtimeWith({}))
    await queue.close()
    assert.deepEqual(await schedules(), [
      { name: 'audit-purge', cron: '15 2 * * *', timezone: 'Europe/London' },
      { name: 'facts-history-prune', cron: '40 3 * * *', timezone: 'Europe/London' },
      { name: 'session-cleanup', cron: '45 * * * *', timezone: 'Europe/London' },
    ])
    assert.deepEqual(await heartbeats(), every(30))
  })

  it('takes the schedules and the heartbeat from the configuration, "off" removing a schedule', async () => {
    const queue = await startJobWork(
      await runtimeWith({
        IPIC_AUDIT_PURGE_SCHEDULE: '30  3 * * 1-5',
        IPIC_SESSION_CLEANUP_SCHEDULE: 'off',
        IPIC_FACTS_PRUNE_SCHEDULE: '0 4 * * 0',
        IPIC_JOB_HEARTBEAT_SECONDS: '20',
      }),
    )
    await queue.close()
    assert.deepEqual(await schedules(), [
      { name: 'audit-purge', cron: '30 3 * * 1-5', timezone: 'Europe/London' },
      { name: 'facts-history-prune', cron: '0 4 * * 0', timezone: 'Europe/London' },
    ])
    assert.deepEqual(await heartbeats(), every(20))
  })

  it('leaves the settings and schedules alone when a command only helps with its own rule run', async () => {
    const helper = await startJobWork(await runtimeWith({ IPIC_JOB_HEARTBEAT_SECONDS: '60' }), {
      onlyKinds: ['rule-run'],
    })
    await helper.close()
    assert.deepEqual(await heartbeats(), every(20))
    assert.equal((await schedules()).length, 2)
  })

  it('refuses a schedule the queue cannot read, naming the variable, at start', async () => {
    await assert.rejects(
      startJobWork(await runtimeWith({ IPIC_SESSION_CLEANUP_SCHEDULE: '61 * * * *' })),
      (error: unknown) =>
        error instanceof UserFacingError &&
        /^IPIC_SESSION_CLEANUP_SCHEDULE is not a schedule the job queue accepts: .*61/.test(error.message),
    )
  })

  it('refuses a schedule that is not five cron fields before anything starts', () => {
    for (const value of ['daily', '* * * *', '15 2 * * * *', "15 2 * * *'; drop table tasks"]) {
      assert.throws(
        () => loadConfig({ IPIC_AUDIT_PURGE_SCHEDULE: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message.includes('IPIC_AUDIT_PURGE_SCHEDULE: must be a cron expression of five fields'),
        value,
      )
    }
    assert.throws(() => loadConfig({ IPIC_JOB_HEARTBEAT_SECONDS: '5' }), /IPIC_JOB_HEARTBEAT_SECONDS/)
  })
})
