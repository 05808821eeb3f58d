/**
 * The case data and tasks of a database, in a form two databases (or one
 * before and after) can be compared by: what a killed and re-run command
 * left must equal what one clean run leaves. Only what the work decides is
 * compared, not when it happened or the IDs it was given.
 */
import { type Kysely, sql } from 'kysely'
import { LIST_TABLES } from '../../src/cases/person-rows.ts'
import type { Tables } from '../../src/db/tables.ts'

/** Each person as "hash|present|rows per list", by person ID. */
export async function personSnapshot(db: Kysely<Tables>): Promise<Map<string, string>> {
  const counts = Object.values(LIST_TABLES).map(
    ({ table }) => sql`(select count(*) from ${sql.table(table)} x where x.person_id = p.person_id)`,
  )
  const { rows } = await sql<{ person_id: string; fingerprint: string }>`
    select p.person_id, concat_ws('|', p.content_hash, p.present, ${sql.join(counts)}) as fingerprint
    from persons p order by p.person_id`.execute(db)
  return new Map(rows.map((row) => [row.person_id, row.fingerprint]))
}

/** Every task as "person|type|region|status|priority|reporting date", sorted. */
export async function taskSnapshot(db: Kysely<Tables>): Promise<string[]> {
  const { rows } = await sql<{ task: string }>`
    select concat_ws('|', person_id, task_type, rom_region, status, priority, reporting_date) as task
    from tasks order by 1`.execute(db)
  return rows.map((row) => row.task)
}

/** How two task snapshots differ, in a sentence (empty when they are the same). */
export function taskDifference(expected: readonly string[], actual: readonly string[]): string {
  const want = new Set(expected)
  const have = new Set(actual)
  const missing = expected.filter((task) => !have.has(task))
  const extra = actual.filter((task) => !want.has(task))
  if (missing.length === 0 && extra.length === 0 && expected.length === actual.length) return ''
  return (
    `${actual.length} tasks where a clean run made ${expected.length}: ` +
    `missing ${missing.slice(0, 3).join(', ') || 'none'}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}; ` +
    `extra ${extra.slice(0, 3).join(', ') || 'none'}${extra.length > 3 ? ` and ${extra.length - 3} more` : ''}`
  )
}

/**
 * Persons whose stored data is not what a clean import of the same file
 * stored (a person written without some of its rows: half a batch).
 */
export function personDifferences(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const problems: string[] = []
  for (const [personId, fingerprint] of actual) {
    const want = expected.get(personId)
    if (want !== fingerprint)
      problems.push(`${personId} is stored as ${fingerprint}, a clean import stores ${want}`)
  }
  return problems
}
