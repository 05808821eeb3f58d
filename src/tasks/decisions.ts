/**
 * A caseworker's decision on a task: accept, reject (with reasons and an
 * explanation) or place on hold, including changing an earlier decision.
 *
 * Decisions are append-only and guarded by the version the caseworker saw:
 * the status change and its task_events row are written in one transaction,
 * and only if the task is still at that version, in one of the user's
 * regions, and not withdrawn. Anything else is refused, never overwritten:
 * a stale decision comes back with who changed the task and when, so the
 * page can say so. Problems are codes; the page puts them into words.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely'
import { inScope, type RegionScope } from '../access/region-scope.ts'
import { recordAuditEvent } from '../audit/events.ts'
import type { Clock } from '../clock.ts'
import type { Tables, TaskRow } from '../db/tables.ts'
import { hasHiddenCharacters } from '../hidden-characters.ts'
import { assignmentAllowsDecision, recordDecidedWhileAssigned } from './assignment.ts'
import { type CurrentTaskState, whyNotDecided } from './decision-refusals.ts'
import { countRegionChange } from './region-changes.ts'
import { recordReviewEvidence } from './review-evidence.ts'
import { waitForRuleRun } from './run-lock.ts'
import { DECIDABLE_STATUSES } from './status-transitions.ts'
import { type DecisionStatus, type Task, toTask } from './task.ts'
import type { TaskChangeListener } from './task-changes.ts'
import { recordDecisionEvent } from './task-events.ts'

export const MAX_DETAILS_LENGTH = 1000
export const MAX_NOTE_LENGTH = 1000

/** Whether accepting needs the caseworker's note of what they checked (IPIC_ACCEPT_NOTE). */
export type AcceptNotePolicy = 'optional' | 'required'

export type Decision =
  | {
      readonly status: 'ACCEPTED'
      readonly checksConfirmed: true
      /** What the caseworker checked, in their words. */
      readonly note?: string | null | undefined
    }
  | {
      readonly status: 'REJECTED'
      /** Rejection reason codes (reference/rejection-reasons.yaml): at least one. */
      readonly reasons: readonly string[]
      readonly details: string
      readonly checksConfirmed: true
    }
  | { readonly status: 'ON_HOLD'; readonly note: string | null }

export interface DecideTaskInput {
  readonly taskId: number
  /** The task version the caseworker saw when they made the decision. */
  readonly expectedVersion: number
  readonly decision: Decision
  /** The caseworker deciding, and the regions they may work in. */
  readonly user: { readonly id: string; readonly regions: RegionScope }
  /** The API client the decision came through, if any: the audit names it beside the caseworker. */
  readonly clientId?: string | undefined
  readonly clock: Clock
  /** Whether an acceptance must say what was checked; optional unless given. */
  readonly acceptNote?: AcceptNotePolicy | undefined
  /** Told once the decision has committed; not on a refusal. */
  readonly onTaskChanged?: TaskChangeListener | undefined
  /** The decider confirmed deciding a task someone else is working (tasks/assignment.ts). */
  readonly decideAnyway?: boolean | undefined
}

/** What is wrong with a decision, by field; each code's own details in `params`. */
export type DecisionProblem =
  | { readonly field: 'version'; readonly code: 'versionMissing' }
  /** `openTaskExists`: placing on hold would reopen a task while another of its type is open for the person. */
  | { readonly field: 'decision'; readonly code: 'decisionMissing' | 'openTaskExists' }
  | { readonly field: 'checksConfirmed'; readonly code: 'checksNotConfirmed' }
  | { readonly field: 'reasons'; readonly code: 'reasonsMissing' }
  | {
      readonly field: 'reasons'
      readonly code: 'reasonsUnknown'
      /** The codes that are not active rejection reasons. */
      readonly params: { readonly unknown: readonly string[] }
    }
  | { readonly field: 'details'; readonly code: 'detailsMissing' }
  | { readonly field: 'note' | 'acceptNote'; readonly code: 'noteNotText' }
  /** IPIC_ACCEPT_NOTE=required and the acceptance says nothing of what was checked. */
  | { readonly field: 'acceptNote'; readonly code: 'noteMissing' }
  | {
      readonly field: 'details' | 'note' | 'acceptNote'
      readonly code: 'tooLong'
      readonly params: { readonly maxLength: number }
    }
  /** Characters nobody types (a NUL, say): refused before the database sees them. */
  | { readonly field: 'details' | 'note' | 'acceptNote'; readonly code: 'hiddenCharacters' }
  | {
      readonly field: 'decideAnyway'
      readonly code: 'assignedToSomeoneElse'
      readonly params: { readonly assigneeName: string }
    }

export type DecisionProblemCode = DecisionProblem['code']
export type DecisionField = DecisionProblem['field']

export type { CurrentTaskState }

export type DecisionResult =
  | { readonly kind: 'decided'; readonly task: Task }
  | { readonly kind: 'stale'; readonly current: CurrentTaskState }
  /** No such task, or it is in a region the user may not see: the two are deliberately indistinguishable. */
  | { readonly kind: 'not-found' }
  | { readonly kind: 'invalid'; readonly problems: readonly DecisionProblem[] }

const CHECKS_NOT_CONFIRMED: DecisionProblem = { field: 'checksConfirmed', code: 'checksNotConfirmed' }

/** The decision as it will be stored, once every field is known to be acceptable. */
interface ValidDecision {
  readonly status: DecisionStatus
  readonly reasons: string[] | null
  readonly details: string | null
  readonly note: string | null
  readonly checksConfirmed: boolean | null
}

type Validation = { ok: true; decision: ValidDecision } | { ok: false; problems: DecisionProblem[] }

/** A decision's fields as they arrive, before their types are trusted. */
type UncheckedDecision = Partial<Record<string, unknown>> & { status?: unknown }

async function validateDecision(db: Kysely<Tables>, input: DecideTaskInput): Promise<Validation> {
  const problems = versionProblems(input.expectedVersion)
  // Callers pass parsed form input, so the union's literal types are checked again here.
  const decision = input.decision as UncheckedDecision
  switch (decision.status) {
    case 'ACCEPTED':
      return validateAcceptance(decision, problems, input.acceptNote ?? 'optional')
    case 'REJECTED':
      return await validateRejection(db, decision, problems)
    case 'ON_HOLD':
      return validateHold(decision, problems)
    default:
      return { ok: false, problems: [...problems, { field: 'decision', code: 'decisionMissing' }] }
  }
}

function versionProblems(expectedVersion: number): DecisionProblem[] {
  return Number.isInteger(expectedVersion) && expectedVersion >= 1
    ? []
    : [{ field: 'version', code: 'versionMissing' }]
}

function checksProblems(decision: UncheckedDecision): DecisionProblem[] {
  return decision.checksConfirmed === true ? [] : [CHECKS_NOT_CONFIRMED]
}

function validated(problems: DecisionProblem[], decision: ValidDecision): Validation {
  return problems.length > 0 ? { ok: false, problems } : { ok: true, decision }
}

function validateAcceptance(
  decision: UncheckedDecision,
  earlier: DecisionProblem[],
  policy: AcceptNotePolicy,
): Validation {
  const raw = decision.note
  const note = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null
  // The same checks as a hold's note, reported against the acceptance's own field.
  const noteCheck = noteProblems(raw, note).map(
    (problem) => ({ ...problem, field: 'acceptNote' }) as DecisionProblem,
  )
  if (policy === 'required' && note === null && noteCheck.length === 0) {
    noteCheck.push({ field: 'acceptNote', code: 'noteMissing' })
  }
  return validated([...earlier, ...noteCheck, ...checksProblems(decision)], {
    status: 'ACCEPTED',
    reasons: null,
    details: null,
    note,
    checksConfirmed: true,
  })
}

async function validateRejection(
  db: Kysely<Tables>,
  decision: UncheckedDecision,
  earlier: DecisionProblem[],
): Promise<Validation> {
  const reasons = Array.isArray(decision.reasons)
    ? [...new Set(decision.reasons.filter((r): r is string => typeof r === 'string'))]
    : []
  const details = typeof decision.details === 'string' ? decision.details.trim() : ''
  const problems = [
    ...earlier,
    ...(await reasonProblems(db, reasons)),
    ...detailsProblems(details),
    ...checksProblems(decision),
  ]
  return validated(problems, { status: 'REJECTED', reasons, details, note: null, checksConfirmed: true })
}

async function reasonProblems(db: Kysely<Tables>, reasons: readonly string[]): Promise<DecisionProblem[]> {
  if (reasons.length === 0) return [{ field: 'reasons', code: 'reasonsMissing' }]
  // A code with hidden characters is no code, and must not reach the query.
  const askable = reasons.filter((code) => !hasHiddenCharacters(code, 'one-line'))
  const known =
    askable.length === 0
      ? []
      : await db
          .selectFrom('rejection_reasons')
          .select('code')
          .where('code', 'in', askable)
          .where('active', '=', true)
          .execute()
  const unknown = reasons.filter((code) => !known.some((k) => k.code === code))
  return unknown.length > 0 ? [{ field: 'reasons', code: 'reasonsUnknown', params: { unknown } }] : []
}

function detailsProblems(details: string): DecisionProblem[] {
  if (details === '') return [{ field: 'details', code: 'detailsMissing' }]
  if (hasHiddenCharacters(details, 'multi-line')) return [{ field: 'details', code: 'hiddenCharacters' }]
  if (details.length > MAX_DETAILS_LENGTH) {
    return [{ field: 'details', code: 'tooLong', params: { maxLength: MAX_DETAILS_LENGTH } }]
  }
  return []
}

function validateHold(decision: UncheckedDecision, earlier: DecisionProblem[]): Validation {
  const raw = decision.note
  const note = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null
  return validated([...earlier, ...noteProblems(raw, note)], {
    status: 'ON_HOLD',
    reasons: null,
    details: null,
    note,
    checksConfirmed: null,
  })
}

/** `raw` is the note as sent; `note` the same trimmed, or null when there is none. */
function noteProblems(raw: unknown, note: string | null): DecisionProblem[] {
  if (raw !== null && raw !== undefined && typeof raw !== 'string')
    return [{ field: 'note', code: 'noteNotText' }]
  if (note !== null && hasHiddenCharacters(note, 'multi-line'))
    return [{ field: 'note', code: 'hiddenCharacters' }]
  if (note !== null && note.length > MAX_NOTE_LENGTH) {
    return [{ field: 'note', code: 'tooLong', params: { maxLength: MAX_NOTE_LENGTH } }]
  }
  return []
}

/** A unique-index refusal: reopening (placing on hold) a task while another task of its type is open. */
function isOpenTaskConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown }
  return e?.code === '23505' && e.constraint === 'tasks_one_open'
}

export async function decideTask(db: Kysely<Tables>, input: DecideTaskInput): Promise<DecisionResult> {
  if (!Number.isSafeInteger(input.taskId) || input.taskId < 1) return { kind: 'not-found' }
  const validation = await validateDecision(db, input)
  if (!validation.ok) return { kind: 'invalid', problems: validation.problems }
  const now = input.clock.now()

  let decided: Task | undefined
  try {
    decided = await db.transaction().execute((trx) => recordDecision(trx, input, validation.decision, now))
  } catch (error) {
    if (!isOpenTaskConflict(error)) throw error
    return {
      kind: 'invalid',
      problems: [{ field: 'decision', code: 'openTaskExists' }],
    }
  }
  if (!decided) return await refusal(db, input)
  input.onTaskChanged?.({ romRegion: decided.romRegion })
  return { kind: 'decided', task: decided }
}

/**
 * The same decision inside a transaction the caller owns (a contest's
 * outcome, which must be written with it or not at all): validated and
 * guarded exactly as decideTask, but never placing on hold, so no rule-run
 * lock and no open-task conflict. The caller commits or rolls back, and
 * tells `onTaskChanged` itself once committed.
 */
export async function decideTaskWithin(
  trx: Transaction<Tables>,
  input: DecideTaskInput & { readonly decision: { readonly status: 'ACCEPTED' | 'REJECTED' } },
): Promise<DecisionResult> {
  if (!Number.isSafeInteger(input.taskId) || input.taskId < 1) return { kind: 'not-found' }
  const validation = await validateDecision(trx, input)
  if (!validation.ok) return { kind: 'invalid', problems: validation.problems }
  const decided = await recordDecision(trx, input, validation.decision, input.clock.now())
  return decided ? { kind: 'decided', task: decided } : await refusal(trx, input)
}

/** The task as decided, or undefined when the guard found it changed, withdrawn or out of the user's regions. */
async function recordDecision(
  trx: Transaction<Tables>,
  input: DecideTaskInput,
  decision: ValidDecision,
  now: Date,
): Promise<Task | undefined> {
  // Placing on hold can reopen a decided task: wait for any rule run, which
  // is creating tasks on the understanding that none opens meanwhile.
  if (decision.status === 'ON_HOLD') await waitForRuleRun(trx)
  const row = await updateIfUnchanged(trx, input, decision.status, now)
  if (!row) return undefined
  const taskEventId = await recordDecisionEvent(trx, {
    taskId: row.id,
    taskVersion: row.version,
    status: decision.status,
    occurredAt: now,
    userId: input.user.id,
    reasons: decision.reasons,
    details: decision.details,
    note: decision.note,
    checksConfirmed: decision.checksConfirmed,
  })
  if (row.assigned_to !== null && row.assigned_to !== input.user.id && input.decideAnyway) {
    const { assigned_to: assignee } = row
    await recordDecidedWhileAssigned(trx, {
      taskId: row.id,
      taskVersion: row.version,
      assignee,
      deciderId: input.user.id,
      at: now,
    })
  }
  // In the same transaction: a decision never stands without its evidence of review.
  await recordReviewEvidence(trx, {
    taskEventId,
    taskId: row.id,
    status: decision.status,
    userId: input.user.id,
    decidedAt: now,
    ruleSetVersion: row.rule_set_version,
    ruleCode: row.rule_code,
    ownWords: decision.details ?? decision.note,
  })
  // In the decision's transaction: a decision the audit cannot record is not made.
  await recordAuditEvent(trx, {
    kind: 'decision',
    at: now,
    userId: input.user.id,
    ...(input.clientId === undefined ? {} : { clientId: input.clientId }),
    personId: row.person_id,
    taskId: row.id,
    status: decision.status,
    taskVersion: row.version,
    ...(decision.reasons ? { reasons: decision.reasons } : {}),
  })
  // Last, as it locks a slot of the region's counter until commit: every instance's lists of the region move with it.
  await countRegionChange(trx, { romRegion: row.rom_region, taskId: row.id })
  return toTask(row)
}

function updateIfUnchanged(
  trx: Transaction<Tables>,
  input: DecideTaskInput,
  status: DecisionStatus,
  now: Date,
): Promise<Selectable<TaskRow> | undefined> {
  // The guard is the WHERE clause: on PostgreSQL a concurrent writer's
  // row lock makes this wait, and the conditions are checked again on the
  // row as that writer left it, so the first commit wins and this one
  // finds nothing to update.
  return trx
    .updateTable('tasks')
    .set({
      status,
      version: sql<number>`version + 1`,
      status_changed_at: now,
      status_changed_by: input.user.id,
    })
    .where('id', '=', input.taskId)
    .where('version', '=', input.expectedVersion)
    .where('status', 'in', DECIDABLE_STATUSES)
    .where((eb) => inScope(eb, 'rom_region', input.user.regions))
    .where((eb) => assignmentAllowsDecision(eb, input.user.id, input.decideAnyway === true))
    .returningAll()
    .executeTakeFirst()
}

/** Why the guarded update changed nothing (decision-refusals.ts), as a decision's result. */
async function refusal(db: Kysely<Tables>, input: DecideTaskInput): Promise<DecisionResult> {
  const why = await whyNotDecided(db, input)
  if (why.kind !== 'assigned-to-someone-else') return why
  const { assigneeName } = why
  return {
    kind: 'invalid',
    problems: [{ field: 'decideAnyway', code: 'assignedToSomeoneElse', params: { assigneeName } }],
  }
}
