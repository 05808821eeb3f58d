/**
 * The fixed part of a rule's explanation: every condition, safeguard and
 * priority factor in the order the explanation lists them, with everything
 * that does not depend on the person (id, words, field, operator, expected
 * value), and the distinct tests and values a compact explanation records.
 * The compiler adds the person's values in SQL; the expansion of a compact
 * explanation adds them in JavaScript. Both walk this one outline, so they
 * cannot disagree about what is where.
 */
import type { ConditionOutcome, FactorOutcome, JsonValue, SafeguardOutcome } from './explanation-json.ts'
import type {
  Condition,
  CountCondition,
  CountTest,
  FieldCondition,
  FieldTest,
  ItemCondition,
  PriorityFactor,
  Rule,
} from './model.ts'

export type Leaf = FieldCondition | CountCondition

/** Outcomes per number in a compact explanation: an int4 holds 30 bits without reaching its sign. */
export const HELD_BITS = 30

/** What a condition's explanation says whoever the person is. */
export type ConditionFixed = Omit<ConditionOutcome, 'actual' | 'held'>

export interface OutlinedCondition {
  readonly fixed: ConditionFixed
  readonly condition: Condition
  /** The test whose value is the person's actual value; undefined for all / any / not. */
  readonly leaf: Leaf | undefined
}

export interface OutlinedSafeguard {
  readonly fixed: Omit<SafeguardOutcome, 'actual' | 'held' | 'parts'>
  readonly condition: Condition
  readonly leaf: Leaf | undefined
  /** The parts of a safeguard made of several conditions; undefined for a single test. */
  readonly parts: readonly OutlinedCondition[] | undefined
}

export interface OutlinedFactor {
  readonly fixed: Omit<FactorOutcome, 'value' | 'points'>
  readonly factor: PriorityFactor
}

export interface ExplanationOutline {
  readonly conditions: readonly OutlinedCondition[]
  readonly safeguards: readonly OutlinedSafeguard[]
  readonly factors: readonly OutlinedFactor[]
  /** Every distinct test (the same test twice counts once): a compact explanation records one bit each. */
  readonly tests: readonly Leaf[]
  /** One test per distinct value shown (a field, or a count): a compact explanation records each once. */
  readonly values: readonly Leaf[]
  /** Positions in `tests` by leafKey, and in `values` by valueKey. */
  readonly testIndex: ReadonlyMap<string, number>
  readonly valueIndex: ReadonlyMap<string, number>
}

const outlines = new WeakMap<Rule, ExplanationOutline>()

export function explanationOutline(rule: Rule): ExplanationOutline {
  const known = outlines.get(rule)
  if (known) return known
  const roots = [
    ...rule.eligibility,
    ...rule.safeguards.map((s) => s.condition),
    ...rule.priority.flatMap((f) => (f.measure.kind === 'condition' ? [f.measure.condition] : [])),
  ]
  const tests = distinct(roots.flatMap(leavesOf), leafKey)
  const values = distinct(roots.flatMap(leavesOf), valueKey)
  const outline: ExplanationOutline = {
    conditions: outlineConditions(rule.eligibility, 0),
    safeguards: rule.safeguards.map((s) => {
      const c = s.condition
      const leaf = isLeaf(c) ? c : undefined
      return {
        fixed: { id: s.id, text: s.text, scope: s.scope, ...describeTest(c) },
        condition: c,
        leaf,
        parts: leaf ? undefined : outlineConditions(childrenOf(c), 0),
      }
    }),
    factors: rule.priority.map((f) => ({
      fixed: {
        name: f.name,
        text: f.text,
        weight: f.weight,
        ...(f.measure.kind === 'scale' ? { field: f.measure.field.name } : {}),
      },
      factor: f,
    })),
    tests: tests.items,
    values: values.items,
    testIndex: tests.index,
    valueIndex: values.index,
  }
  outlines.set(rule, outline)
  return outline
}

function distinct(leaves: readonly Leaf[], key: (leaf: Leaf) => string) {
  const index = new Map<string, number>()
  const items: Leaf[] = []
  for (const leaf of leaves) {
    const k = key(leaf)
    if (index.has(k)) continue
    index.set(k, items.length)
    items.push(leaf)
  }
  return { items, index }
}

/** What a test tests, without its words: two tests with the same key always have the same outcome. */
export function leafKey(leaf: Leaf): string {
  return `${valueKey(leaf)}:${JSON.stringify(leaf.test)}`
}

/** Which value a test reads: a field, or the number of a list's items that match its where. */
export function valueKey(leaf: Leaf): string {
  return leaf.kind === 'field'
    ? `field:${leaf.field.name}`
    : `count:${leaf.list.name}:${leaf.where ? itemSignature(leaf.where) : '*'}`
}

/** What an item condition tests, without its words: the same test in two rules is counted once. */
export function itemSignature(c: ItemCondition): string {
  switch (c.kind) {
    case 'field':
      return `${c.field.name}:${JSON.stringify(c.test)}`
    case 'all':
    case 'any':
      return `${c.kind}(${c.conditions.map(itemSignature).join(',')})`
    case 'not':
      return `not(${itemSignature(c.condition)})`
  }
}

export function leavesOf(c: Condition): Leaf[] {
  return isLeaf(c) ? [c] : childrenOf(c).flatMap(leavesOf)
}

/** Pre-order: a group, then its parts one level deeper. */
function outlineConditions(conditions: readonly Condition[], depth: number): OutlinedCondition[] {
  return conditions.flatMap((c) => [
    {
      fixed: { id: c.id, text: c.text, depth, ...describeTest(c) },
      condition: c,
      leaf: isLeaf(c) ? c : undefined,
    },
    ...outlineConditions(childrenOf(c), depth + 1),
  ])
}

function isLeaf(c: Condition): c is Leaf {
  return c.kind === 'field' || c.kind === 'count'
}

export function childrenOf(c: Condition): readonly Condition[] {
  return c.kind === 'all' || c.kind === 'any' ? c.conditions : c.kind === 'not' ? [c.condition] : []
}

/** field, operator and expected of a condition, as the explanation records them. */
function describeTest(c: Condition): { field: string | null; operator: string; expected: JsonValue } {
  switch (c.kind) {
    case 'field':
      return { field: c.field.name, operator: c.test.operator, expected: expectedOf(c.test) }
    case 'count':
      return { field: c.list.name, operator: c.test.operator, expected: expectedOf(c.test) }
    default:
      return { field: null, operator: c.kind, expected: null }
  }
}

function expectedOf(test: FieldTest | CountTest): JsonValue {
  if ('operand' in test) return test.operand.value as JsonValue
  if ('low' in test) return [test.low.value, test.high.value]
  return null
}
