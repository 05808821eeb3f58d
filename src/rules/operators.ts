/**
 * The operators of the rule language, which field types each one fits, and
 * what each does with a missing value.
 *
 * Null semantics (the same in the compiled SQL, the explanation and the docs):
 * a person with no value for a field never satisfies a comparison with it —
 * `equals`, `not equals`, `in`, `not in`, `<`, `<=`, `>`, `>=`, `between`,
 * `before`, `after` and the day windows all do not hold. Only `is not set`
 * holds for a missing value (and `is set` does not). `not` is plain negation
 * of its condition's outcome, so `not: {field: x, operator: equals, …}`
 * holds when x is missing. Counting a list with no items gives 0.
 */
import type { FieldKind } from './field-types.ts'

export const VALUE_OPERATORS = ['equals', 'not equals'] as const
export const LIST_OPERATORS = ['in', 'not in'] as const
export const COMPARISON_OPERATORS = ['<', '<=', '>', '>='] as const
export const PRESENCE_OPERATORS = ['is set', 'is not set'] as const
export const DATE_OPERATORS = ['before', 'after'] as const
export const DAY_WINDOW_OPERATORS = ['within last days', 'within next days', 'more than days ago'] as const
export const BETWEEN = 'between'

export type ValueOperator = (typeof VALUE_OPERATORS)[number]
export type ListOperator = (typeof LIST_OPERATORS)[number]
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number]
export type PresenceOperator = (typeof PRESENCE_OPERATORS)[number]
export type DateOperator = (typeof DATE_OPERATORS)[number]
export type DayWindowOperator = (typeof DAY_WINDOW_OPERATORS)[number]

export const FIELD_OPERATORS = [
  ...VALUE_OPERATORS,
  ...LIST_OPERATORS,
  ...COMPARISON_OPERATORS,
  BETWEEN,
  ...PRESENCE_OPERATORS,
  ...DATE_OPERATORS,
  ...DAY_WINDOW_OPERATORS,
] as const
export type FieldOperator = (typeof FIELD_OPERATORS)[number]

/** How a list count is compared: `some` is "at least one", `none` is "not one". */
export const COUNT_PRESENCE_OPERATORS = ['some', 'none'] as const
export type CountPresenceOperator = (typeof COUNT_PRESENCE_OPERATORS)[number]
export const COUNT_OPERATORS = [
  ...COUNT_PRESENCE_OPERATORS,
  ...VALUE_OPERATORS,
  ...COMPARISON_OPERATORS,
  BETWEEN,
] as const
export type CountOperator = (typeof COUNT_OPERATORS)[number]

/** Which operators make sense for each type of field. */
export const OPERATORS_BY_KIND: Readonly<Record<FieldKind, readonly FieldOperator[]>> = {
  boolean: [...VALUE_OPERATORS, ...PRESENCE_OPERATORS],
  code: [...VALUE_OPERATORS, ...LIST_OPERATORS, ...PRESENCE_OPERATORS],
  text: [...VALUE_OPERATORS, ...LIST_OPERATORS, ...PRESENCE_OPERATORS],
  number: [...VALUE_OPERATORS, ...COMPARISON_OPERATORS, BETWEEN, ...PRESENCE_OPERATORS],
  date: [...VALUE_OPERATORS, BETWEEN, ...PRESENCE_OPERATORS, ...DATE_OPERATORS, ...DAY_WINDOW_OPERATORS],
}

/** Words for a field type in problem messages. */
export const KIND_WORDS: Readonly<Record<FieldKind, string>> = {
  boolean: 'a yes/no field',
  code: 'a coded field',
  text: 'a text field',
  number: 'a number',
  date: 'a date',
}
