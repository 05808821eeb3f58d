/**
 * The fixed part of a rule's explanation: every condition, safeguard and
 * priority factor in the order the explanation lists them, with everything
 * that does not depend on the person (id, words, field, operator, expected
 * value). The compiler adds the person's values to it in SQL; the
 * expansion of a compact explanation adds them in JavaScript. Both walk this
 * one outline, so they cannot disagree about what is where.
 */
import type { JsonValue } from './explanation.ts'
import type {
  Condition,
  CountCondition,
  CountTest,
  FieldCondition,
  FieldTest,
  PriorityFactor,
  Rule,
} from './model.ts'

export interface ConditionFixed {
  readonly id: string
  readonly text: string
  readonly depth: number
  readonly field: string | null
  readonly operator: string
  readonly expected: JsonValue
}

export interface OutlinedCondition {
  readonly fixed: ConditionFixed
  readonly condition: Condition
  /** The leaf whose value is the person's actual value; undefined for all / any / not. */
  readonly leaf: FieldCondition | CountCondition | undefined
}

export interface OutlinedSafeguard {
  readonly fixed: Omit<ConditionFixed, 'depth'> & { readonly scope: 'global' | 'rule' }
  readonly condition: Condition
  readonly leaf: FieldCondition | CountCondition | undefined
  /** The parts of a safeguard made of several conditions; undefined for a single test. */
  readonly parts: readonly OutlinedCondition[] | undefined
}

export interface OutlinedFactor {
  readonly fixed: { readonly name: string; readonly text: string; readonly weight: number }
  readonly factor: PriorityFactor
}

export interface ExplanationOutline {
  readonly conditions: readonly OutlinedCondition[]
  readonly safeguards: readonly OutlinedSafeguard[]
  readonly factors: readonly OutlinedFactor[]
}

const outlines = new WeakMap<Rule, ExplanationOutline>()

export function explanationOutline(rule: Rule): ExplanationOutline {
  let outline = outlines.get(rule)
  if (!outline) {
    outline = {
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
        fixed: { name: f.name, text: f.text, weight: f.weight },
        factor: f,
      })),
    }
    outlines.set(rule, outline)
  }
  return outline
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

function isLeaf(c: Condition): c is FieldCondition | CountCondition {
  return c.kind === 'field' || c.kind === 'count'
}

function childrenOf(c: Condition): readonly Condition[] {
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
