/**
 * The zod schemas every operation shares: problem details, and the small
 * values (IDs, dates, regions) resources are made of. A schema here both
 * validates what a client sends and describes it in the OpenAPI document.
 */
import { z } from 'zod'
import { PROBLEM_TYPE_BASE } from './problem-details.ts'
import { PROBLEM_TYPES, type ProblemCode } from './problem-types.ts'

/** One field at fault, as `invalid-request`, `invalid-search` and `invalid-decision` list them. */
export const fieldErrorSchema = z.object({
  field: z.string().describe('The parameter or body field at fault, as the request named it.'),
  code: z.string().describe('What is wrong with it, as a stable code.'),
  message: z.string().describe('The same in words, for people.'),
  params: z.record(z.string(), z.unknown()).optional().describe('The figures the message names.'),
})

/** Problem details (RFC 9457) of one of `codes`: the members every problem has, and any a type adds. */
export function problemSchema(codes: readonly ProblemCode[]) {
  const types = codes.map((code) => `${PROBLEM_TYPE_BASE}#${code}`)
  return z
    .looseObject({
      type: z.string().describe(`One of: ${types.join(', ')}.`),
      title: z.string(),
      status: z.number().int(),
      detail: z.string(),
      instance: z.string().optional().describe('The request, as the service’s logs name it.'),
      errors: z.array(fieldErrorSchema).optional(),
    })
    .describe(codes.map((code) => `${code}: ${PROBLEM_TYPES[code].title}`).join('; '))
}

export const isoDateSchema = z.iso.date().describe('A date, YYYY-MM-DD.')
export const timestampSchema = z.iso.datetime({ offset: true }).describe('A moment, ISO 8601 with offset.')
export const taskIdSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER)
export const regionCodeSchema = z.string().regex(/^[A-Z]{2,5}$/, 'a ROM region code such as LSE')
