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
import { type Kysely, sql } from 'kysely'
import { inScope, type RegionScope } from '../access/region-scope.ts'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'
import { hasHiddenCharacters } from '../hidden-characters.ts'
import { waitForRuleRun } from './run-lock.ts'
import { DECIDABLE_STATUSES } from './status-transitions.ts'
import { type DecisionStatus, type Task, type TaskStatus, toTask } from './task.ts'
import type { TaskChangeListener } from './task-changes.ts'
import { recordDecisionEvent } from './task-events.ts'

export const MAX_DETAILS_LENGTH = 1000
export const MAX_NOTE_LENGTH = 1000

export type Decision =
  | { readonly status: 'ACCEPTED'; readonly checksConfirmed: true }
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
  readonly clock: Clock
  /** Told once the decision has committed; not on a refusal. */
  readonly onTaskChanged?: TaskChangeListener | undefined
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
  | { readonly field: 'note'; readonly code: 'noteNotText' }
  | {
      readonly field: 'details' | 'note'
      readonly code: 'tooLong'
      readonly params: { readonly maxLength: number }
    }
  /** Characters nobody types (a NUL, say): refused before the database sees them. */
  | { readonly field: 'details' | 'note'; readonly code: 'hiddenCharacters' }

export type DecisionProblemCode = DecisionProblem['code']
export type DecisionField = DecisionProblem['field']

/** Who last changed a task the caseworker tried to decide on an older version. */
export interface CurrentTaskState {
  readonly status: TaskStatus
  readonly version: number
  /** User ID; null when the rules changed it (a withdrawal). */
  readonly changedBy: string | null
  readonly changedByName: string | null
  readonly changedAt: Date
}

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

async function validateDecision(
  db: Kysely<Tables>,
  input: DecideTaskInput,
): Promise<{ ok: true; decision: ValidDecision } | { ok: false; problems: DecisionProblem[] }> {
  const problems: DecisionProblem[] = []
  if (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 1) {
    problems.push({ field: 'version', code: 'versionMissing' })
  }
  // Callers pass parsed form input, so the union's literal types are checked again here.
  const decision = input.decision as Partial<Record<string, unknown>> & { status?: unknown }
  switch (decision.status) {
    case 'ACCEPTED': {
      if (decision.checksConfirmed !== true) {
        problems.push(CHECKS_NOT_CONFIRMED)
      }
      return problems.length > 0
        ? { ok: false, problems }
        : {
            ok: true,
            decision: { status: 'ACCEPTED', reasons: null, details: null, note: null, checksConfirmed: true },
          }
    }
    case 'REJECTED': {
      const reasons = Array.isArray(decision.reasons)
        ? [...new Set(decision.reasons.filter((r): r is string => typeof r === 'string'))]
        : []
      if (reasons.length === 0) {
        problems.push({ field: 'reasons', code: 'reasonsMissing' })
      } else {
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
        if (unknown.length > 0) {
          problems.push({ field: 'reasons', code: 'reasonsUnknown', params: { unknown } })
        }
      }
      const details = typeof decision.details === 'string' ? decision.details.trim() : ''
      if (details === '') {
        problems.push({ field: 'details', code: 'detailsMissing' })
      } else if (hasHiddenCharacters(details, 'multi-line')) {
        problems.push({ field: 'details', code: 'hiddenCharacters' })
      } else if (details.length > MAX_DETAILS_LENGTH) {
        problems.push({ field: 'details', code: 'tooLong', params: { maxLength: MAX_DETAILS_LENGTH } })
      }
      if (decision.checksConfirmed !== true) {
        problems.push(CHECKS_NOT_CONFIRMED)
      }
      return problems.length > 0
        ? { ok: false, problems }
        : { ok: true, decision: { status: 'REJECTED', reasons, details, note: null, checksConfirmed: true } }
    }
    case 'ON_HOLD': {
      const raw = decision.note
      const note = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null
      if (raw !== null && raw !== undefined && typeof raw !== 'string') {
        problems.push({ field: 'note', code: 'noteNotText' })
      } else if (note !== null && hasHiddenCharacters(note, 'multi-line')) {
        problems.push({ field: 'note', code: 'hiddenCharacters' })
      } else if (note !== null && note.length > MAX_NOTE_LENGTH) {
        problems.push({ field: 'note', code: 'tooLong', params: { maxLength: MAX_NOTE_LENGTH } })
      }
      return problems.length > 0
        ? { ok: false, problems }
        : {
            ok: true,
            decision: { status: 'ON_HOLD', reasons: null, details: null, note, checksConfirmed: null },
          }
    }
    default:
      return {
        ok: false,
        problems: [...problems, { field: 'decision', code: 'decisionMissing' }],
      }
  }
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
  const decision = validation.decision
  const regions = input.user.regions
  const now = input.clock.now()

  let decided: Task | undefined
  try {
    decided = await db.transaction().execute(async (trx) => {
      // Placing on hold can reopen a decided task: wait for any rule run, which
      // is creating tasks on the understanding that none opens meanwhile.
      if (decision.status === 'ON_HOLD') await waitForRuleRun(trx)
      // The guard is the WHERE clause: on PostgreSQL a concurrent writer's
      // row lock makes this wait, and the conditions are checked again on the
      // row as that writer left it, so the first commit wins and this one
      // finds nothing to update.
      const row = await trx
        .updateTable('tasks')
        .set({
          status: decision.status,
          version: sql<number>`version + 1`,
          status_changed_at: now,
          status_changed_by: input.user.id,
        })
        .where('id', '=', input.taskId)
        .where('version', '=', input.expectedVersion)
        .where('status', 'in', DECIDABLE_STATUSES)
        .where((eb) => inScope(eb, 'rom_region', regions))
        .returningAll()
        .executeTakeFirst()
      if (!row) return undefined
      await recordDecisionEvent(trx, {
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
      return toTask(row)
    })
  } catch (error) {
    if (!isOpenTaskConflict(error)) throw error
    return {
      kind: 'invalid',
      problems: [{ field: 'decision', code: 'openTaskExists' }],
    }
  }
  if (decided) {
    input.onTaskChanged?.({ romRegion: decided.romRegion })
    return { kind: 'decided', task: decided }
  }

  const row = await db
    .selectFrom('tasks')
    .leftJoin('users', 'users.id', 'tasks.status_changed_by')
    .select([
      'tasks.status',
      'tasks.version',
      'tasks.status_changed_by',
      'tasks.status_changed_at',
      'users.name as changed_by_name',
    ])
    .where('tasks.id', '=', input.taskId)
    .where((eb) => inScope(eb, 'tasks.rom_region', regions))
    .executeTakeFirst()
  if (!row) return { kind: 'not-found' }
  const state: CurrentTaskState = {
    status: row.status,
    version: row.version,
    changedBy: row.status_changed_by,
    changedByName: row.changed_by_name,
    changedAt: new Date(row.status_changed_at),
  }
  return { kind: 'stale', current: state }
}
