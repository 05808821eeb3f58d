import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { pino } from 'pino'
import { UserFacingError } from '../../src/commands/errors.ts'
import { ruleSetInForce, runLiveRules } from '../../src/commands/rules-run.ts'
import { loadConfig } from '../../src/config.ts'
import type { Logger } from '../../src/logger.ts'
import { LiveRules, ruleTaskTypes } from '../../src/rules/live-rules.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import { buildServices } from '../../src/services.ts'
import type { Services } from '../../src/web/routes/dependencies.ts'
import { addCaseworker, CASEWORKER } from '../support/caseworker.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { publishForTest } from '../support/publication.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { manualClock } from '../support/tasks.ts'
import { referenceDataIn } from '../support/web.ts'

const EVERY_REGION = { all: true } as const

describe('the services built once for the process', () => {
  let database: TestDatabase
  let services: Services
  before(async () => {
    database = await openTestDatabase()
    const config = loadConfig({
      IPIC_DEMO: '0',
      IPIC_RULES_DIR: RULES_DIR,
      IPIC_REFERENCE_DIR: REFERENCE_DIR,
    })
    services = await buildServices({
      config,
      clock: manualClock(),
      database,
      reference: await referenceDataIn(REFERENCE_DIR),
    })
  })
  after(() => database.close())
  beforeEach(async () => {
    await database.reset()
    services.reviewLists.forgetAll()
    await addCaseworker(database.db)
  })

  it("counts a region's lists afresh after a decision there, and keeps the other regions' counts", async () => {
    const [lseTask] = await insertReviewTasks(database.db, [
      { personId: 'LSE-1', region: 'LSE' },
      { personId: 'LSE-2', region: 'LSE' },
      { personId: 'NW-1', region: 'NW' },
      { personId: 'NW-2', region: 'NW' },
    ])
    const lse = { region: 'LSE', scope: EVERY_REGION, search: null }
    const nw = { region: 'NW', scope: EVERY_REGION, search: null }
    assert.equal((await services.reviewLists.counts(lse)).recommended, 2)
    assert.equal((await services.reviewLists.counts(nw)).recommended, 2)

    // A change the process is not told of: the kept counts stand until they expire.
    await database.db
      .updateTable('tasks')
      .set({ status: 'ON_HOLD' })
      .where('person_id', '=', 'NW-1')
      .execute()
    const decided = await services.tasks.decide({
      taskId: lseTask!,
      expectedVersion: 1,
      decision: { status: 'ON_HOLD', note: 'Waiting for a letter' },
      user: CASEWORKER,
    })
    assert.equal(decided.kind, 'decided')

    const lseCounts = await services.reviewLists.counts(lse)
    assert.deepEqual([lseCounts.recommended, lseCounts.onHold], [1, 1], 'the decided region, counted afresh')
    const nwCounts = await services.reviewLists.counts(nw)
    assert.deepEqual([nwCounts.recommended, nwCounts.onHold], [2, 0], 'another region, as kept')
  })

  it('keeps the counts when a decision is refused', async () => {
    const [task] = await insertReviewTasks(database.db, [{ personId: 'LSE-1', region: 'LSE' }])
    const lse = { region: 'LSE', scope: EVERY_REGION, search: null }
    assert.equal((await services.reviewLists.counts(lse)).recommended, 1)
    await database.db.updateTable('tasks').set({ status: 'ON_HOLD' }).execute()
    const stale = await services.tasks.decide({
      taskId: task!,
      expectedVersion: 7,
      decision: { status: 'ACCEPTED', checksConfirmed: true },
      user: CASEWORKER,
    })
    assert.equal(stale.kind, 'stale')
    assert.equal((await services.reviewLists.counts(lse)).recommended, 1)
  })

  it('offers the search choices the reference tables hold, in the order the pages always gave', async () => {
    const { db } = database
    const lse = services.searchChoices.optionsFor({ all: false, codes: ['LSE'] }, 'LSE')
    assert.ok(lse)
    const option = ({ code, name }: { code: string; name: string }) => ({ code, name })
    assert.deepEqual(
      lse.taskTypes,
      (
        await db
          .selectFrom('task_types')
          .where('active', '=', true)
          .select(['code', 'name'])
          .orderBy('position')
          .execute()
      ).map(option),
    )
    assert.deepEqual(
      lse.countries,
      (await db.selectFrom('countries').select(['code', 'name']).orderBy('name').execute()).map(option),
    )
    assert.deepEqual(
      lse.locations,
      (
        await db
          .selectFrom('reporting_locations')
          .where('active', '=', true)
          .where('rom_region', '=', 'LSE')
          .select(['code', 'name'])
          .orderBy('name')
          .execute()
      ).map(option),
    )
    assert.deepEqual(
      services.searchChoices.regionsFor(EVERY_REGION),
      (await db.selectFrom('rom_regions').select(['code', 'name']).orderBy('position').execute()).map(option),
    )
    assert.deepEqual(
      services.searchChoices.regionsFor({ all: false, codes: ['NW', 'LSE'] }).map((region) => region.code),
      ['LSE', 'NW'],
      "the user's regions, in the reference data's order",
    )
    assert.equal(services.searchChoices.optionsFor({ all: false, codes: ['NW'] }, 'LSE'), undefined)
    assert.equal(services.searchChoices.optionsFor(EVERY_REGION, 'NOWHERE'), undefined)
  })

  it('keeps a rule set with problems as its problems, which ipic serve names before refusing to start', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'ipic-broken-live-rules-'))
    try {
      await writeFile(join(broken, 'NOT_A_TASK.yaml'), 'code: [unclosed\n')
      const rules = await LiveRules.load(database.db, broken, await referenceDataIn(REFERENCE_DIR))
      assert.equal(rules.live.kind, 'invalid')
      assert.equal(rules.version, null)
      assert.throws(
        () => ruleSetInForce(rules, broken),
        (error: unknown) =>
          error instanceof UserFacingError &&
          error.message.startsWith(`the rule set in ${broken} has 1 problem:`) &&
          error.message.includes('NOT_A_TASK.yaml'),
      )
    } finally {
      await rm(broken, { recursive: true, force: true })
    }
  })

  it('runs the rules with the rule set it loaded, whatever the rules directory holds now', async () => {
    const runtime = {
      config: loadConfig({ IPIC_DEMO: '0', IPIC_RULES_DIR: '/no/such/rules', LOG_LEVEL: 'silent' }),
      clock: manualClock(),
      database,
      reference: await referenceDataIn(REFERENCE_DIR),
      logger: pino({ level: 'silent' }) as unknown as Logger,
    }
    await publishForTest(database.db, services.rules.ruleSet())
    const run = await runLiveRules(runtime, 'start', { ruleSet: services.rules.ruleSet() })
    assert.equal(run.ruleSetVersion, services.rules.version)
  })

  it('holds the live rule set loaded at start', async () => {
    const reference = await referenceDataIn(REFERENCE_DIR)
    const ruleSet = await loadRuleSet(RULES_DIR, { taskTypes: ruleTaskTypes(reference) })
    assert.equal(services.rules.version, ruleSet.version)
    assert.equal(services.rules.ruleSet().version, ruleSet.version)
    assert.equal(services.rules.ruleSet(), services.rules.ruleSet(), 'loaded once')
  })
})
