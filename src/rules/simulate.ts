/**
 * Simulation: what a draft rule set would recommend over today's data,
 * compared with the live rule set, without writing anything; the counts of
 * a rule change's impact report (impact.ts).
 *
 * Both rule sets are evaluated inside the database once, in one statement:
 * their matches are compared with one full join on (person, task type),
 * kept as a materialised CTE, and counted per task type and region, and per
 * equality group (grouping sets: one pass for the three dimensions, for any
 * task type and for each). The groups are the dashboard's own
 * (src/mi/equality-groups.ts), read for monitoring only. It runs in a READ
 * ONLY transaction, so a simulation cannot write a task even by mistake. The
 * counts are matches: what each rule set selects, before a run's
 * bookkeeping (open tasks, suppression).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import { type EqualityDimension, monitoredPeople } from '../mi/equality-groups.ts'
import type { CompiledMatches, MatchesQuery } from './compiled-matches.ts'
import { type ImpactReport, type ImpactRow, type ImpactSettings, impactReport } from './impact.ts'

export interface CompareInput {
  /** The live rule set; null when no rule set has run, so that everything the draft matches is added. */
  readonly live: CompiledMatches | null
  readonly draft: CompiledMatches
  /** The day the rules are compiled for: ages in the equality groups are as of it too. */
  readonly today: string
  readonly settings: ImpactSettings
}

/** No rule set: matches nobody. */
const NO_MATCHES = sql`select null::text as task_type, null::text as person_id, null::text as rom_region where false`

function keysOf(matches: MatchesQuery | RawBuilder<unknown>): RawBuilder<unknown> {
  // Only the keys are selected, so the explanations need not be built.
  return sql`select mq.task_type, mq.person_id, mq.rom_region from (${matches}) mq`
}

interface Row {
  kind: ImpactRow['kind']
  task_type: string | null
  rom_region: string | null
  dimension: EqualityDimension | null
  grp: string | null
  people: number
  live: number
  draft: number
  added: number
  removed: number
  unchanged: number
}

export async function compareRuleSets(db: Kysely<Tables>, input: CompareInput): Promise<ImpactReport> {
  const live = keysOf(input.live ? input.live.matches : NO_MATCHES)
  const draft = keysOf(input.draft.matches)
  const rows = await db.transaction().execute(async (trx) => {
    await sql`set transaction read only`.execute(trx)
    const dimension = sql`case when grouping(p.nationality_name) = 0 then 'nationality'
      when grouping(p.gender) = 0 then 'gender' else 'ageBand' end`
    const group = sql`coalesce(p.nationality_name, p.gender, p.age_band)`
    const result = await sql<Row>`
      with m as materialized (
        select coalesce(d.person_id, l.person_id) as person_id,
          coalesce(d.task_type, l.task_type) as task_type,
          coalesce(d.rom_region, l.rom_region) as rom_region,
          l.person_id is not null as in_live, d.person_id is not null as in_draft
        from (${live}) l full join (${draft}) d on d.person_id = l.person_id and d.task_type = l.task_type
      ),
      p as materialized (${monitoredPeople(input.today)}),
      -- Each person once per task type, and once for any task type (task_type null).
      pm as (
        select person_id, task_type, in_live, in_draft from m
        union all
        select person_id, null, bool_or(in_live), bool_or(in_draft) from m group by person_id
      )
      select 'region' as kind, task_type, rom_region, null as dimension, null as grp, 0 as people,
        count(*) filter (where in_live)::int as live, count(*) filter (where in_draft)::int as draft,
        count(*) filter (where not in_live)::int as added, count(*) filter (where not in_draft)::int as removed,
        count(*) filter (where in_live and in_draft)::int as unchanged
      from m group by task_type, rom_region
      union all
      select 'group', pm.task_type, null, ${dimension}, ${group}, 0,
        count(*) filter (where pm.in_live)::int, count(*) filter (where pm.in_draft)::int, 0, 0, 0
      from pm join p on p.person_id = pm.person_id
      group by grouping sets ((pm.task_type, p.nationality_name), (pm.task_type, p.gender), (pm.task_type, p.age_band))
      union all
      select 'everyone', pm.task_type, null, null, null, 0,
        count(*) filter (where pm.in_live)::int, count(*) filter (where pm.in_draft)::int, 0, 0, 0
      from pm join p on p.person_id = pm.person_id group by pm.task_type
      union all
      select 'people', null, null, ${dimension}, ${group}, count(*)::int, 0, 0, 0, 0, 0
      from p group by grouping sets ((p.nationality_name), (p.gender), (p.age_band))
    `.execute(trx)
    return result.rows
  })
  return impactReport(
    rows.map(toImpactRow),
    { liveVersion: input.live?.version ?? null, draftVersion: input.draft.version, today: input.today },
    input.settings,
  )
}

function toImpactRow(row: Row): ImpactRow {
  const counts = { live: row.live, draft: row.draft }
  switch (row.kind) {
    case 'region':
      return {
        kind: 'region',
        taskType: row.task_type ?? '',
        romRegion: row.rom_region ?? '',
        ...counts,
        added: row.added,
        removed: row.removed,
        unchanged: row.unchanged,
      }
    case 'group':
      return {
        kind: 'group',
        taskType: row.task_type,
        dimension: row.dimension ?? 'nationality',
        group: row.grp ?? '',
        ...counts,
      }
    case 'everyone':
      return { kind: 'everyone', taskType: row.task_type, ...counts }
    case 'people':
      return {
        kind: 'people',
        dimension: row.dimension ?? 'nationality',
        group: row.grp ?? '',
        people: row.people,
      }
  }
}
