/**
 * `node bench/index-usage.ts [-- --persons 20000 --profile realistic|stress|both]`:
 * which indexes the import and the rule runs use, each step's scans from
 * pg_stat_user_indexes, in a database of its own (ipic_bench_index_usage,
 * dropped and recreated). bench:web and bench:mi print the same for the
 * pages and the MI; together they are the evidence for
 * docs/decisions/0029-index-usage.md.
 *
 * The steps: a first import; a full rule run from an empty tasks table; a
 * second import of the same persons with other values (most of them
 * change); the incremental run it starts; a run on the next day; the facts
 * table rebuilt in full (`ipic rules facts --rebuild`).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { writeExtract } from '../src/cases/generate.ts'
import { importExtract } from '../src/cases/import.ts'
import { clockFixedTo } from '../src/clock.ts'
import { addDays, type IsoDate } from '../src/dates.ts'
import { openDatabase } from '../src/db/connect.ts'
import { rebuildAllFacts } from '../src/db/person-facts.ts'
import { prepareDatabase } from '../src/db/prepare.ts'
import { loadRuleSet } from '../src/rules/load.ts'
import { runRules } from '../src/tasks/rule-run.ts'
import { BENCH_SERVER_URL, recreateBenchDatabase } from './support/database.ts'
import { type IndexUsageSpan, printIndexUsage, settledIndexUsage } from './support/index-usage.ts'
import { benchProfiles, type CaseloadProfileName, PROFILE_OPTION } from './support/profiles.ts'
import { publishForBench } from './support/publish.ts'
import { whole } from './support/web-fixture.ts'

const ROOT = resolve(import.meta.dirname, '..')
const BENCH_DATABASE = 'ipic_bench_index_usage'
const TODAY = '2026-03-02' as IsoDate

const { values } = parseArgs({
  options: { persons: { type: 'string', default: '20000' }, ...PROFILE_OPTION },
})
const persons = whole('persons', values.persons)
for (const profile of benchProfiles(values.profile, 'both')) await measureProfile(profile)

async function measureProfile(profile: CaseloadProfileName): Promise<void> {
  const url = await recreateBenchDatabase(BENCH_SERVER_URL, BENCH_DATABASE)
  const database = await openDatabase({ kind: 'postgres', url }, { poolSize: 2 })
  const scratch = await mkdtemp(join(tmpdir(), 'ipic-bench-index-usage-'))
  const spans: IndexUsageSpan[] = []
  const step = async (label: string, work: () => Promise<unknown>) => {
    await work()
    spans.push({ label, end: await settledIndexUsage(url) })
  }
  try {
    const { reference } = await prepareDatabase(database.db, join(ROOT, 'reference'))
    const clock = clockFixedTo(TODAY)
    const ruleSet = await loadRuleSet(join(ROOT, 'rules'))
    const importWithSeed = async (seed: number) => {
      const file = join(scratch, `extract-${seed}.ndjson`)
      await writeExtract(file, { persons, seed, today: TODAY, reference, profile })
      await importExtract(database, { file, full: false, clock, reference })
    }
    await step('import', () => importWithSeed(7))
    await publishForBench(database.db, ruleSet, clock)
    await step('full run', () => runRules(database.db, { ruleSet, clock, trigger: 'manual' }))
    await step('import again', () => importWithSeed(8))
    await step('its run', () => runRules(database.db, { ruleSet, clock, trigger: 'import' }))
    await step('next day', () =>
      runRules(database.db, { ruleSet, clock: clockFixedTo(addDays(TODAY, 1)), trigger: 'manual' }),
    )
    await step('facts rebuild', () => rebuildAllFacts(database.db))
  } finally {
    await database.close()
    await rm(scratch, { recursive: true, force: true })
  }
  printIndexUsage(
    `Index scans, ${persons.toLocaleString('en-GB')} persons, ${profile} caseload, step by step`,
    spans,
  )
}
