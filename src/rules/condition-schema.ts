/**
 * The schema of a condition: a field test, a count of list items, all / any
 * / not of conditions, or a ref to a definition, as eligibility, safeguards,
 * definitions and priority factors write them. Conditions nest, so the
 * schemas are recursive; the Raw* types name what they produce.
 */
import { z } from 'zod'
import {
  BETWEEN,
  COMPARISON_OPERATORS,
  COUNT_PRESENCE_OPERATORS,
  DATE_OPERATORS,
  DAY_WINDOW_OPERATORS,
  FIELD_OPERATORS,
  LIST_OPERATORS,
  PRESENCE_OPERATORS,
  VALUE_OPERATORS,
} from './operators.ts'
import {
  exactlyOne,
  itemFieldName,
  listName,
  name,
  parameterName,
  personFieldName,
  plainText,
} from './schema-primitives.ts'

/**
 * A value written straight into a condition: a code, a text, yes/no, or a
 * list of codes. Numbers are refused: a threshold is a named parameter.
 */
const literal = z
  .union([z.string(), z.boolean(), z.array(z.string()).min(1)], {
    error: (issue) =>
      typeof issue.input === 'number'
        ? `the bare number ${issue.input} is not allowed here: thresholds must be named parameters (use parameter: and define it under parameters)`
        : 'must be a code, a text, true or false, or a list of codes',
  })
  .meta({ description: 'A code, a text, true or false, or a list of codes. Numbers must be parameters.' })

const conditionLabels = {
  id: name('a name for this condition')
    .optional()
    .meta({ description: 'A name for this condition, used by test cases (decidedBy) and explanations.' }),
  text: plainText('plain English', 300)
    .optional()
    .meta({ description: 'The condition in plain English, as caseworkers will read it.' }),
}
/** The operator variants of a field condition: each names exactly the keys it takes. */
function fieldConditionSchema<F extends z.ZodType>(field: F) {
  const base = { ...conditionLabels, field }
  return z.discriminatedUnion(
    'operator',
    [
      z
        .strictObject({
          ...base,
          operator: z.enum(VALUE_OPERATORS),
          value: literal.optional(),
          parameter: parameterName.optional(),
        })
        .refine(exactlyOne('value', 'parameter'), {
          error: 'give either value or parameter (one of them)',
          path: ['value'],
        }),
      z
        .strictObject({
          ...base,
          operator: z.enum(LIST_OPERATORS),
          value: z.array(z.string(), { error: 'must be a list of codes' }).min(1).optional(),
          parameter: parameterName.optional(),
        })
        .refine(exactlyOne('value', 'parameter'), {
          error: 'give either value (a list) or parameter (one of them)',
          path: ['value'],
        }),
      z.strictObject({ ...base, operator: z.enum(COMPARISON_OPERATORS), parameter: parameterName }),
      z.strictObject({ ...base, operator: z.literal(BETWEEN), low: parameterName, high: parameterName }),
      z.strictObject({ ...base, operator: z.enum(PRESENCE_OPERATORS) }),
      z
        .strictObject({
          ...base,
          operator: z.enum(DATE_OPERATORS),
          value: z
            .literal('today', { error: 'must be today (or use parameter: for a fixed date)' })
            .optional(),
          parameter: parameterName.optional(),
        })
        .refine(exactlyOne('value', 'parameter'), {
          error: 'give either value: today or parameter (one of them)',
          path: ['value'],
        }),
      z.strictObject({ ...base, operator: z.enum(DAY_WINDOW_OPERATORS), parameter: parameterName }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `${describeInput((issue.input as { operator?: unknown } | undefined)?.operator)} is not an operator (use one of ${FIELD_OPERATORS.join(', ')})`
          : undefined,
    },
  )
}

function describeInput(value: unknown): string {
  return value === undefined ? 'a missing operator' : JSON.stringify(value)
}

const countConditionSchema = (where: z.ZodType<RawItemCondition>) => {
  const base = {
    ...conditionLabels,
    count: listName,
    where: where.optional().meta({ description: 'Which items to count; all of them when left out.' }),
  }
  return z.discriminatedUnion(
    'operator',
    [
      z.strictObject({ ...base, operator: z.enum(COUNT_PRESENCE_OPERATORS) }),
      z.strictObject({
        ...base,
        operator: z.enum([...VALUE_OPERATORS, ...COMPARISON_OPERATORS]),
        parameter: parameterName,
      }),
      z.strictObject({ ...base, operator: z.literal(BETWEEN), low: parameterName, high: parameterName }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `${describeInput((issue.input as { operator?: unknown } | undefined)?.operator)} is not an operator for a count (use one of some, none, ${[...VALUE_OPERATORS, ...COMPARISON_OPERATORS, BETWEEN].join(', ')})`
          : undefined,
    },
  )
}

// Conditions are recursive; the types below are what the schemas produce.
export type RawFieldCondition = z.output<ReturnType<typeof fieldConditionSchema<typeof personFieldName>>>
export type RawCountCondition = z.output<ReturnType<typeof countConditionSchema>> & {
  where?: RawItemCondition
}
type Labels = { id?: string | undefined; text?: string | undefined }
export type RawCondition =
  | RawFieldCondition
  | RawCountCondition
  | (Labels & { all: RawCondition[] })
  | (Labels & { any: RawCondition[] })
  | (Labels & { not: RawCondition })
  | { ref: string }
export type RawItemCondition =
  | RawFieldCondition
  | (Labels & { all: RawItemCondition[] })
  | (Labels & { any: RawItemCondition[] })
  | (Labels & { not: RawItemCondition })

/** The key that says what kind of condition an object is; structure.ts reads it to report problems precisely. */
export const CONDITION_KINDS = ['field', 'count', 'all', 'any', 'not', 'ref'] as const
export type ConditionKind = (typeof CONDITION_KINDS)[number]

export const itemCondition: z.ZodType<RawItemCondition> = z
  .lazy(() =>
    z.union([
      fieldConditionSchema(itemFieldName),
      z.strictObject({
        ...conditionLabels,
        all: z.array(itemCondition).min(1, 'must list at least one condition'),
      }),
      z.strictObject({
        ...conditionLabels,
        any: z.array(itemCondition).min(1, 'must list at least one condition'),
      }),
      z.strictObject({ ...conditionLabels, not: itemCondition }),
    ]),
  )
  .meta({
    id: 'ItemCondition',
    description: 'A condition on one list item: a field test, or all / any / not of item conditions.',
  })

export const condition: z.ZodType<RawCondition> = z
  .lazy(() =>
    z.union([
      fieldConditionSchema(personFieldName),
      countConditionSchema(itemCondition),
      z.strictObject({
        ...conditionLabels,
        all: z.array(condition).min(1, 'must list at least one condition'),
      }),
      z.strictObject({
        ...conditionLabels,
        any: z.array(condition).min(1, 'must list at least one condition'),
      }),
      z.strictObject({ ...conditionLabels, not: condition }),
      z.strictObject({
        ref: name('the name of a definition').meta({
          description: 'Use a named definition (from this file or global-safeguards.yaml).',
        }),
      }),
    ]),
  )
  .meta({
    id: 'Condition',
    description:
      'A field test (field + operator), a count of list items (count + operator), all / any / not of conditions, or ref: a named definition.',
  })

/** Which union branch (schema) checks each kind of condition: structure.ts re-checks a failing condition with it. */
export const conditionBranches = {
  person: {
    field: fieldConditionSchema(personFieldName),
    count: countConditionSchema(itemCondition),
    all: z.strictObject({
      ...conditionLabels,
      all: z.array(condition).min(1, 'must list at least one condition'),
    }),
    any: z.strictObject({
      ...conditionLabels,
      any: z.array(condition).min(1, 'must list at least one condition'),
    }),
    not: z.strictObject({ ...conditionLabels, not: condition }),
    ref: z.strictObject({ ref: name('the name of a definition') }),
  },
  item: {
    field: fieldConditionSchema(itemFieldName),
    all: z.strictObject({
      ...conditionLabels,
      all: z.array(itemCondition).min(1, 'must list at least one condition'),
    }),
    any: z.strictObject({
      ...conditionLabels,
      any: z.array(itemCondition).min(1, 'must list at least one condition'),
    }),
    not: z.strictObject({ ...conditionLabels, not: itemCondition }),
  },
} as const
