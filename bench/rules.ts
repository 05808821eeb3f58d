/**
 * `npm run bench:rules [-- --sizes 100000,300000,1000000 --profile realistic|stress|both]`:
 * rule runs on PostgreSQL against their references, measured in the same
 * run, for each caseload profile (both by default: realistic, then stress).
 *
 * For each size, in a database of its own (ipic_bench_rules on the server
 * named by DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test,
 * dropped and recreated): a synthetic extract is generated and imported (not
 * timed), and then, timed:
 *
 *   - the compiled rule set's evaluation alone (the matches, no explanations
 *     or writes), and with every explanation built;
 *   - reference (a): the same conditions hand-written as one plain SQL query
 *     over the same tables (bench/rules-reference.ts);
 *   - the compiled evaluation with priorities, beside reference (f), the
 *     evaluation floor: the same matches and priorities hand-written as one
 *     SELECT over the person facts table (bench/rules-facts-floor.ts), with
 *     the ratio of the two;
 *   - reference (w), the write floor: (f)'s tasks and events written by one
 *     INSERT … SELECT into the same tables (bench/rules-write-floor.ts);
 *   - reference (u), the re-prioritisation floor, just before the fifth run:
 *     the next day's new priorities and reporting dates written by one
 *     UPDATE … FROM on the same task rows (bench/rules-refresh-floor.ts);
 *   - a full rule run from an empty task table (loaded, then indexed: see
 *     src/tasks/first-run.ts), then a second run with nothing changed
 *     (incremental: see src/tasks/run-scope.ts), a third after 1% of the
 *     persons changed, a fourth with nothing changed that is made to
 *     evaluate everyone, and a fifth on the next day with nothing changed
 *     (the clock moved on one day: a full run, as every new day's first);
 *     each run's phases are printed beside (f), (w) and (u), with the issue's
 *     targets (bench/rules-report.ts);
 *   - reference (b): the same rules hand-written in TypeScript over the same
 *     rows, already loaded into memory (the load is shown, not counted).
 *
 * The counts per task type of the compiled rule set and both references must
 * agree; a difference is printed, since it means the references no longer
 * say what the rule files say.
 */

import { mkdir, stat } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type RawBuilder, sql } from 'kysely'
import { writeExtract } from '../src/cases/generate.ts'
import { importExtract } from '../src/cases/import.ts'
import { clockFixedTo } from '../src/clock.ts'
import { addDays, type IsoDate } from '../src/dates.ts'
import { type Database, openDatabase } from '../src/db/connect.ts'
import { refreshPersonFacts } from '../src/db/person-facts.ts'
import { prepareDatabase } from '../src/db/prepare.ts'
import { compileRuleSet } from '../src/rules/compile.ts'
import { compileMatches } from '../src/rules/compiled-matches.ts'
import { loadRuleSet } from '../src/rules/load.ts'
import { runRules } from '../src/tasks/rule-run.ts'
import { changedPersonsFloor, factsFloorSql } from './rules-facts-floor.ts'
import { evaluateInMemory, type PersonInMemory, personsInMemorySql, referenceSql } from './rules-reference.ts'
import { refreshFloor } from './rules-refresh-floor.ts'
import {
  agreement,
  describePhases,
  type Measured,
  number,
  phases,
  pointsAgreement,
  printGrowth,
  printSize,
  sum,
} from './rules-report.ts'
import { writeFloor } from './rules-write-floor.ts'
import { recreateBenchDatabase } from './support/database.ts'
import { benchProfiles, type CaseloadProfileName, PROFILE_OPTION } from './support/profiles.ts'
import { publishForBench } from './support/publish.ts'

const ROOT = resolve(import.meta.dirname, '..')
const REFERENCE_DIR = join(ROOT, 'reference')
const RULES_DIR = join(ROOT, 'rules')
const BENCH_DATABASE = 'ipic_bench_rules'
const TODAY = '2026-03-02' as IsoDate
const SEED = 7

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,300000,1000000' },
    /** Where generated extracts are kept between runs (they take a while to make). */
    extracts: { type: 'string', default: join(tmpdir(), 'ipic-bench-rules') },
    ...PROFILE_OPTION,
  },
})

const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
const sizes = (values.sizes ?? '').split(',').map((size) => Number(size.trim()))
if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
  throw new Error(`--sizes must be whole numbers separated by commas (got "${values.sizes}")`)
}
await mkdir(values.extracts as string, { recursive: true })

const clock = clockFixedTo(TODAY)
const summaries: { persons: number; profile: CaseloadProfileName; measured: Measured[] }[] = []
let header = false
/** The last size's phases beside their floors, printed after its table. */
let phasesReport = ''
const runs = benchProfiles(values.profile, 'both').flatMap((profile) =>
  sizes.map((persons) => ({ profile, persons })),
)
for (const { profile, persons } of runs) {
  const benchUrl = await recreateBenchDatabase(serverUrl, BENCH_DATABASE)
  const database = await openDatabase({ kind: 'postgres', url: benchUrl }, { poolSize: 2 })
  try {
    const { reference } = await prepareDatabase(database.db, REFERENCE_DIR)
    const ruleSet = await loadRuleSet(RULES_DIR, {
      taskTypes: new Map(reference.taskTypes.taskTypes.map((t) => [t.code, { enforcement: t.enforcement }])),
    })
    if (!header) {
      const version = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(
        database.db,
      )
      process.stdout.write(
        `Rule benchmark on PostgreSQL ${version.rows[0]?.v}, ${availableParallelism()} cores, ` +
          `load average ${loadavg()[0]?.toFixed(2)} at the start; rule set ${ruleSet.version} ` +
          `(${ruleSet.rules.length} rules), today ${TODAY}\n`,
      )
      header = true
    }
    const file = join(
      values.extracts as string,
      `extract-${persons}-${profile}-seed${SEED}-${TODAY}.ndjson.gz`,
    )
    const exists = await stat(file).then(
      () => true,
      () => false,
    )
    if (!exists) await writeExtract(file, { persons, seed: SEED, today: TODAY, reference, profile })
    const imported = await importExtract(database, { file, full: false, clock, reference })
    if (imported.inserted !== persons)
      throw new Error(`expected ${persons} persons, imported ${imported.inserted}`)
    await sql`vacuum analyze`.execute(database.db)
    await publishForBench(database.db, ruleSet, clock)

    const measured = await measure(database, persons, ruleSet)
    summaries.push({ persons, profile, measured })
    printSize(`${number(persons)} persons, ${profile} caseload`, persons, measured, imported.seconds)
    process.stdout.write(phasesReport)
  } finally {
    await database.close()
  }
}
printGrowth(summaries)
process.stdout.write(`Load average ${loadavg()[0]?.toFixed(2)} at the end\n`)

async function measure(
  database: Database,
  persons: number,
  ruleSet: Awaited<ReturnType<typeof loadRuleSet>>,
): Promise<Measured[]> {
  const db = database.db
  const compiled = compileRuleSet(ruleSet, { today: TODAY })
  const out: Measured[] = []
  const countsOf = (rows: { task_type: string; n: number }[]) => new Map(rows.map((r) => [r.task_type, r.n]))

  // Each evaluation twice, keeping the faster: the first also warms the caches.
  const evaluation = await bestOf(2, () =>
    sql<{ task_type: string; n: number }>`
      select task_type, count(*)::int as n from (${compiled.matches}) m group by task_type`.execute(db),
  )
  const compiledCounts = countsOf(evaluation.result.rows)
  const matches = sum(compiledCounts)
  out.push({ label: 'evaluation, compiled (matches only)', seconds: evaluation.seconds, matches })

  const explained = await bestOf(1, () =>
    sql<{ n: number }>`select count(*)::int as n, sum(length(explanation::text)) as bytes
      from (${compiled.matches}) m`.execute(db),
  )
  out.push({ label: 'evaluation, compiled, with explanations', seconds: explained.seconds, matches })

  const handWritten = await bestOf(2, () =>
    sql<{ task_type: string; n: number }>`
      select task_type, count(*)::int as n from (${referenceSql(TODAY)}) m group by task_type`.execute(db),
  )
  out.push({
    label: 'reference (a): hand-written SQL',
    seconds: handWritten.seconds,
    matches: sum(countsOf(handWritten.result.rows)),
    note: agreement(compiledCounts, countsOf(handWritten.result.rows)),
  })

  const withPriority = await bestOf(2, () => countsAndPoints(db, compiled.matches))
  out.push({
    label: 'evaluation, compiled, with priorities',
    seconds: withPriority.seconds,
    matches: sum(countsOf(withPriority.result)),
  })
  const floor = await bestOf(2, () => countsAndPoints(db, factsFloorSql(TODAY)))
  out.push({
    label: 'reference (f): one SELECT over person_facts',
    seconds: floor.seconds,
    matches: sum(countsOf(floor.result)),
    note: `${agreement(countsOf(withPriority.result), countsOf(floor.result))}; ${pointsAgreement(withPriority.result, floor.result)}; compiled is ${(withPriority.seconds / floor.seconds).toFixed(2)}× (f)`,
  })

  const write = await writeFloor(db, { today: TODAY, ruleSetVersion: ruleSet.version, now: clock.now() })
  out.push({
    label: 'reference (w): (f) + one INSERT … SELECT of tasks and events',
    seconds: write.seconds,
    matches: write.tasks,
    note: `write alone ${(write.seconds - floor.seconds).toFixed(2)} s (w minus f), rolled back`,
  })

  const full = await timed(() => runRules(db, { ruleSet, clock, trigger: 'manual' }))
  out.push({ label: 'full run from an empty task table', seconds: full.seconds, note: phases(full.result) })
  if (full.result.totals.new !== matches) {
    throw new Error(`the full run created ${full.result.totals.new} tasks for ${matches} matches`)
  }
  const again = await timed(() => runRules(db, { ruleSet, clock, trigger: 'manual' }))
  out.push({ label: 'second run, nothing changed', seconds: again.seconds, note: phases(again.result) })
  if (again.result.totals.new !== 0 || again.result.totals.withdrawn !== 0) {
    throw new Error(`the second run changed tasks: ${JSON.stringify(again.result.totals)}`)
  }
  const load = await timed(() => sql<PersonInMemory>`${personsInMemorySql}`.execute(db))
  const rows = load.result.rows
  if (rows.length !== persons) throw new Error(`loaded ${rows.length} of ${persons} persons`)
  const inMemory = await bestOf(2, async () => evaluateInMemory(rows, TODAY))
  out.push({
    label: 'reference (b): TypeScript, rows in memory',
    seconds: inMemory.seconds,
    matches: sum(inMemory.result),
    note: `${agreement(compiledCounts, inMemory.result)}; loading them took ${load.seconds.toFixed(2)} s`,
  })

  // A day's import touches a few persons: 1% of them change, facts too (not timed).
  // As many others are left alone, for (f1) over persons whose pages nothing has read since the full run.
  const onePercent = Math.ceil(persons / 100)
  const untouched = await sql<{ person_id: string }>`
    select person_id from persons order by md5(person_id) offset ${onePercent} limit ${onePercent}`.execute(
    db,
  )
  const changedIds = await sql<{ person_id: string }>`
    update persons set missed_events_90_days = missed_events_90_days + 1, data_changed_at = ${clock.now()}
    where person_id in (select person_id from persons order by md5(person_id) limit ${onePercent})
    returning person_id
  `.execute(db)
  await refreshPersonFacts(db, { personIds: changedIds.rows.map((row) => row.person_id) })
  const changed = await timed(() => runRules(db, { ruleSet, clock, trigger: 'import' }))
  out.push({
    label: 'third run, 1% of persons changed',
    seconds: changed.seconds,
    note: phases(changed.result),
  })
  const coldFloor = await changedPersonsFloor(
    db,
    TODAY,
    untouched.rows.map((row) => row.person_id),
  )
  out.push({
    label: 'reference (f1 cold): (f) over as many unchanged persons, their pages unread since the full run',
    seconds: coldFloor.seconds,
    matches: coldFloor.matches,
    note: 'the same work as (f1), reading pages the run would otherwise find in no cache',
  })
  // Measured after the run, so that the run, not the floor, reads the changed persons' facts first.
  const changedIdList = changedIds.rows.map((row) => row.person_id)
  const changedFloors = [
    await changedPersonsFloor(db, TODAY, changedIdList),
    await changedPersonsFloor(db, TODAY, changedIdList),
  ]
  const changedFloor =
    changedFloors[0]!.seconds <= changedFloors[1]!.seconds ? changedFloors[0]! : changedFloors[1]!
  out.push({
    label: 'reference (f1): (f) over the changed persons alone',
    seconds: changedFloor.seconds,
    matches: changedFloor.matches,
    note: 'their IDs in a temporary table, as the run lists them',
  })
  const forced = await timed(() => runRules(db, { ruleSet, clock, trigger: 'manual', full: true }))
  out.push({
    label: 'fourth run, nothing changed, full',
    seconds: forced.seconds,
    note: phases(forced.result),
  })

  const nextDay = clockFixedTo(addDays(TODAY, 1))
  const refresh = await refreshFloor(db, {
    nextDay: nextDay.today(),
    nextDayMatches: compileMatches(ruleSet, nextDay.today()).matches,
  })
  out.push({
    label: "reference (u): the next day's priorities by one UPDATE … FROM",
    seconds: refresh.seconds,
    matches: refresh.tasks,
    note: 'task rows re-prioritised, rolled back',
  })
  const newDay = await timed(() => runRules(db, { ruleSet, clock: nextDay, trigger: 'schedule' }))
  out.push({
    label: 'fifth run, the next day, nothing changed',
    seconds: newDay.seconds,
    note: phases(newDay.result),
  })

  phasesReport = describePhases(
    { f: floor.seconds, w: write.seconds, u: refresh, f1: changedFloor.seconds, f1Cold: coldFloor.seconds },
    { full, again, changed, forced, newDay },
  )
  return out
}

/** Matches and the sum of their priorities, per task type; without JIT, as a rule run evaluates. */
async function countsAndPoints(
  db: Database['db'],
  matches: RawBuilder<unknown>,
): Promise<{ task_type: string; n: number; points: string }[]> {
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx)
    const { rows } = await sql<{ task_type: string; n: number; points: string }>`
      select task_type, count(*)::int as n, sum(priority)::numeric(20, 2)::text as points
      from (${matches}) m group by task_type`.execute(trx)
    return rows
  })
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now()
  const result = await work()
  return { seconds: (performance.now() - started) / 1000, result }
}

async function bestOf<T>(times: number, work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  let best: { seconds: number; result: T } | undefined
  for (let i = 0; i < times; i++) {
    const attempt = await timed(work)
    if (!best || attempt.seconds < best.seconds) best = attempt
  }
  return best as { seconds: number; result: T }
}
