/**
 * The shape of a rule file and of rules/global-safeguards.yaml, as zod
 * schemas. They check structure only (keys, types, which keys each operator
 * takes); whether a field exists, fits its operator or names a known
 * parameter is checked afterwards (validate.ts and the checks it puts
 * together), where the message can say "did you mean".
 * docs/rule-file.schema.json is generated from these, so an editor flags the
 * same structural mistakes as people type.
 */
import { z } from 'zod'
import { parseIsoDate } from '../dates.ts'
import { formatLimit, MAX_WEIGHT } from './limits.ts'
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

const plainText = (what: string, max = 1000) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : `must be ${what}`) })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `is longer than ${max} characters`)

/** Names authors give to parameters, definitions, safeguards, conditions and factors. */
export const NAME_PATTERN = /^[a-z][A-Za-z0-9]*$/
const name = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : `must be ${what}`) })
    .regex(NAME_PATTERN, `must be ${what} in camelCase, such as adultAtRisk`)

const isoDate = z
  .string({ error: 'must be a date written as YYYY-MM-DD' })
  .refine((value) => parseIsoDate(value) !== undefined, 'must be a real date written as YYYY-MM-DD')

export const personFieldName = z
  .string({ error: 'must be the name of a field, such as harm.harmLevel' })
  .meta({ id: 'PersonFieldName', description: 'A field of the case record, such as harm.harmLevel.' })
export const itemFieldName = z
  .string({ error: 'must be the name of a field of the list item, such as open' })
  .meta({ id: 'ItemFieldName', description: 'A field of one list item, such as open or ageInDays.' })
export const listName = z
  .string({ error: 'must be the name of a list, such as barriers' })
  .meta({ id: 'ListName', description: 'A list in the case record: barriers, offences, children …' })

const parameterName = name('the name of a parameter').meta({
  description: 'The name of a parameter defined under `parameters` in this file.',
})

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

const exactlyOne =
  (...keys: string[]) =>
  (value: Record<string, unknown>) =>
    keys.filter((key) => value[key] !== undefined).length === 1

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

const parameter = z
  .strictObject({
    value: z
      .union([z.number(), z.string(), z.boolean(), z.array(z.string()).min(1)], {
        error: 'must be a number, a date (YYYY-MM-DD), a code, true or false, or a list of codes',
      })
      .meta({ description: 'The value the rules use.' }),
    description: plainText('a description of what the threshold is for').meta({
      description: 'What this threshold is for, in plain English.',
    }),
    unit: z
      .enum(['days', 'years', 'months', 'events', 'level', 'items', 'points'])
      .optional()
      .meta({ description: 'What the number counts.' }),
  })
  .meta({ id: 'Parameter', description: 'A named threshold with a description.' })

const policyReference = z
  .strictObject({
    title: plainText('the title of the guidance', 200),
    url: z.url({ protocol: /^https$/, error: 'must be a web address starting https://' }),
  })
  .meta({ id: 'PolicyReference', description: 'The public guidance a rule or safeguard puts into effect.' })

const change = z
  .strictObject({
    date: isoDate,
    author: plainText('who made the change', 200),
    note: plainText('what changed and why'),
  })
  .meta({ id: 'ChangeNote', description: 'One change to this file: when, by whom, what and why.' })

const definition = z
  .strictObject({
    text: plainText('plain English', 300),
    when: condition,
  })
  .meta({ id: 'Definition', description: 'A named, reusable condition that others use with ref:.' })

const safeguard = z
  .strictObject({
    id: name('a name for the safeguard'),
    text: plainText('plain English', 300).meta({
      description: 'Who is excluded, in plain English: "Adult at risk at level 2 or 3".',
    }),
    references: z.array(policyReference).optional(),
    when: condition.meta({ description: 'The person is excluded when this holds.' }),
  })
  .meta({
    id: 'Safeguard',
    description: 'An exclusion, checked before eligibility: the person is excluded when it holds.',
  })

const testValue = z.union([z.boolean(), z.number(), z.string(), z.null()])
export const testPerson = z
  .record(z.string(), z.union([testValue, z.array(z.record(z.string(), testValue))]))
  .meta({
    id: 'TestPerson',
    description:
      'Field names of the rule language and their values; lists (barriers …) as lists of items. Dates as YYYY-MM-DD, today, today+N or today-N.',
  })
export type RawTestPerson = z.output<typeof testPerson>

const testCase = z
  .strictObject({
    name: plainText('a plain-English name for the case', 300),
    person: testPerson.optional().meta({ description: 'What differs from the typical person.' }),
    expect: z.enum(['recommended', 'not recommended'], { error: 'must be recommended or not recommended' }),
    decidedBy: z
      .string()
      .optional()
      .meta({ description: 'The safeguard or condition that decides the outcome (its id).' }),
    priority: z.number().optional().meta({ description: 'The expected priority score, when recommended.' }),
  })
  .refine((c) => c.expect === 'recommended' || c.decidedBy !== undefined, {
    error: 'a case that is not recommended must say which condition or safeguard decides it (decidedBy)',
    path: ['decidedBy'],
  })
  .meta({ id: 'TestCase' })
export type RawTestCase = z.output<typeof testCase>

const tests = z
  .strictObject({
    today: isoDate.optional().meta({ description: 'The date the cases are evaluated on.' }),
    typicalPerson: testPerson
      .optional()
      .meta({ description: 'A person this task is recommended for; each case starts from them.' }),
    cases: z.array(testCase).min(1, 'must list at least one test case'),
  })
  .meta({ id: 'Tests' })

const factor = z
  .strictObject({
    name: name('a name for the factor'),
    text: plainText('plain English', 300),
    weight: z
      .number({ error: 'must be a number' })
      .positive('must be more than 0')
      .max(MAX_WEIGHT, `must be at most ${formatLimit(MAX_WEIGHT)}`)
      .meta({ description: 'The most points this factor gives.' }),
    when: condition.optional().meta({ description: 'Gives the full weight when this holds.' }),
    scale: z
      .strictObject({
        field: personFieldName,
        upTo: parameterName.meta({ description: 'The value at which the factor gives its full weight.' }),
        direction: z
          .enum(['higher', 'lower'])
          .default('higher')
          .meta({ description: 'higher: more points the higher the value; lower: the lower the value.' }),
      })
      .optional()
      .meta({ description: 'Gives points in proportion to a number field, capped at upTo.' }),
  })
  .refine(exactlyOne('when', 'scale'), { error: 'give either when or scale (one of them)', path: ['when'] })
  .meta({
    id: 'PriorityFactor',
    description: 'A named, weighted reason to deal with one person before another.',
  })

const shared = {
  description: plainText('a plain-English description', 2000),
  owner: plainText('the team that owns the rule', 200),
  policyReferences: z.array(policyReference).min(1, 'must list at least one policy reference'),
  changes: z.array(change).min(1, 'must list at least one change note'),
  parameters: z.record(z.string(), parameter).optional(),
  definitions: z.record(z.string(), definition).optional(),
}

export const ruleFile = z
  .strictObject({
    code: z
      .string({ error: 'must be a task type code' })
      .regex(/^[A-Z0-9_]{2,40}$/, 'must be a task type code: capital letters, digits and underscores'),
    name: plainText('the task name', 200),
    ...shared,
    globalSafeguards: z
      .boolean({ error: 'must be true or false' })
      .meta({ description: 'Whether the global safeguards apply (true for every enforcement task type).' }),
    safeguards: z.array(safeguard).optional().meta({ description: "This task type's own exclusions." }),
    eligibility: condition.meta({ description: 'Who the task is for.' }),
    priority: z.array(factor).min(1, 'must list at least one priority factor'),
    reportingDate: personFieldName.meta({
      description: 'The date the task is tied to, normally reporting.nextDates[0].',
    }),
    tests,
  })
  .meta({ title: 'IPIC rule file', description: 'The business rule for one task type.' })
export type RawRuleFile = z.output<typeof ruleFile>

export const globalSafeguardsFile = z
  .strictObject({
    name: plainText('a name', 200),
    ...shared,
    safeguards: z.array(safeguard).min(1, 'must list at least one safeguard'),
    tests: z
      .strictObject({
        today: isoDate.optional(),
        cases: z.array(testCase).min(1, 'must list at least one test case'),
      })
      .meta({
        description:
          "Cases run against every rule the global safeguards apply to, each starting from that rule's typical person.",
      }),
  })
  .meta({
    title: 'IPIC global safeguards',
    description: 'The exclusions checked first for every enforcement task type.',
  })
export type RawGlobalSafeguardsFile = z.output<typeof globalSafeguardsFile>

export const GLOBAL_SAFEGUARDS_FILE = 'global-safeguards.yaml'
