/**
 * The shape of a rule file and of rules/global-safeguards.yaml, as zod
 * schemas. They check structure only (keys, types, which keys each operator
 * takes); whether a field exists, fits its operator or names a known
 * parameter is checked afterwards (validate.ts and the checks it puts
 * together), where the message can say "did you mean".
 * docs/rule-file.schema.json is generated from these, so an editor flags the
 * same structural mistakes as people type.
 *
 * This module holds the files as a whole; a condition's schema is in
 * condition-schema.ts and the test cases' in test-case-schema.ts.
 */
import { z } from 'zod'
import { condition } from './condition-schema.ts'
import { formatLimit, MAX_WEIGHT } from './limits.ts'
import { exactlyOne, isoDate, name, parameterName, personFieldName, plainText } from './schema-primitives.ts'
import { testCase, tests } from './test-case-schema.ts'

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
