/**
 * Representations and contests (docs/decisions/0016-representations.md):
 * recording that the person, or someone for them, challenged a decided
 * task, and recording the review's outcome.
 *
 * The review is someone else's: whoever took the decision contested may
 * neither be assigned the contest nor record its outcome, whatever they
 * post. "Decision changed" changes the task through the decision path
 * itself (decideTaskWithin), in the same transaction as the outcome: a task
 * that moved on meanwhile is refused as stale and nothing is written.
 * Each write is audited in its own transaction.
 */
import { type Kysely, sql, type Transaction } from 'kysely'
import { rolesHolding } from '../access/permissions.ts'
import { inScope, type RegionScope } from '../access/region-scope.ts'
import { recordAuditEvent } from '../audit/events.ts'
import { type Clock, londonDateOf } from '../clock.ts'
import type { ContestRow, Tables } from '../db/tables.ts'
import { hasHiddenCharacters } from '../hidden-characters.ts'
import { recordContestEvent } from './contest-events.ts'
import {
  CONTEST_OUTCOMES,
  type ContestInput,
  type ContestOutcome,
  type ContestProblem,
  MAX_OUTCOME_REASONS_LENGTH,
  validateContestInput,
} from './contest-input.ts'
import { type DecisionProblem, type DecisionResult, decideTaskWithin } from './decisions.ts'
import type { TaskChangeListener } from './task-changes.ts'

export interface ContestUser {
  readonly id: string
  readonly regions: RegionScope
}

export type RecordContestResult =
  | { readonly kind: 'recorded'; readonly contestId: number }
  /** No such task in the user's regions. */
  | { readonly kind: 'not-found' }
  | { readonly kind: 'invalid'; readonly problems: readonly ContestProblem[] }

/** Someone who may review a contest in `region` other than `decider`: active, holding contests:review. */
export async function eligibleReviewers(
  db: Kysely<Tables> | Transaction<Tables>,
  region: string,
  decider: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('active', '=', true)
    .where('id', '<>', decider)
    .where(sql<boolean>`roles && ${sql.val([...rolesHolding('contests:review')])}::text[]`)
    .where((eb) => eb.or([eb('all_regions', '=', true), sql<boolean>`${region} = any(regions)`]))
    .orderBy('name')
    .orderBy('id')
    .execute()
}

function isOneOpenConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown }
  return e?.code === '23505' && e.constraint === 'contests_one_open'
}

export async function recordContest(
  db: Kysely<Tables>,
  input: { taskId: number; contest: ContestInput; user: ContestUser; clock: Clock },
): Promise<RecordContestResult> {
  const now = input.clock.now()
  try {
    return await db.transaction().execute(async (trx) => {
      // Locked, so that a decision cannot slip in between reading who decided and recording the contest.
      const task = await trx
        .selectFrom('tasks')
        .select(['id', 'person_id', 'rom_region', 'status', 'version', 'status_changed_by', 'created_at'])
        .where('id', '=', input.taskId)
        .where((eb) => inScope(eb, 'rom_region', input.user.regions))
        .forUpdate()
        .executeTakeFirst()
      if (!task) return { kind: 'not-found' } as const
      const checked = validateContestInput(
        input.contest,
        input.clock.today(),
        londonDateOf(new Date(task.created_at)),
      )
      const decided =
        (task.status === 'ACCEPTED' || task.status === 'REJECTED') && task.status_changed_by !== null
      const problems: ContestProblem[] = checked.ok ? [] : [...checked.problems]
      if (!decided) problems.unshift({ field: 'task', code: 'notDecided' })
      if (!checked.ok || !decided || task.status_changed_by === null)
        return { kind: 'invalid', problems } as const
      const { contest } = checked
      if (contest.assignTo !== null) {
        const eligible = await eligibleReviewers(trx, task.rom_region, task.status_changed_by)
        if (!eligible.some((user) => user.id === contest.assignTo)) {
          return { kind: 'invalid', problems: [{ field: 'assignTo', code: 'assigneeNotEligible' }] } as const
        }
      }
      const row = await trx
        .insertInto('contests')
        .values({
          task_id: task.id,
          person_id: task.person_id,
          rom_region: task.rom_region,
          received_on: contest.receivedOn,
          channel: contest.channel,
          made_by: contest.madeBy,
          summary: contest.summary,
          recorded_at: now,
          recorded_by: input.user.id,
          contested_version: task.version,
          contested_status: task.status as 'ACCEPTED' | 'REJECTED',
          original_decider: task.status_changed_by,
          assigned_to: contest.assignTo,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await recordContestEvent(trx, {
        contestId: row.id,
        change: 'CONTESTED',
        occurredAt: now,
        userId: input.user.id,
      })
      await recordAuditEvent(trx, {
        kind: 'contest-recorded',
        at: now,
        userId: input.user.id,
        personId: task.person_id,
        taskId: task.id,
        contestId: row.id,
        assignedTo: contest.assignTo,
      })
      return { kind: 'recorded', contestId: row.id } as const
    })
  } catch (error) {
    if (!isOneOpenConflict(error)) throw error
    return { kind: 'invalid', problems: [{ field: 'task', code: 'alreadyOpen' }] }
  }
}

/** The outcome as the review form sends it. */
export interface OutcomeInput {
  readonly outcome: string
  readonly reasons: string
  /** The task version the reviewer saw: a change is refused if the task has moved on. */
  readonly taskVersion: number
  /** For a change to a rejection: the rejection reason codes. */
  readonly rejectionReasons: readonly string[]
  readonly checksConfirmed: boolean
}

export type OutcomeProblem =
  | { readonly field: 'outcome'; readonly code: 'outcomeMissing' }
  | { readonly field: 'reasons'; readonly code: 'reasonsMissing' | 'reasonsTooLong' | 'hiddenCharacters' }
  /** What the changed decision itself refused (a rejection's reasons, the checks confirmation). */
  | { readonly field: 'decision'; readonly decision: DecisionProblem; readonly code: 'decisionProblem' }

/** Why the user may not record this contest's outcome. */
export type OutcomeRefusal = 'originalDecider' | 'assignedToSomeoneElse' | 'alreadyDecided'

export type DecideContestResult =
  | { readonly kind: 'decided'; readonly outcome: ContestOutcome }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'refused'; readonly refusal: OutcomeRefusal }
  | { readonly kind: 'invalid'; readonly problems: readonly OutcomeProblem[] }
  /** The task changed after the reviewer looked: as the decision path says it (who and when). */
  | { readonly kind: 'stale'; readonly result: Extract<DecisionResult, { kind: 'stale' }> }

/** Whether `userId` may record the outcome of this contest as it stands; undefined when they may. */
export function outcomeRefusal(
  contest: Pick<ContestRow, 'outcome' | 'original_decider' | 'assigned_to'>,
  userId: string,
): OutcomeRefusal | undefined {
  if (contest.outcome !== null) return 'alreadyDecided'
  if (contest.original_decider === userId) return 'originalDecider'
  if (contest.assigned_to !== null && contest.assigned_to !== userId) return 'assignedToSomeoneElse'
  return undefined
}

function outcomeProblems(input: OutcomeInput): OutcomeProblem[] {
  const problems: OutcomeProblem[] = []
  if (!(CONTEST_OUTCOMES as readonly string[]).includes(input.outcome)) {
    problems.push({ field: 'outcome', code: 'outcomeMissing' })
  }
  const reasons = input.reasons.trim()
  if (reasons === '') problems.push({ field: 'reasons', code: 'reasonsMissing' })
  else if (hasHiddenCharacters(reasons, 'multi-line'))
    problems.push({ field: 'reasons', code: 'hiddenCharacters' })
  else if (reasons.length > MAX_OUTCOME_REASONS_LENGTH)
    problems.push({ field: 'reasons', code: 'reasonsTooLong' })
  return problems
}

/** Thrown inside the transaction to roll back the outcome when the task's change is refused. */
class ChangeRefused extends Error {
  readonly result: Exclude<DecisionResult, { kind: 'decided' }>
  constructor(result: Exclude<DecisionResult, { kind: 'decided' }>) {
    super('the changed decision was refused')
    this.result = result
  }
}

export async function decideContest(
  db: Kysely<Tables>,
  input: {
    contestId: number
    outcome: OutcomeInput
    user: ContestUser
    clock: Clock
    onTaskChanged?: TaskChangeListener | undefined
  },
): Promise<DecideContestResult> {
  const now = input.clock.now()
  let changedRegion: string | undefined
  try {
    const result = await db.transaction().execute(async (trx): Promise<DecideContestResult> => {
      const contest = await trx
        .selectFrom('contests')
        .selectAll()
        .where('id', '=', input.contestId)
        .where((eb) => inScope(eb, 'rom_region', input.user.regions))
        .forUpdate()
        .executeTakeFirst()
      if (!contest) return { kind: 'not-found' }
      const refusal = outcomeRefusal(contest, input.user.id)
      if (refusal) return { kind: 'refused', refusal }
      const problems = outcomeProblems(input.outcome)
      if (problems.length > 0) return { kind: 'invalid', problems }
      const outcome = input.outcome.outcome as ContestOutcome
      const reasons = input.outcome.reasons.trim()
      let changedVersion: number | null = null
      if (outcome === 'CHANGED') {
        const decided = await decideTaskWithin(trx, {
          taskId: contest.task_id,
          expectedVersion: input.outcome.taskVersion,
          decision:
            contest.contested_status === 'ACCEPTED'
              ? {
                  status: 'REJECTED',
                  reasons: [...input.outcome.rejectionReasons],
                  details: reasons,
                  checksConfirmed: input.outcome.checksConfirmed as true,
                }
              : { status: 'ACCEPTED', checksConfirmed: input.outcome.checksConfirmed as true },
          user: input.user,
          clock: input.clock,
        })
        if (decided.kind !== 'decided') throw new ChangeRefused(decided)
        changedVersion = decided.task.version
        changedRegion = decided.task.romRegion
      }
      await trx
        .updateTable('contests')
        .set({
          outcome,
          outcome_reasons: reasons,
          decided_at: now,
          decided_by: input.user.id,
          changed_task_version: changedVersion,
        })
        .where('id', '=', contest.id)
        .execute()
      // An upheld decision leaves the task as it is, but its event is ordered with the task's like any other.
      await trx.selectFrom('tasks').select('id').where('id', '=', contest.task_id).forUpdate().execute()
      await recordContestEvent(trx, {
        contestId: contest.id,
        change: 'CONTEST_DECIDED',
        occurredAt: now,
        userId: input.user.id,
      })
      await recordAuditEvent(trx, {
        kind: 'contest-decided',
        at: now,
        userId: input.user.id,
        personId: contest.person_id,
        taskId: contest.task_id,
        contestId: contest.id,
        outcome,
        ...(changedVersion === null ? {} : { taskVersion: changedVersion }),
      })
      return { kind: 'decided', outcome }
    })
    if (changedRegion !== undefined) input.onTaskChanged?.({ romRegion: changedRegion })
    return result
  } catch (error) {
    if (!(error instanceof ChangeRefused)) throw error
    const refused = error.result
    switch (refused.kind) {
      case 'stale':
        return { kind: 'stale', result: refused }
      case 'not-found':
        return { kind: 'not-found' }
      case 'invalid':
        return {
          kind: 'invalid',
          problems: refused.problems.map((decision) => ({
            field: 'decision',
            code: 'decisionProblem',
            decision,
          })),
        }
    }
  }
}
