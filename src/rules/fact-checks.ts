/**
 * Whether the person facts table keeps what a field reads
 * (docs/decisions/0024-person-facts.md). The table's columns are fixed, not
 * generated from the rules: a catalogue field whose column the table lacks
 * is refused wherever a rule names it, by name, so that `ipic rules check`
 * and a run can never disagree about it.
 */
import { FACT_LISTS, FACT_PERSON_COLUMNS } from '../db/person-facts.ts'
import type { ItemField, PersonField } from './field-types.ts'
import { lists } from './fields.ts'

/** The columns the facts table keeps: of the person, and of each list table's items. */
export interface KeptFacts {
  readonly person: ReadonlySet<string>
  readonly items: ReadonlyMap<string, ReadonlySet<string>>
}

export const KEPT_FACTS: KeptFacts = {
  person: new Set(FACT_PERSON_COLUMNS),
  items: new Map(FACT_LISTS.map((list) => [list.table, new Set(list.columns)])),
}

/** Why a rule may not read `field` (the facts table lacks its column), or nothing when it may. */
export function missingFactProblem(
  field: PersonField | ItemField,
  kept: KeptFacts = KEPT_FACTS,
): string | undefined {
  const column = field.source.column
  if (field.scope === 'person') {
    return kept.person.has(column)
      ? undefined
      : `${field.name} is not kept in the person facts the rules read (person_facts has no column ${column}), so no rule can use it yet`
  }
  const table = lists.get(field.list)?.table
  return table !== undefined && kept.items.get(table)?.has(column)
    ? undefined
    : `${field.list}.${field.name} is not kept in the person facts the rules read (person_facts keeps no ${column} of ${field.list}), so no rule can use it yet`
}
