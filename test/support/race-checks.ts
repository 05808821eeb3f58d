/**
 * What must hold after a race of decisions, imports and rule runs: every
 * answer was one a caseworker should get, every task's event log replays
 * to its status, each decision has its evidence of review and audit event,
 * each caseworker's decisions are in the log exactly as often as they were
 * told "decided", the import and the runs finished, and
 * the tabs' counts on every instance equal a fresh count from the database.
 */
import { sql } from 'kysely'
import type { TestDatabase } from './database.ts'
import { type Attempt, STATUS_OF_ACTION } from './race-client.ts'
import { tabsOf } from './review-pages.ts'
import { decisionsByUser, halfWrittenDecisions, taskLogProblems } from './task-log.ts'

export interface RaceChecks {
  /** Every way the race went wrong, as sentences; empty when all held. */
  readonly problems: readonly string[]
  /** Decisions in the log, and how many of them changed an earlier decision. */
  readonly decisions: number
  readonly changes: number
  /** Tasks the rules withdrew, and tasks they recommended, during the race. */
  readonly withdrawn: number
  readonly recommendedMeanwhile: number
}

export interface RaceOutcome {
  readonly racers: readonly { readonly id: string; readonly attempts: readonly Attempt[] }[]
  /** A review list page of `region`, as a caseworker gets it through the balancer. */
  readonly tabsOf: (region: string) => Promise<Response>
  /** How many times to read each region's tabs: enough that every instance answers. */
  readonly tabReadings: number
}

/** The first few of a long list, and how many more. */
function some(items: readonly string[], shown = 5): string {
  const more = items.length - shown
  return `${items.slice(0, shown).join('; ')}${more > 0 ? `; and ${more} more` : ''}`
}

export async function checkAfterRace(database: TestDatabase, outcome: RaceOutcome): Promise<RaceChecks> {
  const { db } = database
  const problems: string[] = []
  const attempts = outcome.racers.flatMap((racer) => racer.attempts)

  const unexpected = attempts.flatMap((a) =>
    a.kind === 'unexpected'
      ? [`${a.action} ${a.taskId}: ${a.detail}`]
      : a.kind === 'unavailable'
        ? [`${a.action} ${a.taskId}: the ${a.step} answered the ${a.answer}`]
        : [],
  )
  if (unexpected.length > 0)
    problems.push(`${unexpected.length} answers a caseworker should not get: ${some(unexpected)}`)

  const logProblems = await taskLogProblems(db, { createdByRules: true })
  if (logProblems.length > 0)
    problems.push(`${logProblems.length} event logs do not replay: ${some(logProblems)}`)

  problems.push(...(await halfWrittenDecisions(db)))

  const logged = await decisionsByUser(db)
  for (const racer of outcome.racers) {
    const told = racer.attempts
      .flatMap((a) => (a.kind === 'decided' ? [`${a.taskId}:${STATUS_OF_ACTION[a.action]}`] : []))
      .sort()
    const inLog = [...(logged.get(racer.id) ?? [])].sort()
    if (told.join() !== inLog.join()) {
      problems.push(
        `${racer.id} was told ${told.length} decisions were made and the log holds ${inLog.length}: ` +
          `told ${some(told)}; logged ${some(inLog)}`,
      )
    }
  }

  const unfinished = await sql<{ what: string }>`
    select 'import ' || id || ' ' || status as what from imports where status <> 'COMPLETED'
    union all
    select 'rule run ' || id || ' ' || status from rule_runs
    -- A run asked for while the import was writing is refused, and recorded so: not a fault.
    where status <> 'COMPLETED' and not (status = 'FAILED' and failure like 'An import is running%')`.execute(
    db,
  )
  for (const row of unfinished.rows) problems.push(`${row.what}: every import and run should have completed`)

  problems.push(...(await tabCountProblems(database, outcome)))

  const figures = await sql<{ decisions: number; changes: number; withdrawn: number; recommended: number }>`
    select
      count(*) filter (where user_id is not null)::int as decisions,
      count(*) filter (where user_id is not null and previous_by_user)::int as changes,
      count(*) filter (where status = 'WITHDRAWN')::int as withdrawn,
      count(*) filter (where status = 'RECOMMENDED' and run_id > 1)::int as recommended
    from (
      select user_id, status, run_id,
        lag(user_id is not null) over (partition by task_id order by task_version) as previous_by_user
      from task_events
    ) events`.execute(db)
  const row = figures.rows[0]
  return {
    problems,
    decisions: row?.decisions ?? 0,
    changes: row?.changes ?? 0,
    withdrawn: row?.withdrawn ?? 0,
    recommendedMeanwhile: row?.recommended ?? 0,
  }
}

/** The four tabs' words as a fresh count from the database would put them: "Recommended (3)" and so on. */
async function freshTabs(database: TestDatabase, region: string): Promise<string[]> {
  // Every decision in the race was made today, well inside the decided tabs' retention.
  const counted = await database.db
    .selectFrom('tasks')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('rom_region', '=', region)
    .groupBy('status')
    .execute()
  const of = (status: string) => counted.find((row) => row.status === status)?.n ?? 0
  return [
    `Recommended (${of('RECOMMENDED')})`,
    `Accepted (${of('ACCEPTED')})`,
    `Rejected (${of('REJECTED')})`,
    `On hold (${of('ON_HOLD')})`,
  ]
}

async function tabCountProblems(database: TestDatabase, outcome: RaceOutcome): Promise<string[]> {
  const regions = await database.db
    .selectFrom('tasks')
    .select('rom_region')
    .distinct()
    .orderBy('rom_region')
    .execute()
  const problems: string[] = []
  for (const { rom_region: region } of regions) {
    const fresh = await freshTabs(database, region)
    for (let reading = 0; reading < outcome.tabReadings; reading += 1) {
      const page = await outcome.tabsOf(region)
      const shown = tabsOf(await page.text())
      if (page.status !== 200 || shown.join() !== fresh.join()) {
        problems.push(
          `${region}'s tabs read ${page.status} [${shown.join(', ')}], a fresh count [${fresh.join(', ')}]`,
        )
      }
    }
  }
  return problems
}
