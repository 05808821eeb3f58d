/**
 * The limits a rule set must keep to. The compiled SQL compares thresholds
 * and counts as integers, moves dates by whole days and nests as deeply as
 * the conditions do, so a rule set beyond these limits would make every run
 * fail; they are far beyond what any rule needs, and `ipic rules check`
 * refuses anything else.
 */
import type { Condition, ItemCondition } from './model.ts'

/** Day windows (`within last days` …): a century either way keeps every date PostgreSQL can hold. */
export const MAX_DAYS = 36_500

/** Thresholds of whole-number fields and of counts, well inside a PostgreSQL integer. */
export const MAX_WHOLE_NUMBER = 1_000_000

/** Ages in test persons, turned back into dates of birth. */
export const MAX_YEARS = 200

/** The most points one priority factor may give. */
export const MAX_WEIGHT = 1_000

/** Why `value` is not a whole number from `min` to `max`, or nothing when it is. */
export function wholeNumberProblem(value: unknown, min: number, max: number): string | undefined {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    ? undefined
    : `must be a whole number between ${formatLimit(min)} and ${formatLimit(max)}`
}

export function formatLimit(value: number): string {
  return value.toLocaleString('en-GB')
}

/**
 * How many definitions one may pass through by `ref` before reaching a
 * condition of its own: checking and compiling follow a chain recursively.
 */
export const MAX_DEFINITION_CHAIN = 32

/**
 * How deeply conditions may nest once definitions are filled in. The compiled
 * SQL nests as deeply, and both the compiler and PostgreSQL have a limit.
 */
export const MAX_CONDITION_DEPTH = 64

/** The levels of a condition tree: 1 for a field test, one more for each all, any, not or count around it. */
export function conditionDepth(condition: Condition | ItemCondition): number {
  switch (condition.kind) {
    case 'field':
      return 1
    case 'count':
      return 1 + (condition.where ? conditionDepth(condition.where) : 0)
    case 'all':
    case 'any':
      return 1 + Math.max(0, ...condition.conditions.map((c) => conditionDepth(c as Condition)))
    case 'not':
      return 1 + conditionDepth(condition.condition as Condition)
  }
}
