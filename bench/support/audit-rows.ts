/**
 * Audit events for the audit benchmark, generated set-based in PostgreSQL:
 * `total` events over about two years, a tenth of them by each of ten
 * kinds' worth of work, and one person (BENCH_PERSON) who holds `personRows`
 * of them (case sections seen and decisions by a few dozen users), the
 * rest spread over a million others. The table's indexes are dropped while
 * the rows go in and made again afterwards, exactly as the migration made
 * them (read back from pg_indexes), which is many times faster than
 * keeping them up row by row.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../../src/db/tables.ts'

export const BENCH_PERSON = 'PBENCH'
/** A user with about one event in 2,000: a typical caseworker's trail. */
export const BENCH_USER = 'user0042'

export async function generateAuditRows(
  db: Kysely<Tables>,
  input: { readonly total: number; readonly personRows: number; readonly batch?: number },
): Promise<void> {
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes
    where tablename = 'audit_events' and indexname <> 'audit_events_pkey'`.execute(db)
  for (const index of indexes.rows) await sql.raw(`drop index ${index.indexname}`).execute(db)
  const every = Math.floor(input.total / input.personRows)
  const batch = input.batch ?? 1_000_000
  for (let start = 1; start <= input.total; start += batch) {
    const end = Math.min(input.total, start + batch - 1)
    // Six-second steps from 1 June 2024: ten million events reach into 2026, ms precision as the service writes.
    await sql`
      insert into audit_events (at, user_id, kind, person_id, task_id, details)
      select
        timestamptz '2024-06-01 00:00:00+00' + g * interval '6 seconds',
        case when g % ${every}::int = 0 then 'user' || lpad(((g / ${every}::int) % 40)::text, 4, '0')
             else 'user' || lpad(((g * 7) % 2000)::text, 4, '0') end,
        case when g % ${every}::int = 0 then (case when (g / ${every}::int) % 10 = 0 then 'decision' else 'case-viewed' end)
             else (array['case-viewed','case-viewed','case-viewed','case-viewed','search','decision',
                         'sign-in','sign-out','mi-download','timed-out'])[1 + g % 10] end,
        case when g % ${every}::int = 0 then ${BENCH_PERSON}::text
             when g % 10 in (0, 1, 2, 3, 5) then 'P' || (g % 1000003) end,
        case when g % 10 in (0, 1, 2, 3, 5) or g % ${every}::int = 0 then g % 5000000 end,
        case when g % 10 = 5 or (g % ${every}::int = 0 and (g / ${every}::int) % 10 = 0)
               then jsonb_build_object('status', 'ACCEPTED', 'taskVersion', 2)
             when g % 10 in (0, 1, 2, 3) or g % ${every}::int = 0
               then jsonb_build_object('section', (array['person-details','barriers','vulnerability',
                 'family','offending','reporting-details','why-recommended'])[1 + (g / 3) % 7])
             else jsonb_build_object('method', 'password') end
      from generate_series(${start}::bigint, ${end}::bigint) g`.execute(db)
  }
  for (const index of indexes.rows) await sql.raw(index.indexdef).execute(db)
  await sql`vacuum analyze audit_events`.execute(db)
}
