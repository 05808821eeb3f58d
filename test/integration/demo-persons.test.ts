import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { frozenClock } from '../../src/clock.ts'
import { seedDemoPersons } from '../../src/commands/demo-persons.ts'
import { loadConfig } from '../../src/config.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { createLogger } from '../../src/logger.ts'
import { openTestDatabase, REFERENCE_DIR, type TestDatabase } from '../support/database.ts'

describe('demo persons', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(() => database.close())

  async function seed(demoPersons: number) {
    return seedDemoPersons({
      config: { ...loadConfig({}), demoPersons },
      clock: frozenClock(new Date('2026-03-02T09:00:00Z')),
      database,
      reference: await readReferenceData(REFERENCE_DIR),
      logger: createLogger('silent'),
    })
  }

  it('are generated and imported on the first start, and reused after', async () => {
    await database.reset()
    assert.deepEqual(await seed(40), { seeded: 40 })
    const persons = await database.db.selectFrom('persons').select('person_id').execute()
    assert.equal(persons.length, 40)
    assert.deepEqual(await seed(40), { seeded: 0 }, 'a later start keeps the data it has')
    assert.equal((await database.db.selectFrom('persons').select('person_id').execute()).length, 40)
  })

  it('are not seeded when the demo asks for none', async () => {
    await database.reset()
    assert.deepEqual(await seed(0), { seeded: 0 })
    assert.equal((await database.db.selectFrom('persons').select('person_id').execute()).length, 0)
  })
})
