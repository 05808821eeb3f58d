/**
 * The small zod schemas the rule-file, condition and test-case schemas are
 * built from: plain-English texts, camelCase names, dates, and the names of
 * fields, lists and parameters (checked against the catalogue later, in
 * validate.ts, where a message can suggest a spelling).
 */
import { z } from 'zod'
import { parseIsoDate } from '../dates.ts'

export const plainText = (what: string, max = 1000) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : `must be ${what}`) })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `is longer than ${max} characters`)

/** Names authors give to parameters, definitions, safeguards, conditions and factors. */
export const NAME_PATTERN = /^[a-z][A-Za-z0-9]*$/
export const name = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : `must be ${what}`) })
    .regex(NAME_PATTERN, `must be ${what} in camelCase, such as adultAtRisk`)

export const isoDate = z
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

export const parameterName = name('the name of a parameter').meta({
  description: 'The name of a parameter defined under `parameters` in this file.',
})

/** For an object that must give one of several keys and no more (value or parameter, when or scale). */
export const exactlyOne =
  (...keys: string[]) =>
  (value: Record<string, unknown>) =>
    keys.filter((key) => value[key] !== undefined).length === 1
