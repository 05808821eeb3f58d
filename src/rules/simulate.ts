/**
 * Simulation: what a draft rule set would recommend over the live data,
 * compared with the live rule set, without writing anything.
 *
 * Both rule sets are evaluated inside the database and their matches compared
 * with one full join on (person, task type), counted per task type and
 * region. The comparison runs in a READ ONLY transaction, so a simulation
 * cannot write a task even by mistake. The counts are matches: what each rule
 * set selects, before a run's bookkeeping (open tasks, suppression).
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { CompiledMatches } from './compiled-matches.ts'

export interface SimulationRow {
  readonly taskType: string
  readonly romRegion: string
  /** Matches under the live rule set. */
  readonly live: number
  /** Matches under the draft. */
  readonly draft: number
  /** Persons the draft matches and the live rule set does not. */
  readonly added: number
  /** Persons the live rule set matches and the draft does not. */
  readonly removed: number
}

export interface Simulation {
  readonly liveVersion: string
  readonly draftVersion: string
  /** Ordered by task type, then region. */
  readonly rows: readonly SimulationRow[]
  readonly totals: Omit<SimulationRow, 'taskType' | 'romRegion'>
}

export async function compareRuleSets(
  db: Kysely<Tables>,
  input: { readonly live: CompiledMatches; readonly draft: CompiledMatches },
): Promise<Simulation> {
  const rows = await db.transaction().execute(async (trx) => {
    await sql`set transaction read only`.execute(trx)
    // Only the keys are selected, so the explanations need not be built.
    const result = await sql<{
      task_type: string
      rom_region: string
      live: number
      draft: number
      added: number
      removed: number
    }>`
      select
        coalesce(d.task_type, l.task_type) as task_type,
        coalesce(d.rom_region, l.rom_region) as rom_region,
        count(l.person_id)::int as live,
        count(d.person_id)::int as draft,
        count(*) filter (where l.person_id is null)::int as added,
        count(*) filter (where d.person_id is null)::int as removed
      from (select lm.task_type, lm.person_id, lm.rom_region from (${input.live.matches}) lm) l
      full join (select dm.task_type, dm.person_id, dm.rom_region from (${input.draft.matches}) dm) d
        on d.person_id = l.person_id and d.task_type = l.task_type
      group by 1, 2
      order by 1, 2
    `.execute(trx)
    return result.rows
  })
  const mapped = rows.map((row) => ({
    taskType: row.task_type,
    romRegion: row.rom_region,
    live: row.live,
    draft: row.draft,
    added: row.added,
    removed: row.removed,
  }))
  const totals = { live: 0, draft: 0, added: 0, removed: 0 }
  for (const row of mapped) {
    totals.live += row.live
    totals.draft += row.draft
    totals.added += row.added
    totals.removed += row.removed
  }
  return { liveVersion: input.live.version, draftVersion: input.draft.version, rows: mapped, totals }
}
