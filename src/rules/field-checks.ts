/**
 * What a rule file may say about a field of the catalogue, checked in one
 * place for every part of the file that names a field or gives it a value
 * (conditions, a priority scale, the reporting date, test persons), so the
 * same mistake always gets the same words wherever it is made.
 */
import { parseIsoDate } from '../dates.ts'
import type { ItemField, ListDefinition, PersonField } from './field-types.ts'
import { personFields, protectedCharacteristic } from './fields.ts'
import { formatLimit, MAX_DAYS, MAX_WHOLE_NUMBER, MAX_YEARS } from './limits.ts'
import { didYouMean } from './suggest.ts'

/**
 * Why `name` is not a field of a person or of an item of `list`. Naming a
 * protected characteristic gets the reason it may not be read rather than a
 * spelling suggestion. An item's fields are few enough to list; a person's
 * are too many, and the rule-file schema and the rules page list them.
 * `alsoSuggest` adds names that could be meant where a field is asked for
 * (a test person may give a list by name).
 */
export function unknownFieldProblem(
  name: string,
  list?: ListDefinition,
  alsoSuggest: Iterable<string> = [],
): string {
  const refused = protectedCharacteristic(name)
  if (refused) return refused
  if (!list)
    return `a person has no field ${name}${didYouMean(name, [...personFields.keys(), ...alsoSuggest])}`
  const names = [...list.fields.keys()]
  return `a ${list.itemLabel} has no field ${name} (fields: ${names.join(', ')})${didYouMean(name, [...names, ...alsoSuggest])}`
}

/**
 * What a value is for, which decides what it may be. A condition compares a
 * field with it, so a date must be a calendar date and a number any whole
 * number a threshold may be. A test person holds it, written to the field's
 * column: so it may be null where the column may be empty, a date may be
 * relative to the test's today, and a derived number (an age, days since)
 * must turn back into a date the database can hold.
 */
export type ValueUse = 'condition' | 'test person'

/** today, today+7, today-90: a date relative to a rule test's today. */
const RELATIVE_DATE = /^today([+-]\d{1,5})?$/

const DATE_FORMS: Readonly<Record<ValueUse, string>> = {
  condition: 'YYYY-MM-DD',
  'test person': 'YYYY-MM-DD, today, today+N or today-N',
}

/** Why `value` cannot be a value of `field` used as `use` says, or nothing when it can. */
export function valueProblem(
  value: unknown,
  field: PersonField | ItemField,
  use: ValueUse,
): string | undefined {
  if (value === null && use === 'test person')
    return field.nullable ? undefined : `${field.name} always has a value: it cannot be null`
  const type = field.type
  switch (type.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${field.name} is a yes/no field: use true or false`
    case 'number': {
      const [min, max] = wholeNumberRange(field, use)
      return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
        ? undefined
        : `${field.name} takes a whole number between ${formatLimit(min)} and ${formatLimit(max)}`
    }
    case 'date':
      return isDate(value, use) ? undefined : `${field.name} is a date: write it as ${DATE_FORMS[use]}`
    case 'text':
      return typeof value === 'string' ? undefined : `${field.name} is text`
    case 'code':
      return typeof value === 'string' && type.codes.includes(value)
        ? undefined
        : `${JSON.stringify(value)} is not a code of ${field.name} (use one of ${type.codes.join(', ')})${typeof value === 'string' ? didYouMean(value, type.codes) : ''}`
  }
}

function isDate(value: unknown, use: ValueUse): boolean {
  if (typeof value !== 'string') return false
  return parseIsoDate(value) !== undefined || (use === 'test person' && RELATIVE_DATE.test(value))
}

/**
 * The whole numbers `field` may be given. A test person's value of a derived
 * field becomes a date (an age a date of birth, days since a date that many
 * days back), which must stay within the years PostgreSQL can hold.
 */
function wholeNumberRange(field: PersonField | ItemField, use: ValueUse): readonly [number, number] {
  if (use === 'test person') {
    switch (field.source.kind) {
      case 'yearsSince':
        return [0, MAX_YEARS]
      case 'daysSince':
      case 'daysUntil':
        return [-MAX_DAYS, MAX_DAYS]
    }
  }
  return [-MAX_WHOLE_NUMBER, MAX_WHOLE_NUMBER]
}
