/**
 * Why a task was (or was not) recommended: the rule and its version, every
 * safeguard and condition with the person's actual value and whether it
 * held, the priority factors and the reporting date. The database builds
 * this JSON as it evaluates (compile.ts), so what is stored with a task is
 * exactly what decided it; the functions here put it, and a rule, into
 * plain English for pages.
 */
import { londonDateOf } from '../clock.ts'
import { formatLongDate } from '../dates.ts'
import { findField, lists } from './fields.ts'
import type { Condition, ItemCondition, PriorityFactor, Rule, RuleSet, Tree } from './model.ts'
import {
  explanationOutline,
  HELD_BITS,
  type Leaf,
  leafKey,
  type OutlinedCondition,
  valueKey,
} from './outline.ts'
import { formatDate, formatValue } from './wording.ts'

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** One condition, in the order the rule lists them; `depth` > 0 sits inside an all / any / not. */
export interface ConditionOutcome {
  readonly id: string
  readonly text: string
  readonly depth: number
  /** The field tested, or the list counted; null for all / any / not. */
  readonly field: string | null
  /** The operator, or all / any / not. */
  readonly operator: string
  /** What the field is compared with: a value, a list, [low, high], "today", or null. */
  readonly expected: JsonValue
  /** The person's value (the count, for a list); null when missing or for all / any / not. */
  readonly actual: JsonValue
  readonly held: boolean
}

export interface SafeguardOutcome {
  readonly id: string
  readonly text: string
  readonly scope: 'global' | 'rule'
  readonly field: string | null
  readonly operator: string
  readonly expected: JsonValue
  readonly actual: JsonValue
  /** True when the safeguard excluded the person; false when it did not. */
  readonly held: boolean
  /** The parts of a safeguard made of several conditions. */
  readonly parts?: readonly ConditionOutcome[]
}

export interface FactorOutcome {
  readonly name: string
  readonly text: string
  readonly weight: number
  /** Whether the factor's condition held, or the number its scale reads (null when missing). */
  readonly value: boolean | number | null
  readonly points: number
}

export interface RecommendationExplanation {
  readonly rule: { readonly code: string; readonly name: string; readonly version: string }
  /** The date the rules were evaluated on: "today" in every condition. */
  readonly evaluatedOn: string
  readonly conditions: readonly ConditionOutcome[]
  readonly safeguards: readonly SafeguardOutcome[]
  readonly priority: { readonly score: number; readonly factors: readonly FactorOutcome[] }
  readonly reportingDate: { readonly field: string; readonly value: string | null }
  /** When the person's case data last changed (ISO timestamp). */
  readonly dataChangedAt: string
}

/**
 * The same explanation without its words: only what belongs to the person,
 * in the order of the rule's outline (outline.ts). About a seventh of the
 * size of the full form and several times cheaper to build, for storing
 * many tasks; expandExplanation() restores the full form from the rule set
 * of the same version, which is kept for as long as its tasks are. The
 * outcome of an all / any / not, of a safeguard and of a condition factor
 * follows from its tests, so only the tests' outcomes are stored.
 */
export interface CompactExplanation {
  readonly form: 'compact'
  readonly rule: string
  readonly version: string
  readonly evaluatedOn: string
  /** Whether each distinct test held: test i is bit i % 30 of held[⌊i / 30⌋]. */
  readonly held: readonly number[]
  /** The person's value behind each distinct value of the outline (a field, or a count of list items). */
  readonly values: readonly JsonValue[]
  /** The value each scale factor read, in the order of the factors. */
  readonly scales: readonly (number | null)[]
  /** The points of each priority factor. */
  readonly points: readonly number[]
  readonly reportingDate: string | null
  readonly dataChangedAt: string
}

export type StoredExplanation = RecommendationExplanation | CompactExplanation

export function isCompactExplanation(e: StoredExplanation): e is CompactExplanation {
  return (e as CompactExplanation).form === 'compact'
}

/**
 * The full explanation of a stored one: a full one as it is, a compact one
 * with its words from `ruleSet`, which must be the version that made it.
 */
export function expandExplanation(stored: StoredExplanation, ruleSet: RuleSet): RecommendationExplanation {
  if (!isCompactExplanation(stored)) return stored
  if (stored.version !== ruleSet.version) {
    throw new Error(`the explanation was made by rule set ${stored.version}, not ${ruleSet.version}`)
  }
  const rule = ruleSet.rules.find((r) => r.code === stored.rule)
  if (!rule) throw new Error(`rule set ${ruleSet.version} has no rule ${stored.rule}`)
  const outline = explanationOutline(rule)
  // Long lists are stored as lists of lists (jsonb_build_array takes 100 arguments at most).
  const values = (stored.values as JsonValue[]).flat()
  const masks = (stored.held as (number | number[])[]).flat()
  const tested = (leaf: Leaf): boolean => {
    const i = outline.testIndex.get(leafKey(leaf)) ?? -1
    return Math.floor((masks[Math.floor(i / HELD_BITS)] ?? 0) / 2 ** (i % HELD_BITS)) % 2 === 1
  }
  const held = (c: Condition): boolean => {
    switch (c.kind) {
      case 'field':
      case 'count':
        return tested(c)
      case 'all':
        return c.conditions.every(held)
      case 'any':
        return c.conditions.some(held)
      case 'not':
        return !held(c.condition)
    }
  }
  const actual = (leaf: Leaf | undefined): JsonValue =>
    leaf ? (values[outline.valueIndex.get(valueKey(leaf)) ?? -1] ?? null) : null
  const conditions = (outlined: readonly OutlinedCondition[]) =>
    outlined.map((c) => ({ ...c.fixed, actual: actual(c.leaf), held: held(c.condition) }))
  const points = (stored.points as (number | number[])[]).flat()
  let scale = 0
  const factors = outline.factors.map((f, i) => ({
    ...f.fixed,
    value:
      f.factor.measure.kind === 'condition'
        ? held(f.factor.measure.condition)
        : (stored.scales[scale++] ?? null),
    points: points[i] ?? 0,
  }))
  return {
    rule: { code: rule.code, name: rule.name, version: stored.version },
    evaluatedOn: stored.evaluatedOn,
    conditions: conditions(outline.conditions),
    safeguards: outline.safeguards.map((s) => ({
      ...s.fixed,
      actual: actual(s.leaf),
      held: held(s.condition),
      ...(s.parts ? { parts: conditions(s.parts) } : {}),
    })),
    priority: {
      // The points are rounded to hundredths; so is their sum, as in SQL.
      score: Math.round(factors.reduce((sum, f) => sum + f.points, 0) * 100) / 100,
      factors,
    },
    reportingDate: { field: rule.reportingDate.name, value: stored.reportingDate },
    dataChangedAt: stored.dataChangedAt,
  }
}

export type LineOutcome = 'met' | 'not met' | 'excluded' | 'not excluded'

export interface ExplanationLine {
  readonly text: string
  readonly depth: number
  readonly outcome?: LineOutcome
}

export interface ExplanationSection {
  readonly heading: string
  readonly lines: readonly ExplanationLine[]
}

/** The explanation of one recommendation, in plain English with the person's values. */
export function describeExplanation(e: RecommendationExplanation): ExplanationSection[] {
  const recommended = e.safeguards.every((s) => !s.held) && e.conditions.every((c) => c.depth > 0 || c.held)
  return [
    {
      heading: 'Rule',
      lines: [
        { text: `${e.rule.name} (${e.rule.code}), rule set version ${e.rule.version}`, depth: 0 },
        { text: `Evaluated on ${formatDate(e.evaluatedOn)}`, depth: 0 },
        { text: `The person's data last changed on ${formatTimestamp(e.dataChangedAt)}`, depth: 0 },
        { text: recommended ? 'Recommended' : 'Not recommended', depth: 0 },
      ],
    },
    {
      heading: 'Safeguards (checked first)',
      lines:
        e.safeguards.length === 0
          ? [{ text: 'None apply to this task', depth: 0 }]
          : e.safeguards.flatMap((s) => [
              {
                text: withActual(s.text, s.field, s.actual, s.parts === undefined),
                depth: 0,
                outcome: s.held ? 'excluded' : 'not excluded',
              } satisfies ExplanationLine,
              ...(s.parts ?? []).map((part) => conditionLine(part, 1)),
            ]),
    },
    { heading: 'Conditions', lines: e.conditions.map((c) => conditionLine(c, 0)) },
    {
      heading: 'Priority',
      lines: [
        { text: `Priority score ${formatNumber(e.priority.score)}`, depth: 0 },
        ...e.priority.factors.map((f) => ({
          text: `${f.text}: ${formatNumber(f.points)} of ${formatNumber(f.weight)} points (${factorValue(f.value)})`,
          depth: 1,
        })),
      ],
    },
    {
      heading: 'Reporting date',
      lines: [
        {
          text: `${findField(e.reportingDate.field)?.label ?? e.reportingDate.field}: ${e.reportingDate.value === null ? 'none' : formatDate(e.reportingDate.value)}`,
          depth: 0,
        },
      ],
    },
  ]
}

function conditionLine(c: ConditionOutcome, extraDepth: number): ExplanationLine {
  return {
    text: withActual(c.text, c.field, c.actual, c.field !== null),
    depth: c.depth + extraDepth,
    outcome: c.held ? 'met' : 'not met',
  }
}

/** "Harm level is High — the person's value: Medium". */
function withActual(text: string, field: string | null, actual: JsonValue, isLeaf: boolean): string {
  if (!isLeaf || field === null) return text
  return `${text} — the person's value: ${formatActual(field, actual)}`
}

export function formatActual(field: string, actual: JsonValue): string {
  const list = lists.get(field)
  if (list) {
    const n = typeof actual === 'number' ? actual : 0
    return `${n} ${n === 1 ? list.itemLabel : list.pluralLabel}`
  }
  const definition = findField(field)
  return definition ? formatValue(definition.type, actual) : actual === null ? 'not recorded' : String(actual)
}

function factorValue(value: boolean | number | null): string {
  if (value === null) return 'not recorded'
  if (typeof value === 'boolean') return value ? 'applies' : 'does not apply'
  return formatNumber(value)
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, '')
}

function formatTimestamp(timestamp: string): string {
  const instant = new Date(timestamp)
  return Number.isNaN(instant.getTime()) ? timestamp : formatLongDate(londonDateOf(instant))
}

// ----- the rules page -----

export interface RuleDescription {
  readonly code: string
  readonly name: string
  readonly description: string
  readonly owner: string
  readonly policyReferences: Rule['policyReferences']
  readonly changes: Rule['changes']
  readonly safeguards: readonly ExplanationLine[]
  readonly eligibility: readonly ExplanationLine[]
  readonly priority: readonly ExplanationLine[]
  readonly reportingDate: string
  readonly parameters: readonly {
    readonly name: string
    readonly value: string
    readonly description: string
  }[]
}

/** A rule's safeguards, conditions and priority in plain English, for the rules page. */
export function describeRule(rule: Rule): RuleDescription {
  return {
    code: rule.code,
    name: rule.name,
    description: rule.description,
    owner: rule.owner,
    policyReferences: rule.policyReferences,
    changes: rule.changes,
    safeguards: rule.safeguards.flatMap((s) => [
      {
        text: `${s.text}${s.scope === 'global' ? ' (global safeguard, all enforcement tasks)' : ''}`,
        depth: 0,
      },
      ...(s.condition.kind === 'field' || s.condition.kind === 'count'
        ? []
        : treeLines(childrenOf(s.condition), 1)),
    ]),
    eligibility: treeLines(rule.eligibility, 0),
    priority: rule.priority.map((f) => ({ text: describeFactor(f), depth: 0 })),
    reportingDate: rule.reportingDate.label,
    parameters: rule.parameters.map((p) => ({
      name: p.name,
      value: `${Array.isArray(p.value) ? p.value.join(', ') : String(p.value)}${p.unit ? ` ${p.unit}` : ''}`,
      description: p.description,
    })),
  }
}

function childrenOf(c: Condition): readonly Condition[] {
  return c.kind === 'all' || c.kind === 'any' ? c.conditions : c.kind === 'not' ? [c.condition] : []
}

function treeLines(conditions: readonly Tree<unknown>[], depth: number): ExplanationLine[] {
  return (conditions as readonly (Condition | ItemCondition)[]).flatMap((c) => [
    { text: c.text, depth },
    ...treeLines(childrenOf(c as Condition), depth + 1),
  ])
}

function describeFactor(f: PriorityFactor): string {
  if (f.measure.kind === 'condition')
    return `${f.text}: ${formatNumber(f.weight)} points when ${lowerFirst(f.measure.condition.text)}`
  const { field, upTo, direction } = f.measure
  const label = lowerFirst(field.label)
  return direction === 'higher'
    ? `${f.text}: up to ${formatNumber(f.weight)} points in proportion to ${label}, full points at ${upTo.value} or more, none when not recorded`
    : `${f.text}: up to ${formatNumber(f.weight)} points, full points when ${label} is 0 and fewer as it rises, none at ${upTo.value} or more or when not recorded`
}

function lowerFirst(text: string): string {
  return text.length > 1 && text[1] === text[1]?.toLowerCase() ? text[0]?.toLowerCase() + text.slice(1) : text
}

/** Sections as text, one line each, indented by depth: for the command line and logs. */
export function explanationAsText(sections: readonly ExplanationSection[]): string {
  return sections
    .map(
      (s) =>
        `${s.heading}\n${s.lines.map((l) => `${'  '.repeat(l.depth + 1)}${l.outcome ? `[${l.outcome}] ` : ''}${l.text}`).join('\n')}`,
    )
    .join('\n')
}
