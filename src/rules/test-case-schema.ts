/**
 * The schema of a rule file's own test cases: the typical person, the
 * changes each case makes to them, and the outcome expected. The global
 * safeguards file's cases use the same case schema.
 */
import { z } from 'zod'
import { isoDate, plainText } from './schema-primitives.ts'

const testValue = z.union([z.boolean(), z.number(), z.string(), z.null()])
export const testPerson = z
  .record(z.string(), z.union([testValue, z.array(z.record(z.string(), testValue))]))
  .meta({
    id: 'TestPerson',
    description:
      'Field names of the rule language and their values; lists (barriers …) as lists of items. Dates as YYYY-MM-DD, today, today+N or today-N.',
  })
export type RawTestPerson = z.output<typeof testPerson>

export const testCase = z
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

export const tests = z
  .strictObject({
    today: isoDate.optional().meta({ description: 'The date the cases are evaluated on.' }),
    typicalPerson: testPerson
      .optional()
      .meta({ description: 'A person this task is recommended for; each case starts from them.' }),
    cases: z.array(testCase).min(1, 'must list at least one test case'),
  })
  .meta({ id: 'Tests' })
