/**
 * Reference (w), the write floor (bench/rules.ts): the tasks a full run from
 * empty creates, and their events, written into the same tables with the
 * same indexes by one INSERT … SELECT over reference (f)'s matches, in a
 * transaction that is rolled back so the run measured after it still starts
 * from an empty task table. The time includes (f)'s evaluation, which is
 * measured on its own beside it and subtracted to give the write alone.
 */
import { sql } from 'kysely'
import type { IsoDate } from '../src/dates.ts'
import type { Database } from '../src/db/connect.ts'
import { factsFloorSql } from './rules-facts-floor.ts'

/** Rolled back on purpose: the floor must leave the tables as it found them. */
class RolledBack extends Error {}

/** Seconds to evaluate (f) and write its tasks and events; how many tasks it wrote. */
export async function writeFloor(
  db: Database['db'],
  input: { today: IsoDate; ruleSetVersion: string; now: Date },
): Promise<{ seconds: number; tasks: number }> {
  let measured = { seconds: Number.NaN, tasks: 0 }
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`set local jit = off`.execute(trx)
      await sql`
        insert into rule_sets (version, loaded_at, files) values (${input.ruleSetVersion}, ${input.now}::timestamptz, '{}')
        on conflict (version) do nothing`.execute(trx)
      const run = await sql<{ id: number }>`
        insert into rule_runs (rule_set_version, trigger, started_at, status, counts)
        values (${input.ruleSetVersion}, 'manual', ${input.now}::timestamptz, 'RUNNING', null) returning id`.execute(
        trx,
      )
      const runId = run.rows[0]!.id
      const started = performance.now()
      const written = await sql<{ n: number }>`
        with inserted as (
          insert into tasks (
            person_id, task_type, rom_region, reporting_date, priority, status, version,
            rule_code, rule_set_version, facts_version, evaluated_on, created_at, created_by_run, status_changed_at
          )
          select m.person_id, m.task_type, f.rom_region, f.next_reporting_date, m.priority, 'RECOMMENDED', 1,
            m.task_type, ${input.ruleSetVersion}::text, f.facts_version, ${input.today}::date,
            ${input.now}::timestamptz, ${runId}::bigint, ${input.now}::timestamptz
          from (${factsFloorSql(input.today)}) m join person_facts f using (person_id)
          returning id, version
        ), recorded as (
          insert into task_events (task_id, task_version, status, occurred_at, run_id, rule_set_version)
          select id, version, 'RECOMMENDED', ${input.now}::timestamptz, ${runId}::bigint, ${input.ruleSetVersion}::text
          from inserted
        )
        select count(*)::int as n from inserted`.execute(trx)
      measured = { seconds: (performance.now() - started) / 1000, tasks: written.rows[0]!.n }
      throw new RolledBack()
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error
    })
  return measured
}
