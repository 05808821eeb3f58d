/**
 * A rule set after loading: every name resolved (fields from the catalogue,
 * parameters to their values, definitions inlined), every condition in
 * plain English. The compiler, the explanation and the rules page read this
 * model only, never the YAML.
 *
 * The unions are discriminated so that an impossible combination (a between
 * without a high bound, a count over an unknown list) cannot be built.
 */
import type { IsoDate } from '../dates.ts'
import type { ItemField, ListDefinition, PersonField } from './field-types.ts'
import type {
  ComparisonOperator,
  CountPresenceOperator,
  DateOperator,
  DayWindowOperator,
  ListOperator,
  PresenceOperator,
  ValueOperator,
} from './operators.ts'

/** A value a condition compares with, and the parameter it came from (if any). */
export interface Operand<T> {
  readonly value: T
  readonly parameter: string | undefined
}

export type Scalar = boolean | number | string

/** What a field is tested against: one variant per operator family. */
export type FieldTest =
  | { readonly operator: ValueOperator; readonly operand: Operand<Scalar> }
  | { readonly operator: ListOperator; readonly operand: Operand<readonly Scalar[]> }
  | { readonly operator: ComparisonOperator; readonly operand: Operand<number> }
  | {
      readonly operator: 'between'
      readonly low: Operand<number | IsoDate>
      readonly high: Operand<number | IsoDate>
    }
  | { readonly operator: PresenceOperator }
  /** `today` means the evaluation date. */
  | { readonly operator: DateOperator; readonly operand: Operand<IsoDate | 'today'> }
  | { readonly operator: DayWindowOperator; readonly operand: Operand<number> }

export type CountTest =
  | { readonly operator: CountPresenceOperator }
  | { readonly operator: ValueOperator | ComparisonOperator; readonly operand: Operand<number> }
  | { readonly operator: 'between'; readonly low: Operand<number>; readonly high: Operand<number> }

interface Node {
  /** The author's name for it, or its path in the file when it has none. */
  readonly id: string
  /** Plain English: the author's words, or words made from the field and operator. */
  readonly text: string
  /** Where it is written, for problems and for the rules page. */
  readonly file: string
  readonly path: string
}

export interface FieldCondition<F extends PersonField | ItemField = PersonField> extends Node {
  readonly kind: 'field'
  readonly field: F
  readonly test: FieldTest
}

export interface CountCondition extends Node {
  readonly kind: 'count'
  readonly list: ListDefinition
  /** Which items count; every item when absent. */
  readonly where: ItemCondition | undefined
  readonly test: CountTest
}

export interface GroupCondition<Leaf> extends Node {
  readonly kind: 'all' | 'any'
  readonly conditions: readonly Tree<Leaf>[]
}

export interface NotCondition<Leaf> extends Node {
  readonly kind: 'not'
  readonly condition: Tree<Leaf>
}

export type Tree<Leaf> = Leaf | GroupCondition<Leaf> | NotCondition<Leaf>

/** A condition on a person. */
export type Condition = Tree<FieldCondition<PersonField> | CountCondition>
/** A condition on one item of a list. */
export type ItemCondition = Tree<FieldCondition<ItemField>>

export interface PolicyReference {
  readonly title: string
  readonly url: string
}

export interface ChangeNote {
  readonly date: IsoDate
  readonly author: string
  readonly note: string
}

export interface Parameter {
  readonly name: string
  readonly value: Scalar | readonly string[]
  readonly description: string
  readonly unit: string | undefined
}

export interface Safeguard {
  readonly id: string
  readonly text: string
  /** Global safeguards apply to every enforcement task type; rule safeguards to one. */
  readonly scope: 'global' | 'rule'
  readonly references: readonly PolicyReference[]
  /** The person is excluded when this holds. */
  readonly condition: Condition
  readonly file: string
}

export type PriorityMeasure =
  | { readonly kind: 'condition'; readonly condition: Condition }
  | {
      readonly kind: 'scale'
      readonly field: PersonField
      readonly upTo: Operand<number>
      readonly direction: 'higher' | 'lower'
    }

export interface PriorityFactor {
  readonly name: string
  readonly text: string
  /** The most points the factor gives. */
  readonly weight: number
  readonly measure: PriorityMeasure
}

/** A test person: values by field name; lists as items of field values. Dates may be relative ("today-90"). */
export type TestValue = boolean | number | string | null
export interface TestPerson {
  readonly fields: Readonly<Record<string, TestValue>>
  readonly lists: Readonly<Record<string, readonly Readonly<Record<string, TestValue>>[]>>
}

export interface RuleTestCase {
  readonly name: string
  /** Where the case is written: the rule's file, or global-safeguards.yaml for a global case. */
  readonly file: string
  readonly path: string
  readonly today: IsoDate
  /** The typical person with the case's changes applied. */
  readonly person: TestPerson
  readonly expect: 'recommended' | 'not recommended'
  readonly decidedBy: string | undefined
  readonly priority: number | undefined
}

export interface Rule {
  /** The task type code. */
  readonly code: string
  readonly name: string
  readonly description: string
  readonly owner: string
  readonly policyReferences: readonly PolicyReference[]
  readonly changes: readonly ChangeNote[]
  readonly parameters: readonly Parameter[]
  readonly appliesGlobalSafeguards: boolean
  /** Every safeguard this rule checks, in order: the global ones first, then its own. */
  readonly safeguards: readonly Safeguard[]
  /** All of these must hold. */
  readonly eligibility: readonly Condition[]
  readonly priority: readonly PriorityFactor[]
  /** The date the task is tied to (a person-level date field). */
  readonly reportingDate: PersonField
  readonly tests: readonly RuleTestCase[]
  readonly file: string
}

export interface GlobalSafeguards {
  readonly name: string
  readonly description: string
  readonly owner: string
  readonly policyReferences: readonly PolicyReference[]
  readonly changes: readonly ChangeNote[]
  readonly parameters: readonly Parameter[]
  readonly safeguards: readonly Safeguard[]
  readonly file: string
}

export interface RuleSetFile {
  readonly name: string
  readonly content: string
}

export interface RuleSet {
  /** A hash of every file's content: the same files always give the same version. */
  readonly version: string
  /** One per task type, in code order. */
  readonly rules: readonly Rule[]
  readonly globalSafeguards: GlobalSafeguards | undefined
  readonly files: readonly RuleSetFile[]
}

/** The default date rule-file test cases are evaluated on, when a file does not say. */
export const DEFAULT_TEST_TODAY = '2025-06-02' as IsoDate
