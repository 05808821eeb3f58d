/**
 * The field catalogue: every part of the case record a rule may read, by the
 * dotted name rule authors write (`harm.harmLevel`, `person.age`), with its
 * type, its words for pages and where its value comes from.
 *
 * Rules see the case model, not the tables: a field is either a column or a
 * value derived from one on "today" (ages, days since, whether a barrier is
 * still open). The compiler turns a source into SQL; the rule-test runner
 * turns a test person's value back into columns.
 *
 * Nationality, ethnicity and gender are deliberately absent: they must never
 * decide or order a recommendation. Naming one in a rule is a reported
 * problem, not an "unknown field".
 */
import type { ItemField, ListDefinition, PersonField } from './field-types.ts'
import { LISTS } from './list-fields.ts'
import { PERSON_FIELDS } from './person-fields.ts'

export const personFields: ReadonlyMap<string, PersonField> = new Map(PERSON_FIELDS.map((f) => [f.name, f]))
export const lists: ReadonlyMap<string, ListDefinition> = new Map(LISTS.map((l) => [l.name, l]))

/** Every name an item condition may use, over all lists: for the JSON Schema. */
export const itemFieldNames: readonly string[] = [
  ...new Set(LISTS.flatMap((l) => [...l.fields.keys()])),
].sort()

/**
 * Parts of the record that exist but that rules must never read. Checked by
 * the last part of the name, so `person.nationality` and `nationality` are
 * both refused with the reason rather than a spelling suggestion.
 */
const PROTECTED: ReadonlyMap<string, string> = new Map([
  ['nationality', 'nationality'],
  ['countryofnationality', 'nationality'],
  ['ethnicity', 'ethnicity'],
  ['ethnicgroup', 'ethnicity'],
  ['gender', 'gender'],
  ['sex', 'gender'],
])

/** "nationality is not available to rules or priority" when `name` names a protected characteristic. */
export function protectedCharacteristic(name: string): string | undefined {
  const last = name.split('.').at(-1)?.toLowerCase() ?? ''
  const what = PROTECTED.get(last)
  return what ? `${what} is not available to rules or priority` : undefined
}

/** A person-level or item-level field by the name a rule uses. */
export function findField(name: string): PersonField | ItemField | undefined {
  const person = personFields.get(name)
  if (person) return person
  const dot = name.indexOf('.')
  if (dot < 0) return undefined
  return lists.get(name.slice(0, dot))?.fields.get(name.slice(dot + 1))
}
