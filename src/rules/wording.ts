/**
 * Plain English for conditions and values, shared by the loader (a condition
 * the author gave no text gets these words), the explanation of a
 * recommendation and the rules page, so all three say the same thing.
 */
import { formatLongDate, type IsoDate, parseIsoDate } from '../dates.ts'
import { codeLabel, type FieldType, type ListDefinition } from './field-types.ts'
import type { CountTest, FieldTest, ItemCondition } from './model.ts'

/** A field's value as a page shows it: labels for codes, "25 July 2018" for dates. */
export function formatValue(type: FieldType, value: unknown): string {
  if (value === null || value === undefined) return 'not recorded'
  if (Array.isArray(value)) return joinWithOr(value.map((v) => formatValue(type, v)))
  switch (type.kind) {
    case 'boolean':
      return value === true ? 'yes' : value === false ? 'no' : String(value)
    case 'date':
      return formatDate(value)
    case 'code':
      return codeLabel(type, String(value))
    default:
      return String(value)
  }
}

export function formatDate(value: unknown): string {
  if (value === 'today') return 'today'
  const text = String(value)
  const date = parseIsoDate(text.slice(0, 10))
  return date ? formatLongDate(date) : text
}

export function joinWithOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}

export function joinWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

function dateReference(value: IsoDate | 'today'): string {
  return value === 'today' ? 'today' : formatDate(value)
}

/** "Harm level is High or Medium", "Next reporting date is within the next 28 days". */
export function describeFieldTest(label: string, type: FieldType, test: FieldTest): string {
  switch (test.operator) {
    case 'equals':
      return type.kind === 'boolean'
        ? `${label}: ${formatValue(type, test.operand.value)}`
        : `${label} is ${formatValue(type, test.operand.value)}`
    case 'not equals':
      return type.kind === 'boolean'
        ? `${label}: not ${formatValue(type, test.operand.value)}`
        : `${label} is not ${formatValue(type, test.operand.value)}`
    case 'in':
      return `${label} is ${formatValue(type, test.operand.value)}`
    case 'not in':
      return `${label} is none of ${joinWithAnd(test.operand.value.map((v) => formatValue(type, v)))}`
    case '<':
      return `${label} is less than ${test.operand.value}`
    case '<=':
      return `${label} is ${test.operand.value} or less`
    case '>':
      return `${label} is more than ${test.operand.value}`
    case '>=':
      return `${label} is ${test.operand.value} or more`
    case 'between':
      return `${label} is between ${formatValue(type, test.low.value)} and ${formatValue(type, test.high.value)}`
    case 'is set':
      return `${label} is recorded`
    case 'is not set':
      return `${label} is not recorded`
    case 'before':
      return `${label} is before ${dateReference(test.operand.value)}`
    case 'after':
      return `${label} is after ${dateReference(test.operand.value)}`
    case 'within last days':
      return `${label} is within the last ${days(test.operand.value)}`
    case 'within next days':
      return `${label} is within the next ${days(test.operand.value)}`
    case 'more than days ago':
      return `${label} is more than ${days(test.operand.value)} ago`
  }
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`
}

/** "At least one barrier (Still open: yes and Suspends removal: yes)". */
export function describeCount(
  list: ListDefinition,
  where: ItemCondition | undefined,
  test: CountTest,
): string {
  const which = where ? ` (${describeItemCondition(where)})` : ''
  switch (test.operator) {
    case 'some':
      return `At least one ${list.itemLabel}${which}`
    case 'none':
      return `No ${list.itemLabel}${which}`
    case 'between':
      return `Number of ${list.pluralLabel}${which} is between ${test.low.value} and ${test.high.value}`
    default: {
      const subject = `Number of ${list.pluralLabel}${which}`
      const n = test.operand.value
      switch (test.operator) {
        case 'equals':
          return `${subject} is ${n}`
        case 'not equals':
          return `${subject} is not ${n}`
        case '<':
          return `${subject} is less than ${n}`
        case '<=':
          return `${subject} is ${n} or less`
        case '>':
          return `${subject} is more than ${n}`
        case '>=':
          return `${subject} is ${n} or more`
      }
    }
  }
}

/** An item condition on one line, for inside a count's words. */
export function describeItemCondition(condition: ItemCondition): string {
  switch (condition.kind) {
    case 'field':
      return condition.text
    case 'all':
      return condition.conditions.map(describeNested).join(' and ')
    case 'any':
      return condition.conditions.map(describeNested).join(' or ')
    case 'not':
      return `not ${describeNested(condition.condition)}`
  }
}

function describeNested(condition: ItemCondition): string {
  return condition.kind === 'field' ? condition.text : `(${describeItemCondition(condition)})`
}

export const GROUP_WORDS = {
  all: 'All of the following',
  any: 'At least one of the following',
  not: 'The following does not hold',
} as const
