/**
 * The explanation of a recommendation, as JSON: the full form, and the
 * compact one that leaves out the words. The database builds it as it
 * evaluates (compile.ts): for a task, when asked, over the facts it was
 * recommended on (stored-explanation.ts); tasks made before that stored
 * one. explanation.ts expands a compact one and puts either into plain
 * English.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** One condition, in the order the rule lists them; `depth` > 0 sits inside an all / any / not. */
export interface ConditionOutcome {
  readonly id: string
  readonly text: string
  readonly depth: number
  /** The field tested, or the list counted; null for all / any / not. */
  readonly field: string | null
  /** The operator, or all / any / not. */
  readonly operator: string
  /** What the field is compared with: a value, a list, [low, high], "today", or null. */
  readonly expected: JsonValue
  /** The person's value (the count, for a list); null when missing or for all / any / not. */
  readonly actual: JsonValue
  readonly held: boolean
}

export interface SafeguardOutcome {
  readonly id: string
  readonly text: string
  readonly scope: 'global' | 'rule'
  readonly field: string | null
  readonly operator: string
  readonly expected: JsonValue
  readonly actual: JsonValue
  /** True when the safeguard excluded the person; false when it did not. */
  readonly held: boolean
  /** The parts of a safeguard made of several conditions. */
  readonly parts?: readonly ConditionOutcome[]
}

export interface FactorOutcome {
  readonly name: string
  readonly text: string
  readonly weight: number
  /** The field a scale reads, to label its value; absent for a condition, and in explanations stored before it was recorded. */
  readonly field?: string
  /** Whether the factor's condition held, or the number its scale reads (null when missing). */
  readonly value: boolean | number | null
  readonly points: number
}

export interface RecommendationExplanation {
  readonly rule: { readonly code: string; readonly name: string; readonly version: string }
  /** The date the rules were evaluated on: "today" in every condition. */
  readonly evaluatedOn: string
  readonly conditions: readonly ConditionOutcome[]
  readonly safeguards: readonly SafeguardOutcome[]
  readonly priority: { readonly score: number; readonly factors: readonly FactorOutcome[] }
  readonly reportingDate: { readonly field: string; readonly value: string | null }
  /** When the person's case data last changed (ISO timestamp). */
  readonly dataChangedAt: string
}

/**
 * The same explanation without its words: only what belongs to the person,
 * in the order of the rule's outline (outline.ts). About a seventh of the
 * size of the full form and several times cheaper to build (what older
 * tasks stored, and what a task's explanation is derived as);
 * expandExplanation() restores the full form from the rule set of the same
 * version, which is kept for as long as its tasks are. The
 * outcome of an all / any / not, of a safeguard and of a condition factor
 * follows from its tests, so only the tests' outcomes are stored.
 */
export interface CompactExplanation {
  readonly form: 'compact'
  readonly rule: string
  readonly version: string
  readonly evaluatedOn: string
  /** Whether each distinct test held: test i is bit i % 30 of held[⌊i / 30⌋]. */
  readonly held: readonly number[]
  /** The person's value behind each distinct value of the outline (a field, or a count of list items). */
  readonly values: readonly JsonValue[]
  /** The value each scale factor read, in the order of the factors. */
  readonly scales: readonly (number | null)[]
  /** The points of each priority factor. */
  readonly points: readonly number[]
  readonly reportingDate: string | null
  readonly dataChangedAt: string
}

export type StoredExplanation = RecommendationExplanation | CompactExplanation

export function isCompactExplanation(e: StoredExplanation): e is CompactExplanation {
  return (e as CompactExplanation).form === 'compact'
}
