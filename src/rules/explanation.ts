/**
 * Why a task was (or was not) recommended: the rule and its version, every
 * safeguard and condition with the person's actual value and whether it
 * held, the priority factors and the reporting date. The database builds
 * this JSON (explanation-json.ts) with the same compiled conditions that
 * decide (compile.ts), re-run over the facts a task was recommended on
 * (stored-explanation.ts), so it is exactly what decided it; the functions
 * here put it, and a rule, into plain English for pages.
 */
import { londonDateOf } from '../clock.ts'
import { formatLongDate } from '../dates.ts'
import {
  type ConditionOutcome,
  type FactorOutcome,
  isCompactExplanation,
  type JsonValue,
  type RecommendationExplanation,
  type SafeguardOutcome,
  type StoredExplanation,
} from './explanation-json.ts'
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
  /** The whole line as a caseworker reads it. */
  readonly text: string
  readonly depth: number
  readonly outcome?: LineOutcome
  /**
   * A safeguard's or condition's line in parts, for pages that put it in
   * other words (the letter to the person): what the rule asks, put
   * positively, the answer for this person, and their value, labelled.
   */
  readonly parts?: {
    readonly statement: string
    readonly answer: string
    readonly value: string | undefined
  }
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
        { text: `${e.rule.name}, rule set version ${e.rule.version}`, depth: 0 },
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
              outcomeLine(
                s,
                0,
                s.held ? 'excluded' : 'not excluded',
                s.held ? 'so nothing is recommended' : 'so it does not stop the recommendation',
              ),
              ...(s.parts ?? []).map((part) => conditionLine(part, 1)),
            ]),
    },
    { heading: 'Conditions', lines: e.conditions.map((c) => conditionLine(c, 0)) },
    {
      heading: 'Priority',
      lines: [
        { text: `Priority score ${formatNumber(e.priority.score)}`, depth: 0 },
        ...e.priority.factors.map((f) => ({ text: factorLine(f), depth: 1 })),
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
  const which = c.depth === 0 ? 'condition' : 'part'
  return outcomeLine(
    c,
    c.depth + extraDepth,
    c.held ? 'met' : 'not met',
    `so this ${which} is ${c.held ? 'met' : 'not met'}`,
  )
}

/**
 * "Reporting compliance is Compliant: no (Reporting compliance: Absconder),
 * so this condition is not met": what the rule asks, the answer for this
 * person, their value with its label, and what follows.
 */
function outcomeLine(
  c: ConditionOutcome | SafeguardOutcome,
  depth: number,
  outcome: LineOutcome,
  consequence: string,
): ExplanationLine {
  const parts = positively(c)
  const value = parts.value === undefined ? '' : ` (${parts.value})`
  return { text: `${parts.statement}: ${parts.answer}${value}, ${consequence}`, depth, outcome, parts }
}

const NEGATED = /^(?:not|is not)\s+(?:an?\s+)?(\S)/i

/**
 * A condition put positively. "Not a high-harm foreign national offender"
 * (a not) is asked as "High-harm foreign national offender", answered the
 * other way round; a yes-or-no field's own test ("Pregnant: no") is asked
 * as its label ("Pregnant") with the person's answer; anything else is
 * asked as written, answered yes or no.
 */
export function positively(c: ConditionOutcome | SafeguardOutcome): NonNullable<ExplanationLine['parts']> {
  const held = c.held
  if (c.operator === 'not' && NEGATED.test(c.text)) {
    const statement = c.text.replace(NEGATED, (_, first: string) => first.toUpperCase())
    return { statement, answer: held ? 'no' : 'yes', value: undefined }
  }
  const definition = c.field === null ? undefined : findField(c.field)
  const isOwnTest = definition?.type.kind === 'boolean' && c.text.startsWith(`${definition.label}:`)
  if (definition && isOwnTest) {
    return {
      statement: definition.label,
      answer: formatActual(c.field as string, c.actual),
      value: undefined,
    }
  }
  return { statement: c.text, answer: held ? 'yes' : 'no', value: labelledValue(c.field, c.actual) }
}

/** "Reporting compliance: Absconder", "0 barriers"; undefined for a group, which has no value of its own. */
function labelledValue(field: string | null, actual: JsonValue): string | undefined {
  if (field === null) return undefined
  if (lists.has(field)) return formatActual(field, actual)
  return `${findField(field)?.label ?? field}: ${formatActual(field, actual)}`
}

/** "The next reporting date is soon: 27.86 of 30 points (Days until the next reporting date: 2)". */
function factorLine(f: FactorOutcome): string {
  const points = `${formatNumber(f.points)} of ${formatNumber(f.weight)} points`
  if (typeof f.value === 'boolean') return `${f.text}: ${f.value ? 'yes' : 'no'}, ${points}`
  const label = f.field ? (findField(f.field)?.label ?? f.field) : 'Value'
  return `${f.text}: ${points} (${label}: ${f.value === null ? 'not recorded' : formatNumber(f.value)})`
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
