/**
 * What the contest pages read: the region's contests with the names a page
 * needs, one contest, and a task's contests for its History. Every read is
 * scoped to the user's regions in the query, through the contest's region
 * (which is its task's).
 */
import type { Kysely } from 'kysely'
import { inScope, type RegionScope } from '../access/region-scope.ts'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import type { ContestChannel, ContestMaker, ContestOutcome } from '../tasks/contest-input.ts'

export interface ContestView {
  readonly id: number
  readonly taskId: number
  readonly personId: string
  readonly personName: string
  readonly taskTypeName: string
  readonly romRegion: string
  readonly receivedOn: IsoDate
  readonly channel: ContestChannel
  readonly madeBy: ContestMaker
  readonly summary: string
  readonly recordedAt: Date
  readonly recordedBy: { readonly id: string; readonly name: string }
  readonly contestedVersion: number
  readonly contestedStatus: 'ACCEPTED' | 'REJECTED'
  readonly originalDecider: { readonly id: string; readonly name: string }
  readonly assignedTo: { readonly id: string; readonly name: string } | null
  readonly outcome: {
    readonly outcome: ContestOutcome
    readonly reasons: string
    readonly at: Date
    readonly by: { readonly id: string; readonly name: string }
    readonly changedTaskVersion: number | null
  } | null
}

export type ContestListFilter = 'open' | 'mine' | 'queue' | 'decided'

function contestQuery(db: Kysely<Tables>, scope: RegionScope) {
  return db
    .selectFrom('contests as c')
    .innerJoin('tasks as t', 't.id', 'c.task_id')
    .innerJoin('persons as p', 'p.person_id', 'c.person_id')
    .innerJoin('task_types as tt', 'tt.code', 't.task_type')
    .innerJoin('users as rb', 'rb.id', 'c.recorded_by')
    .innerJoin('users as od', 'od.id', 'c.original_decider')
    .leftJoin('users as at', 'at.id', 'c.assigned_to')
    .leftJoin('users as db', 'db.id', 'c.decided_by')
    .select([
      'c.id',
      'c.task_id',
      'c.person_id',
      'p.given_names',
      'p.family_name',
      'tt.name as task_type_name',
      'c.rom_region',
      'c.received_on',
      'c.channel',
      'c.made_by',
      'c.summary',
      'c.recorded_at',
      'c.recorded_by',
      'rb.name as recorded_by_name',
      'c.contested_version',
      'c.contested_status',
      'c.original_decider',
      'od.name as original_decider_name',
      'c.assigned_to',
      'at.name as assigned_to_name',
      'c.outcome',
      'c.outcome_reasons',
      'c.decided_at',
      'c.decided_by',
      'db.name as decided_by_name',
      'c.changed_task_version',
    ])
    .where((eb) => inScope(eb, 'c.rom_region', scope))
    .where((eb) => inScope(eb, 'p.rom_region', scope))
}

type ContestQueryRow = Awaited<ReturnType<ReturnType<typeof contestQuery>['executeTakeFirstOrThrow']>>

function toContestView(row: ContestQueryRow): ContestView {
  return {
    id: row.id,
    taskId: row.task_id,
    personId: row.person_id,
    personName: `${row.given_names} ${row.family_name}`,
    taskTypeName: row.task_type_name,
    romRegion: row.rom_region,
    receivedOn: row.received_on as IsoDate,
    channel: row.channel as ContestChannel,
    madeBy: row.made_by as ContestMaker,
    summary: row.summary,
    recordedAt: new Date(row.recorded_at),
    recordedBy: { id: row.recorded_by, name: row.recorded_by_name },
    contestedVersion: row.contested_version,
    contestedStatus: row.contested_status,
    originalDecider: { id: row.original_decider, name: row.original_decider_name },
    assignedTo:
      row.assigned_to === null
        ? null
        : { id: row.assigned_to, name: row.assigned_to_name ?? row.assigned_to },
    outcome:
      row.outcome === null || row.decided_at === null || row.decided_by === null
        ? null
        : {
            outcome: row.outcome,
            reasons: row.outcome_reasons ?? '',
            at: new Date(row.decided_at),
            by: { id: row.decided_by, name: row.decided_by_name ?? row.decided_by },
            changedTaskVersion: row.changed_task_version,
          },
  }
}

export async function findContest(
  db: Kysely<Tables>,
  contestId: number,
  scope: RegionScope,
): Promise<ContestView | undefined> {
  if (!Number.isSafeInteger(contestId) || contestId < 1) return undefined
  const row = await contestQuery(db, scope).where('c.id', '=', contestId).executeTakeFirst()
  return row ? toContestView(row) : undefined
}

/** The largest list page: open contests are few; older decided ones are in the MI. */
export const CONTEST_LIST_LIMIT = 200

export async function listContests(
  db: Kysely<Tables>,
  scope: RegionScope,
  filter: ContestListFilter,
  userId: string,
): Promise<ContestView[]> {
  let query = contestQuery(db, scope)
  if (filter === 'decided') query = query.where('c.outcome', 'is not', null).orderBy('c.decided_at', 'desc')
  else {
    query = query.where('c.outcome', 'is', null).orderBy('c.received_on').orderBy('c.id')
    if (filter === 'mine') query = query.where('c.assigned_to', '=', userId)
    if (filter === 'queue') query = query.where('c.assigned_to', 'is', null)
  }
  const rows = await query.limit(CONTEST_LIST_LIMIT).execute()
  return rows.map(toContestView)
}

export interface ContestCounts {
  readonly open: number
  readonly mine: number
  readonly queue: number
  readonly decided: number
}

export async function countContests(
  db: Kysely<Tables>,
  scope: RegionScope,
  userId: string,
): Promise<ContestCounts> {
  const row = await db
    .selectFrom('contests as c')
    .innerJoin('persons as p', 'p.person_id', 'c.person_id')
    .select((eb) => [
      eb.fn.countAll<number | string>().filterWhere('c.outcome', 'is', null).as('open'),
      eb.fn
        .countAll<number | string>()
        .filterWhere((w) => w.and([w('c.outcome', 'is', null), w('c.assigned_to', '=', userId)]))
        .as('mine'),
      eb.fn
        .countAll<number | string>()
        .filterWhere((w) => w.and([w('c.outcome', 'is', null), w('c.assigned_to', 'is', null)]))
        .as('queue'),
      eb.fn.countAll<number | string>().filterWhere('c.outcome', 'is not', null).as('decided'),
    ])
    .where((eb) => inScope(eb, 'c.rom_region', scope))
    .where((eb) => inScope(eb, 'p.rom_region', scope))
    .executeTakeFirstOrThrow()
  return {
    open: Number(row.open),
    mine: Number(row.mine),
    queue: Number(row.queue),
    decided: Number(row.decided),
  }
}

/** A task's contests, newest first, for its History (the task is already known to be in scope). */
export async function contestsOfTask(
  db: Kysely<Tables>,
  taskId: number,
  scope: RegionScope,
): Promise<ContestView[]> {
  const rows = await contestQuery(db, scope).where('c.task_id', '=', taskId).orderBy('c.id', 'desc').execute()
  return rows.map(toContestView)
}
