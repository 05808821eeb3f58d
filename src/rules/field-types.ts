/**
 * The types of the field catalogue: what kind of value a field holds, where
 * that value comes from (a column, or one derived from it on "today"), and
 * the shapes of person fields, list-item fields and lists. Kept apart from
 * the catalogue's entries (person-fields.ts, list-fields.ts) so those and
 * their readers share the types without importing each other.
 */
import type { PersonRow } from '../db/tables.ts'

export type FieldType =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'number' }
  | { readonly kind: 'date' }
  | { readonly kind: 'text' }
  | {
      readonly kind: 'code'
      readonly codes: readonly string[]
      readonly labels: Readonly<Record<string, string>>
    }

export type FieldKind = FieldType['kind']

/**
 * Where a field's value comes from, relative to one row. Derived sources are
 * computed on the evaluation date ("today"), so a rule never stores an age.
 */
export type FieldSource<Column extends string> =
  | { readonly kind: 'column'; readonly column: Column }
  /** Whole years from the date in `column` to today (an age). */
  | { readonly kind: 'yearsSince'; readonly column: Column }
  /** Days from the date in `column` to today: positive when it is in the past. */
  | { readonly kind: 'daysSince'; readonly column: Column }
  /** Days from today to the date in `column`: positive when it is in the future. */
  | { readonly kind: 'daysUntil'; readonly column: Column }
  /** True while `column` is empty (a barrier with no resolved date is open). */
  | { readonly kind: 'isNull'; readonly column: Column }

interface FieldBase<Column extends string> {
  /** What rule authors write. */
  readonly name: string
  /** Plain-English words for pages: "Harm level". */
  readonly label: string
  readonly type: FieldType
  /** Whether a person may have no value at all (see the null semantics in compile.ts). */
  readonly nullable: boolean
  readonly source: FieldSource<Column>
}

export type PersonColumn = keyof PersonRow & string
export type PersonField = FieldBase<PersonColumn> & { readonly scope: 'person' }

/** A field of one item in a list (a barrier, an offence, a child …). */
export type ItemField = FieldBase<string> & { readonly scope: 'item'; readonly list: string }

export interface ListDefinition {
  /** What rule authors write after `count:`. */
  readonly name: string
  readonly table: 'barriers' | 'offences' | 'children' | 'vulnerability_indicators' | 'referrals'
  /** "barrier", for "Number of barriers …". */
  readonly itemLabel: string
  readonly pluralLabel: string
  readonly fields: ReadonlyMap<string, ItemField>
}

/** Shorthands the catalogue's entries are written with. */
export const BOOLEAN: FieldType = { kind: 'boolean' }
export const NUMBER: FieldType = { kind: 'number' }
export const DATE: FieldType = { kind: 'date' }
export const TEXT: FieldType = { kind: 'text' }
export function code(values: { codes: readonly string[]; labels: Record<string, string> }): FieldType {
  return { kind: 'code', codes: values.codes, labels: values.labels }
}

export const column = <C extends string>(c: C) => ({ kind: 'column', column: c }) as const

/** The label of a code, or the code itself when the field has no such code. */
export function codeLabel(type: FieldType, value: string): string {
  return type.kind === 'code' ? (type.labels[value] ?? value) : value
}
