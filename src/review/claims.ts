/**
 * Who has a case open. Opening a task's case appends a case_openings row
 * (open-case.ts); nothing is ever locked, because a second caseworker may
 * still read the case, and the decision itself is guarded by the task version.
 *
 * The holder shown to others is the user who has had the case open longest
 * among those who opened it within the last CLAIM_MINUTES, counting only
 * openings since the task's last status change: a decision releases the
 * case, and someone who walked away stops holding it after half an hour.
 * Every opening is kept, so the MI can measure the time between opening a
 * case and deciding it.
 */
import type { Expression, Kysely, QueryCreator } from 'kysely'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'

/** How long an opening counts as "has this case open" without another one. */
export const CLAIM_MINUTES = 30

export interface CaseHolder {
  readonly userId: string
  readonly name: string
  /** When this user opened the case (the earliest of their recent openings). */
  readonly since: Date
}

/**
 * Who has the case open, if anyone. `statusChangedAt` is the task's last
 * status change: openings before it no longer hold the case.
 */
export async function findCaseHolder(
  db: Kysely<Tables>,
  input: { readonly taskId: number; readonly statusChangedAt: Date; readonly clock: Clock },
): Promise<CaseHolder | undefined> {
  const windowStart = claimWindowStart(input.clock)
  const openedSince = windowStart > input.statusChangedAt ? windowStart : input.statusChangedAt
  return holderOf(await caseHolderQuery(db, { taskId: input.taskId, openedSince }).executeTakeFirst())
}

/** The earliest opening that can still hold a case now: CLAIM_MINUTES ago. */
export function claimWindowStart(clock: Clock): Date {
  return new Date(clock.now().getTime() - CLAIM_MINUTES * 60_000)
}

/**
 * The query behind findCaseHolder, on any query creator, counting the
 * openings since `openedSince`: the later of claimWindowStart and the
 * task's last status change. Opening a case puts the task's read and the
 * opening's inserts in front of it (open-case.ts), one statement, and gives
 * that bound as an expression over the read rather than a value.
 */
export function caseHolderQuery(
  db: QueryCreator<Tables>,
  input: { readonly taskId: number; readonly openedSince: Date | Expression<Date> },
) {
  return db
    .selectFrom('case_openings as o')
    .innerJoin('users as u', 'u.id', 'o.user_id')
    .select(['o.user_id', 'u.name', (eb) => eb.fn.min('o.opened_at').as('since')])
    .where('o.task_id', '=', input.taskId)
    .where('o.opened_at', '>=', input.openedSince)
    .groupBy(['o.user_id', 'u.name'])
    .orderBy('since')
    .orderBy('o.user_id')
    .limit(1)
}

export function holderOf(
  row: { readonly user_id: string; readonly name: string; readonly since: unknown } | undefined,
): CaseHolder | undefined {
  return row
    ? { userId: row.user_id, name: row.name, since: new Date(row.since as Date | string) }
    : undefined
}
