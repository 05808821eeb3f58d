/**
 * Two demo-mode instances starting together on one empty PostgreSQL
 * database: both must start, and the database must end as one seeding
 * leaves it. (PGlite allows one process per data directory, so the race
 * cannot happen there.)
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { seedDemoUsers } from '../../src/access/demo-users.ts'
import { seedDemo } from '../../src/commands/demo-seed.ts'
import type { LiveRuntime } from '../../src/commands/rules-run.ts'
import { loadConfig } from '../../src/config.ts'
import { type Database, openDatabase } from '../../src/db/connect.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { createLogger } from '../../src/logger.ts'
import {
  openTestDatabase,
  REFERENCE_DIR,
  RULES_DIR,
  type TestDatabase,
  testDatabaseUrl,
} from '../support/database.ts'
import { manualClock } from '../support/tasks.ts'

const DEMO_PERSONS = 30

describe('demo seeding by two instances at once', { skip: !testDatabaseUrl() && 'PostgreSQL only' }, () => {
  let database: TestDatabase
  /** Each instance has a pool of its own, as two processes would. */
  let instances: [Database, Database]

  before(async () => {
    database = await openTestDatabase()
    const url = database.url as string
    instances = [
      await openDatabase({ kind: 'postgres', url }, { poolSize: 4 }),
      await openDatabase({ kind: 'postgres', url }, { poolSize: 4 }),
    ]
  })
  after(async () => {
    for (const instance of instances ?? []) await instance.close()
    await database?.close()
  })
  beforeEach(() => database.reset())

  async function runtimeOf(instance: Database): Promise<LiveRuntime> {
    return {
      config: loadConfig({
        IPIC_RULES_DIR: RULES_DIR,
        IPIC_DEMO_PERSONS: String(DEMO_PERSONS),
        LOG_LEVEL: 'silent',
      }),
      clock: manualClock(),
      database: instance,
      reference: await readReferenceData(REFERENCE_DIR),
      logger: createLogger('silent'),
    }
  }

  /** What seeding left in the database: the users as they are, the persons, the tasks and the runs. */
  async function snapshot() {
    const db = database.db
    return {
      users: await db
        .selectFrom('users')
        .select(['id', 'name', 'roles', 'regions', 'all_regions'])
        .orderBy('id')
        .execute(),
      persons: (await db.selectFrom('persons').select('person_id').orderBy('person_id').execute()).map(
        (p) => p.person_id,
      ),
      tasks: (
        await db
          .selectFrom('tasks')
          .select(['task_type', 'person_id'])
          .orderBy(['task_type', 'person_id'])
          .execute()
      ).length,
      runs: (await db.selectFrom('rule_runs').select('status').execute()).map((r) => r.status),
      imports: (await db.selectFrom('imports').select('status').execute()).map((i) => i.status),
    }
  }

  it('adds each demo user once, and neither instance fails on a duplicate', async () => {
    const [first, second] = await Promise.all(instances.map((instance) => seedDemoUsers(instance.db)))
    assert.equal(first?.length, second?.length)
    const created = [...(first ?? []), ...(second ?? [])].filter((user) => user.created).length
    assert.equal(created, first?.length, 'each account is created by exactly one of them')
    const users = await database.db.selectFrom('users').select('id').execute()
    assert.equal(users.length, first?.length)
  })

  it('seeds users, persons and one rule run, as a single instance would', async () => {
    const results = await Promise.all(instances.map(async (instance) => seedDemo(await runtimeOf(instance))))
    assert.equal(results.length, 2)
    const together = await snapshot()
    assert.equal(together.persons.length, DEMO_PERSONS)
    assert.deepEqual(together.runs, ['COMPLETED'])
    assert.deepEqual(together.imports, ['COMPLETED'])

    await database.reset()
    await seedDemo(await runtimeOf(instances[0]))
    assert.deepEqual(together, await snapshot())
  })
})
