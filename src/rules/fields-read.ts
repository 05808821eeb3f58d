/**
 * Which parts of the case record a rule reads: every field its eligibility,
 * safeguards and priority factors test, the lists it counts (and the item
 * fields it counts them by), and the date its task is tied to. Used to say,
 * publicly, what data the rules use (the transparency record) — so it is
 * derived from the loaded rules, never written down by hand.
 */

import type { Condition, ItemCondition, Rule } from './model.ts'
import { leavesOf } from './outline.ts'

export interface FieldRead {
  /** What rule authors write: `person.age`, `vulnerabilityIndicators`, `offences.category`. */
  readonly name: string
  /** Plain English: "Age", "Vulnerability indicators", "Offence category". */
  readonly label: string
}

/** The fields a rule reads, each once, in the order the rule first reads them. */
export function fieldsReadBy(rule: Rule): FieldRead[] {
  const read = new Map<string, FieldRead>()
  const add = (field: FieldRead) => {
    if (!read.has(field.name)) read.set(field.name, field)
  }
  const conditions: Condition[] = [
    ...rule.eligibility,
    ...rule.safeguards.map((safeguard) => safeguard.condition),
    ...rule.priority.flatMap((factor) =>
      factor.measure.kind === 'condition' ? [factor.measure.condition] : [],
    ),
  ]
  for (const leaf of conditions.flatMap(leavesOf)) {
    if (leaf.kind === 'field') {
      add({ name: leaf.field.name, label: leaf.field.label })
      continue
    }
    const list = leaf.list
    add({ name: list.name, label: capitalise(list.pluralLabel) })
    for (const item of leaf.where ? itemFieldsOf(leaf.where) : []) {
      add({
        name: `${list.name}.${item.name}`,
        label: `${capitalise(list.pluralLabel)}: ${lowerFirst(item.label)}`,
      })
    }
  }
  for (const factor of rule.priority) {
    if (factor.measure.kind === 'scale')
      add({ name: factor.measure.field.name, label: factor.measure.field.label })
  }
  add({ name: rule.reportingDate.name, label: rule.reportingDate.label })
  return [...read.values()]
}

function itemFieldsOf(condition: ItemCondition): { name: string; label: string }[] {
  switch (condition.kind) {
    case 'field':
      return [condition.field]
    case 'all':
    case 'any':
      return condition.conditions.flatMap(itemFieldsOf)
    case 'not':
      return itemFieldsOf(condition.condition)
  }
}

function lowerFirst(words: string): string {
  return words.charAt(0).toLowerCase() + words.slice(1)
}

function capitalise(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1)
}
