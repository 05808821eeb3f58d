/**
 * Reference (u), the re-prioritisation floor (bench/rules.ts): what a new
 * day's run must write when nothing but the day changed. The rule set's
 * priorities count days, so most RECOMMENDED tasks take a new priority (and
 * their reporting date may move) the next day; the run writes those rows
 * and nothing else (src/tasks/reconcile.ts, refreshOpen), and writes no
 * event for them, since the status stays. (u) is that write alone: one
 * UPDATE … FROM setting the same values on the same task rows, in the same
 * table with the same indexes, from a table holding exactly the rows that
 * change (the next day's compiled matches set beside the open tasks, not
 * timed). It is rolled back, and its dead rows vacuumed away, so the run
 * measured after it finds the tasks as they were.
 */
import { type RawBuilder, sql } from 'kysely'
import type { IsoDate } from '../src/dates.ts'
import type { Database } from '../src/db/connect.ts'

/** Rolled back on purpose: the floor must leave the tables as it found them. */
class RolledBack extends Error {}

/** Seconds to write the next day's priorities and reporting dates into the tasks; how many rows it wrote. */
export async function refreshFloor(
  db: Database['db'],
  input: { nextDay: IsoDate; nextDayMatches: RawBuilder<unknown> },
): Promise<{ seconds: number; tasks: number }> {
  let measured = { seconds: Number.NaN, tasks: 0 }
  await db
    .transaction()
    .execute(async (trx) => {
      // As a run does (src/tasks/rule-run.ts).
      await sql`set local work_mem = '64MB'`.execute(trx)
      await sql`set local jit = off`.execute(trx)
      await sql`
        create temp table refresh_floor_rows on commit drop as
        select t.id, m.priority, m.reporting_date, m.facts_version::bigint as facts_version
        from (${input.nextDayMatches}) m
        join tasks t on t.person_id = m.person_id and t.task_type = m.task_type
        where t.status = 'RECOMMENDED' and t.rom_region = m.rom_region
          and (t.priority, t.reporting_date) is distinct from (m.priority, m.reporting_date)`.execute(trx)
      await sql`analyze refresh_floor_rows`.execute(trx)
      const started = performance.now()
      const written = await sql`
        update tasks t
        set priority = r.priority, reporting_date = r.reporting_date, facts_version = r.facts_version,
          evaluated_on = ${input.nextDay}::date, explanation = null
        from refresh_floor_rows r
        where t.id = r.id`.execute(trx)
      measured = {
        seconds: (performance.now() - started) / 1000,
        tasks: Number(written.numAffectedRows ?? 0),
      }
      throw new RolledBack()
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error
    })
  await sql`vacuum tasks`.execute(db)
  return measured
}
