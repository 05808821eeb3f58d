/**
 * Evidence of review: what the decider looked at before a decision, taken
 * from the view audit (every page of a case shown is a `case-viewed` audit
 * event) and written in the decision's own transaction, so that a decision
 * never stands without its evidence. The table refuses updates and deletes
 * (migration 0015): evidence is what was true at the decision, for good.
 *
 * See docs/decisions/0015-review-evidence.md for what counts and why.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { DecisionStatus } from './task.ts'

export { KEY_SECTIONS, type KeySection } from '../mi/rubber-stamp.ts'

export const WHY_RECOMMENDED_SECTION = 'why-recommended'

/**
 * The decision forms are audited as pages of the case too (they show its
 * header), but opening one is deciding, not reviewing: they count towards
 * when the decider first opened the task, not towards what they looked at.
 */
const DECISION_FORM_PAGES: ReadonlySet<string> = new Set(['accept', 'reject', 'hold'])

/** One audited opening of a page of the task by the decider. */
export interface TaskView {
  readonly section: string
  readonly at: Date
}

/** What the views say about the review behind a decision. */
export interface DerivedEvidence {
  /** Case sections opened, each once, in the order first opened. */
  readonly sectionsOpened: readonly string[]
  readonly whyRecommendedOpened: boolean
  /** The first opening of any page of the task; null when none is on record. */
  readonly firstOpenedAt: Date | null
  /** Whole seconds from that first opening to the decision; null with it. */
  readonly secondsToDecision: number | null
}

/** Derives the evidence from the decider's views of the task; views after the decision are ignored. */
export function deriveEvidence(views: readonly TaskView[], decidedAt: Date): DerivedEvidence {
  const before = views
    .filter((view) => view.at.getTime() <= decidedAt.getTime())
    .toSorted((a, b) => a.at.getTime() - b.at.getTime())
  const sectionsOpened = [
    ...new Set(before.map((view) => view.section).filter((section) => !DECISION_FORM_PAGES.has(section))),
  ]
  const first = before[0]?.at ?? null
  return {
    sectionsOpened,
    whyRecommendedOpened: sectionsOpened.includes(WHY_RECOMMENDED_SECTION),
    firstOpenedAt: first,
    secondsToDecision:
      first === null ? null : Math.max(0, Math.floor((decidedAt.getTime() - first.getTime()) / 1000)),
  }
}

/** The decision the evidence belongs to, as the decision's transaction knows it. */
export interface EvidencedDecision {
  /** The decision's task_events row, written just before in the same transaction. */
  readonly taskEventId: number
  readonly taskId: number
  readonly status: DecisionStatus
  readonly userId: string
  readonly decidedAt: Date
  readonly ruleSetVersion: string
  readonly ruleCode: string
  /** The decider's own words: the rejection's details, the hold's note, or what they checked. */
  readonly ownWords: string | null
}

/** Records the evidence of a decision whose task_events row this transaction has just written. */
export async function recordReviewEvidence(
  trx: Transaction<Tables>,
  decision: EvidencedDecision,
): Promise<void> {
  const views = await trx
    .selectFrom('audit_events')
    .select(['details', 'at'])
    .where('kind', '=', 'case-viewed')
    .where('task_id', '=', decision.taskId)
    .where('user_id', '=', decision.userId)
    .where('at', '<=', decision.decidedAt)
    .execute()
  const evidence = deriveEvidence(
    views.map((view) => ({ section: sectionOf(view.details), at: new Date(view.at) })),
    decision.decidedAt,
  )
  await trx
    .insertInto('review_evidence')
    .values({
      task_event_id: decision.taskEventId,
      task_id: decision.taskId,
      user_id: decision.userId,
      status: decision.status,
      decided_at: decision.decidedAt,
      rule_set_version: decision.ruleSetVersion,
      rule_code: decision.ruleCode,
      sections_opened: [...evidence.sectionsOpened],
      why_recommended_opened: evidence.whyRecommendedOpened,
      first_opened_at: evidence.firstOpenedAt,
      seconds_to_decision: evidence.secondsToDecision,
      own_words: decision.ownWords,
    })
    .execute()
}

/** A `case-viewed` event's section; its details are stored as JSON (PGlite and pg may hand back text or an object). */
function sectionOf(details: unknown): string {
  const parsed = typeof details === 'string' ? (JSON.parse(details) as unknown) : details
  const section = (parsed as { section?: unknown } | null)?.section
  return typeof section === 'string' ? section : ''
}

/** The evidence recorded with one decision, as History and the MI read it. */
export interface ReviewEvidence extends DerivedEvidence {
  readonly taskVersion: number
  readonly ownWords: string | null
}

/** The evidence of every decision on a task, by the task version each decision made. */
export async function reviewEvidenceOfTask(
  db: Kysely<Tables>,
  taskId: number,
): Promise<Map<number, ReviewEvidence>> {
  const rows = await db
    .selectFrom('review_evidence as r')
    .innerJoin('task_events as e', 'e.id', 'r.task_event_id')
    .select([
      'e.task_version',
      'r.sections_opened',
      'r.why_recommended_opened',
      'r.first_opened_at',
      'r.seconds_to_decision',
      'r.own_words',
    ])
    .where('r.task_id', '=', taskId)
    .execute()
  return new Map(
    rows.map((row) => [
      row.task_version,
      {
        taskVersion: row.task_version,
        sectionsOpened: row.sections_opened,
        whyRecommendedOpened: row.why_recommended_opened,
        firstOpenedAt: row.first_opened_at === null ? null : new Date(row.first_opened_at),
        secondsToDecision: row.seconds_to_decision,
        ownWords: row.own_words,
      },
    ]),
  )
}
