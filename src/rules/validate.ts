/**
 * From structurally valid files to the rule-set model: each rule file and
 * the global safeguards file checked for meaning, reporting every problem
 * found (not only the first) with the file and the path in it. This module
 * puts a file together; its parts are checked where they are made:
 * conditions in condition-resolution.ts (what they compare with in
 * condition-operands.ts), field names and values in field-checks.ts and test
 * cases in test-case-checks.ts.
 */
import type { IsoDate } from '../dates.ts'
import { ConditionResolver, Definitions } from './condition-resolution.ts'
import type { RawCondition } from './condition-schema.ts'
import { missingFactProblem } from './fact-checks.ts'
import { unknownFieldProblem } from './field-checks.ts'
import { personFields } from './fields.ts'
import { FileScope } from './file-scope.ts'
import { formatLimit, MAX_WHOLE_NUMBER } from './limits.ts'
import type { Condition, GlobalSafeguards, PriorityFactor, Rule, Safeguard } from './model.ts'
import { KIND_WORDS } from './operators.ts'
import type { Path, RuleSetProblem } from './problems.ts'
import type { RawGlobalSafeguardsFile, RawRuleFile } from './rule-file-schema.ts'
import { checkGlobalTestCases, type GlobalTestCases, ruleTestCases } from './test-case-checks.ts'

type RawSafeguard = NonNullable<RawRuleFile['safeguards']>[number]

export interface ValidatedGlobal {
  readonly model: GlobalSafeguards
  /** Its definitions, which every rule file may use too. */
  readonly definitions: Definitions
  readonly tests: GlobalTestCases
}

export function validateGlobalSafeguards(
  file: string,
  raw: RawGlobalSafeguardsFile,
  problems: RuleSetProblem[],
): ValidatedGlobal {
  const scope = new FileScope(file, raw.parameters, problems)
  const definitions = fileDefinitions(raw.definitions, scope)
  const resolver = new ConditionResolver(scope, definitions)
  const safeguards = uniqueSafeguards(raw.safeguards, scope, 'safeguards', [])
    .map(([s, i]) => safeguardOf(s, 'global', resolver, scope, ['safeguards', i]))
    .filter((s) => s !== undefined)
  const tests = checkGlobalTestCases(raw.tests, new Set(raw.safeguards.map((s) => s.id)), scope)
  scope.reportUnusedParameters()
  return {
    model: {
      name: raw.name,
      description: raw.description,
      owner: raw.owner,
      policyReferences: raw.policyReferences,
      changes: raw.changes.map((c) => ({ ...c, date: c.date as IsoDate })),
      parameters: scope.parameterList(),
      safeguards,
      file,
    },
    definitions,
    tests,
  }
}

export function validateRule(
  file: string,
  raw: RawRuleFile,
  global: ValidatedGlobal | undefined,
  problems: RuleSetProblem[],
): Rule | undefined {
  const before = problems.length
  const scope = new FileScope(file, raw.parameters, problems)
  const definitions = fileDefinitions(raw.definitions, scope, global?.definitions)
  const resolver = new ConditionResolver(scope, definitions)

  if (raw.globalSafeguards && !global) {
    scope.report(
      ['globalSafeguards'],
      'the global safeguards apply, but the rule set has no global-safeguards.yaml',
    )
  }
  const globalSafeguards = raw.globalSafeguards ? (global?.model.safeguards ?? []) : []
  const own = uniqueSafeguards(
    raw.safeguards,
    scope,
    'safeguards',
    globalSafeguards.map((s) => s.id),
  )
    .map(([s, i]) => safeguardOf(s, 'rule', resolver, scope, ['safeguards', i]))
    .filter((s) => s !== undefined)

  const root = resolver.root(raw.eligibility, ['eligibility'])
  const eligibility: Condition[] =
    root === undefined
      ? []
      : root.kind === 'all' && !hasLabels(raw.eligibility)
        ? [...root.conditions]
        : [root]

  const priority = priorityFactors(raw, resolver, scope)

  const reportingDate = personFields.get(raw.reportingDate)
  const reportingDateFact = reportingDate && missingFactProblem(reportingDate)
  if (!reportingDate) {
    scope.report(['reportingDate'], unknownFieldProblem(raw.reportingDate))
  } else if (reportingDateFact) {
    scope.report(['reportingDate'], reportingDateFact)
  } else if (reportingDate.type.kind !== 'date') {
    scope.report(
      ['reportingDate'],
      `${raw.reportingDate} is not a date: the reporting date must be a date field`,
    )
  }

  const safeguards = [...globalSafeguards, ...own]
  const complete = root !== undefined && own.length === (raw.safeguards ?? []).length
  const tests = ruleTestCases(
    raw.tests,
    scope,
    complete ? { safeguards, eligibility } : undefined,
    raw.globalSafeguards ? global?.tests : undefined,
  )
  scope.reportUnusedParameters()

  if (problems.length > before || !reportingDate) return undefined
  return {
    code: raw.code,
    name: raw.name,
    description: raw.description,
    owner: raw.owner,
    policyReferences: raw.policyReferences,
    changes: raw.changes.map((c) => ({ ...c, date: c.date as IsoDate })),
    parameters: scope.parameterList(),
    appliesGlobalSafeguards: raw.globalSafeguards,
    safeguards,
    eligibility,
    priority,
    reportingDate,
    tests,
    file,
  }
}

/** A file's definitions in front of `parent`'s, every one checked whether used or not. */
function fileDefinitions(
  raw: RawRuleFile['definitions'] | RawGlobalSafeguardsFile['definitions'],
  scope: FileScope,
  parent?: Definitions,
): Definitions {
  const definitions = new Definitions(parent)
  for (const [name, definition] of Object.entries(raw ?? {})) {
    definitions.add(name, definition, scope, ['definitions', name])
  }
  definitions.resolveAll([])
  return definitions
}

function safeguardOf(
  raw: RawSafeguard,
  scope: 'global' | 'rule',
  resolver: ConditionResolver,
  file: FileScope,
  path: Path,
): Safeguard | undefined {
  if (scope === 'global' && (raw.references ?? []).length === 0) {
    file.report(
      [...path, 'references'],
      'a global safeguard must name the guidance it puts into effect (references)',
    )
  }
  const condition = resolver.root(raw.when, [...path, 'when'])
  return (
    condition && {
      id: raw.id,
      text: raw.text,
      scope,
      references: raw.references ?? [],
      condition,
      file: file.file,
    }
  )
}

/** Safeguards with their index, reporting a repeated id. */
function uniqueSafeguards(
  safeguards: readonly RawSafeguard[] | undefined,
  scope: FileScope,
  key: string,
  taken: readonly string[],
): [RawSafeguard, number][] {
  const seen = new Set(taken)
  const out: [RawSafeguard, number][] = []
  ;(safeguards ?? []).forEach((s, i) => {
    if (seen.has(s.id)) {
      scope.report(
        [key, i, 'id'],
        `the safeguard id ${s.id} is already used${taken.includes(s.id) ? ' by a global safeguard' : ''}`,
      )
    } else {
      seen.add(s.id)
      out.push([s, i])
    }
  })
  return out
}

function priorityFactors(raw: RawRuleFile, resolver: ConditionResolver, scope: FileScope): PriorityFactor[] {
  const names = new Set<string>()
  return raw.priority
    .map((factor, i): PriorityFactor | undefined => {
      const path: Path = ['priority', i]
      if (names.has(factor.name))
        scope.report([...path, 'name'], `the factor name ${factor.name} is already used`)
      names.add(factor.name)
      const base = { name: factor.name, text: factor.text, weight: factor.weight }
      if (factor.when) {
        const condition = resolver.root(factor.when, [...path, 'when'])
        return condition && { ...base, measure: { kind: 'condition', condition } }
      }
      const scale = factor.scale
      if (!scale) return undefined
      const field = personFields.get(scale.field)
      if (!field) {
        scope.report([...path, 'scale', 'field'], unknownFieldProblem(scale.field))
        return undefined
      }
      const missingFact = missingFactProblem(field)
      if (missingFact) {
        scope.report([...path, 'scale', 'field'], missingFact)
        return undefined
      }
      if (field.type.kind !== 'number') {
        scope.report(
          [...path, 'scale', 'field'],
          `${scale.field} is ${KIND_WORDS[field.type.kind]}: a scale needs a number field`,
        )
        return undefined
      }
      const upTo = scope.parameter(scale.upTo, [...path, 'scale', 'upTo'])
      if (!upTo) return undefined
      if (typeof upTo.value !== 'number' || upTo.value <= 0 || upTo.value > MAX_WHOLE_NUMBER) {
        scope.report(
          [...path, 'scale', 'upTo'],
          `the parameter ${scale.upTo} must be a number more than 0 and at most ${formatLimit(MAX_WHOLE_NUMBER)}`,
        )
        return undefined
      }
      return {
        ...base,
        measure: {
          kind: 'scale',
          field,
          upTo: { value: upTo.value, parameter: scale.upTo },
          direction: scale.direction,
        },
      }
    })
    .filter((factor) => factor !== undefined)
}

/** Whether the author named or worded a condition (then it is kept as one item, not unfolded). */
function hasLabels(raw: RawCondition): boolean {
  const labels = raw as { id?: string; text?: string }
  return labels.id !== undefined || labels.text !== undefined
}
