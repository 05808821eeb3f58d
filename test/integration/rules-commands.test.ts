/**
 * The rules commands over the real rule set (rules/) and a small generated
 * caseload imported the way production imports it.
 */
import assert from 'node:assert/strict'
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import { pino } from 'pino'
import { writeExtract } from '../../src/cases/generate.ts'
import { importExtract } from '../../src/cases/import.ts'
import { UserFacingError } from '../../src/commands/errors.ts'
import { type LiveRuntime, runLiveRules } from '../../src/commands/rules-run.ts'
import { simulateAgainstLive } from '../../src/commands/rules-simulate.ts'
import { loadConfig } from '../../src/config.ts'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import type { Logger } from '../../src/logger.ts'
import { compileRuleSet } from '../../src/rules/compile.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { runIpic } from '../support/ipic-command.ts'
import { publishRulesIn } from '../support/publication.ts'
import { FIXTURE_TODAY, manualClock } from '../support/tasks.ts'

const PERSONS = 400

describe('rules commands', () => {
  let database: TestDatabase
  let scratch: string
  let liveDir: string
  let runtime: (env?: NodeJS.ProcessEnv) => Promise<LiveRuntime>

  before(async () => {
    database = await openTestDatabase()
    scratch = await mkdtemp(join(tmpdir(), 'ipic-rules-commands-'))
    liveDir = join(scratch, 'live')
    await cp(RULES_DIR, liveDir, { recursive: true })
    const reference = await readReferenceData(REFERENCE_DIR)
    runtime = async (env = {}) => ({
      config: loadConfig({ IPIC_RULES_DIR: liveDir, LOG_LEVEL: 'silent', ...env }),
      clock: manualClock(),
      database,
      reference,
      logger: pino({ level: 'silent' }) as unknown as Logger,
    })
  })
  beforeEach(async () => {
    await database.reset()
    const { reference, clock } = await runtime()
    const file = join(scratch, 'extract.ndjson')
    await writeExtract(file, { persons: PERSONS, seed: 7, today: FIXTURE_TODAY as IsoDate, reference })
    const imported = await importExtract(database, { file, full: false, clock, reference })
    assert.equal(imported.rejected, 0)
    await publishRulesIn(database.db, liveDir)
  })
  after(async () => {
    await database.close()
    await rm(scratch, { recursive: true, force: true })
  })

  async function matchesPerTaskType(directory: string): Promise<Map<string, number>> {
    const { reference } = await runtime()
    const ruleSet = await loadRuleSet(directory, {
      taskTypes: new Map(reference.taskTypes.taskTypes.map((t) => [t.code, { enforcement: t.enforcement }])),
    })
    const compiled = compileRuleSet(ruleSet, { today: FIXTURE_TODAY as IsoDate })
    const { rows } = await sql<{ task_type: string; n: number }>`
      select task_type, count(*)::int as n from (${compiled.matches}) m group by task_type`.execute(
      database.db,
    )
    return new Map(rows.map((r) => [r.task_type, r.n]))
  }

  it('runs the live rule set, recommending every match once and recording the run', async () => {
    const summary = await runLiveRules(await runtime(), 'manual')
    const expected = await matchesPerTaskType(liveDir)
    const total = [...expected.values()].reduce((a, b) => a + b, 0)
    assert.ok(total > 0, 'the generated caseload matches some rules')
    assert.equal(summary.totals.new, total)
    assert.equal(summary.personsEvaluated, PERSONS)
    const tasks = await sql<{ task_type: string; n: number }>`
      select task_type, count(*)::int as n from tasks where status = 'RECOMMENDED' group by task_type`.execute(
      database.db,
    )
    assert.deepEqual(new Map(tasks.rows.map((r) => [r.task_type, r.n])), expected)

    const stored = await database.db.selectFrom('rule_sets').selectAll().executeTakeFirstOrThrow()
    assert.equal(stored.version, summary.ruleSetVersion)
    assert.deepEqual(
      stored.files.map((f) => f.name),
      (await readdir(liveDir)).filter((name) => name.endsWith('.yaml')).sort(),
    )
    // Same rule set, same day, nobody changed: nobody to evaluate.
    const again = await runLiveRules(await runtime(), 'manual')
    assert.equal(again.scope, 'incremental')
    assert.equal(again.personsEvaluated, 0)
    assert.deepEqual(again.totals, { new: 0, unchanged: 0, withdrawn: 0, suppressed: 0 })
    const recommended = await sql<{ n: number }>`
      select count(*)::int as n from tasks where status = 'RECOMMENDED'`.execute(database.db)
    assert.equal(recommended.rows[0]?.n, total)
    // Asked for in full (`ipic rules run --full`): everyone again, still nothing new.
    const full = await runLiveRules(await runtime(), 'manual', { full: true })
    assert.equal(full.scope, 'full')
    assert.equal(full.personsEvaluated, summary.personsEvaluated)
    assert.equal(full.totals.new, 0)
    assert.equal(full.totals.unchanged, total)
  })

  it('refuses to run a rule set with problems, listing every one', async () => {
    const broken = join(scratch, 'broken')
    await rm(broken, { recursive: true, force: true })
    await cp(RULES_DIR, broken, { recursive: true })
    await writeFile(join(broken, 'NOT_A_TASK.yaml'), 'code: NOT_A_TASK\n')
    await writeFile(join(broken, 'EXTRA.yaml'), 'code: [unclosed\n')
    await assert.rejects(
      runLiveRules(await runtime({ IPIC_RULES_DIR: broken }), 'manual'),
      (error: unknown) =>
        error instanceof UserFacingError &&
        /has \d+ problems/.test(error.message) &&
        error.message.includes('NOT_A_TASK.yaml') &&
        error.message.includes('EXTRA.yaml'),
    )
    assert.equal((await database.db.selectFrom('rule_runs').select('id').execute()).length, 0)
  })

  it('simulates a draft against the live rule set without writing, counting added and removed', async () => {
    const ruleFiles = (await readdir(liveDir)).filter(
      (n) => n.endsWith('.yaml') && n !== 'global-safeguards.yaml',
    )
    const dropped = ruleFiles[0]!
    const droppedCode = dropped.replace(/\.yaml$/, '')
    const draftDir = join(scratch, 'draft')
    await rm(draftDir, { recursive: true, force: true })
    await cp(liveDir, draftDir, { recursive: true })
    await rm(join(draftDir, dropped))
    const live = await matchesPerTaskType(liveDir)

    // The live rule set is the one the last run used.
    await runLiveRules(await runtime(), 'manual')
    const report = await simulateAgainstLive(await runtime(), { rules: draftDir })
    assert.match(report, /Nothing has been written\./)
    assert.match(report, /against the live rule set \w+ \(the one the last completed rule run used\)/)
    const total = report.split('\n').find((line) => line.startsWith('Total'))
    const liveTotal = [...live.values()].reduce((a, b) => a + b, 0)
    const droppedCount = live.get(droppedCode) ?? 0
    const fmt = (n: number) => n.toLocaleString('en-GB')
    // Live, draft, added, withdrawn, unchanged.
    assert.deepEqual(total?.split(/\s+/).slice(1), [
      fmt(liveTotal),
      fmt(liveTotal - droppedCount),
      '0',
      fmt(droppedCount),
      fmt(liveTotal - droppedCount),
    ])
    assert.match(report, /Nationality, recommended for any task type/)
    assert.match(report, /Age band, recommended for any task type/)
    const runs = await database.db.selectFrom('rule_runs').select('id').execute()
    assert.equal(runs.length, 1, 'the simulation started no run')

    // Once the draft has run, it is the live rule set: the rule it lacks would add its matches.
    await publishRulesIn(database.db, draftDir)
    await runLiveRules(await runtime({ IPIC_RULES_DIR: draftDir }), 'manual')
    const reverse = await simulateAgainstLive(await runtime(), { rules: liveDir })
    const reverseTotal = reverse.split('\n').find((line) => line.startsWith('Total'))
    assert.deepEqual(reverseTotal?.split(/\s+/).slice(3, 5), [fmt(droppedCount), '0'])
  })

  it('follows an import with a rule run, unless the import says --no-rules', async () => {
    const file = join(scratch, 'extract.ndjson')
    const env = {
      IPIC_DATA_DIR: join(scratch, 'cli-import'),
      IPIC_RULES_DIR: liveDir,
      DATABASE_URL: '',
      IPIC_DEMO: '0',
    }
    const published = await runIpic(['rules', 'publish', liveDir, '--notes', 'The rules we start with.'], env)
    assert.equal(published.code, 0, published.stderr)
    const withRules = await runIpic(['import', file], env)
    assert.equal(withRules.code, 0, withRules.stderr)
    assert.match(withRules.stdout, /Rule run 1 \(import\) with rule set \w+: 400 persons evaluated/)
    const without = await runIpic(['import', file, '--no-rules'], env)
    assert.equal(without.code, 0, without.stderr)
    assert.doesNotMatch(without.stdout, /Rule run/)
  })

  it('exits with every problem of an invalid draft', async () => {
    const draftDir = join(scratch, 'invalid-draft')
    await rm(draftDir, { recursive: true, force: true })
    await cp(RULES_DIR, draftDir, { recursive: true })
    await writeFile(join(draftDir, 'NOT_A_TASK.yaml'), 'code: NOT_A_TASK\n')
    await writeFile(join(draftDir, 'EXTRA.yaml'), 'code: [unclosed\n')
    const dataDir = join(scratch, 'cli-data')
    const result = await runIpic(['rules', 'simulate', '--rules', draftDir], {
      IPIC_DATA_DIR: dataDir,
      IPIC_RULES_DIR: liveDir,
      DATABASE_URL: '',
      IPIC_DEMO: '0',
    })
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /^ipic: the rule set in .*invalid-draft has \d+ problems:/)
    assert.match(result.stderr, /NOT_A_TASK\.yaml/)
    assert.match(result.stderr, /EXTRA\.yaml/)
  })
})
