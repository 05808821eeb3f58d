/**
 * From structurally valid files to the rule-set model: resolves every field
 * against the catalogue, every parameter to its value and every `ref` to its
 * definition, checks that each operator fits its field and each value its
 * type, and reports every problem it finds (not only the first) with the
 * file and the path in it.
 */
import { type IsoDate, parseIsoDate } from '../dates.ts'
import {
  findField,
  type ItemField,
  type ListDefinition,
  lists,
  type PersonField,
  personFields,
  protectedCharacteristic,
} from './fields.ts'
import {
  conditionDepth,
  formatLimit,
  MAX_CONDITION_DEPTH,
  MAX_DAYS,
  MAX_DEFINITION_CHAIN,
  MAX_WHOLE_NUMBER,
  MAX_YEARS,
  wholeNumberProblem,
} from './limits.ts'
import {
  type Condition,
  type CountTest,
  DEFAULT_TEST_TODAY,
  type FieldCondition,
  type FieldTest,
  type GlobalSafeguards,
  type ItemCondition,
  type Operand,
  type Parameter,
  type PriorityFactor,
  type Rule,
  type RuleTestCase,
  type Safeguard,
  type Scalar,
  type TestPerson,
  type TestValue,
  type Tree,
} from './model.ts'
import { KIND_WORDS, OPERATORS_BY_KIND } from './operators.ts'
import { formatPath, type Path, type RuleSetProblem } from './problems.ts'
import type {
  RawCondition,
  RawCountCondition,
  RawFieldCondition,
  RawGlobalSafeguardsFile,
  RawItemCondition,
  RawRuleFile,
  RawTestCase,
  RawTestPerson,
} from './schema.ts'
import { didYouMean } from './suggest.ts'
import { describeCount, describeFieldTest, GROUP_WORDS, joinWithOr } from './wording.ts'

type RawParameter = NonNullable<RawRuleFile['parameters']>[string]
type RawDefinition = NonNullable<RawRuleFile['definitions']>[string]
type RawSafeguard = NonNullable<RawRuleFile['safeguards']>[number]

/** One file's problems and parameters: records which parameters its conditions use. */
class FileScope {
  readonly file: string
  readonly #parameters: Readonly<Record<string, RawParameter>>
  readonly #problems: RuleSetProblem[]
  readonly #used = new Set<string>()

  constructor(
    file: string,
    parameters: Readonly<Record<string, RawParameter>> | undefined,
    problems: RuleSetProblem[],
  ) {
    this.file = file
    this.#parameters = parameters ?? {}
    this.#problems = problems
  }

  report(path: Path, message: string): void {
    this.#problems.push({ file: this.file, path: formatPath(path), message })
  }

  parameter(name: string, path: Path): RawParameter | undefined {
    // Own keys only: a name such as toString must not find what every object inherits.
    const parameter = Object.hasOwn(this.#parameters, name) ? this.#parameters[name] : undefined
    if (!parameter) {
      this.report(
        path,
        `the parameter ${name} is not defined under parameters in this file${didYouMean(name, Object.keys(this.#parameters))}`,
      )
      return undefined
    }
    this.#used.add(name)
    return parameter
  }

  /**
   * Marks parameters as used by a condition that could not be resolved for
   * another reason, so one mistake is not reported twice.
   */
  touch(...names: (string | undefined)[]): void {
    for (const name of names)
      if (name !== undefined && Object.hasOwn(this.#parameters, name)) this.#used.add(name)
  }

  parameterList(): Parameter[] {
    return Object.entries(this.#parameters).map(([name, p]) => ({
      name,
      value: p.value,
      description: p.description,
      unit: p.unit,
    }))
  }

  reportUnusedParameters(): void {
    for (const name of Object.keys(this.#parameters)) {
      if (!this.#used.has(name)) {
        this.report(
          ['parameters', name],
          `the parameter ${name} is not used by any condition or priority factor: use it or remove it`,
        )
      }
    }
  }
}

/**
 * Named conditions, resolved on first use and then shared. A rule file's
 * own definitions sit in front of the global ones.
 */
class Definitions {
  readonly #parent: Definitions | undefined
  readonly #entries = new Map<string, { raw: RawDefinition; scope: FileScope; path: Path }>()
  readonly #resolved = new Map<string, Condition | null>()

  constructor(parent?: Definitions) {
    this.#parent = parent
  }

  add(name: string, raw: RawDefinition, scope: FileScope, path: Path): void {
    if (!/^[a-z][A-Za-z0-9]*$/.test(name)) {
      scope.report(path, 'a definition name must be in camelCase, such as openSuspensiveBarrier')
    } else if (this.#parent?.has(name)) {
      scope.report(
        path,
        `the definition ${name} is already defined in global-safeguards.yaml: choose another name`,
      )
    } else {
      this.#entries.set(name, { raw, scope, path })
    }
  }

  has(name: string): boolean {
    return this.#entries.has(name) || (this.#parent?.has(name) ?? false)
  }

  names(): string[] {
    return [...this.#entries.keys(), ...(this.#parent?.names() ?? [])]
  }

  /** Resolves every definition, so a definition nobody uses is still checked. */
  resolveAll(resolving: string[]): void {
    for (const [name, entry] of this.#entries) this.#resolve(name, entry.scope, entry.path, resolving)
  }

  resolve(name: string, scope: FileScope, path: Path, resolving: string[]): Condition | undefined {
    if (this.#entries.has(name)) return this.#resolve(name, scope, path, resolving)
    if (this.#parent?.has(name)) return this.#parent.resolve(name, scope, path, resolving)
    scope.report(path, `there is no definition named ${name}${didYouMean(name, this.names())}`)
    return undefined
  }

  #resolve(name: string, refScope: FileScope, refPath: Path, resolving: string[]): Condition | undefined {
    const done = this.#resolved.get(name)
    if (done !== undefined) return done ?? undefined
    if (resolving.includes(name)) {
      const cycle = [...resolving.slice(resolving.indexOf(name)), name]
      refScope.report(refPath, `the definition ${name} refers back to itself: ${cycle.join(' → ')}`)
      return undefined
    }
    const entry = this.#entries.get(name)
    if (!entry) return undefined
    if (resolving.length >= MAX_DEFINITION_CHAIN) {
      refScope.report(
        refPath,
        `the definitions refer to one another more than ${MAX_DEFINITION_CHAIN} deep (${resolving[0]} → … → ${name}): shorten the chain`,
      )
      return undefined
    }
    resolving.push(name)
    const resolver = new ConditionResolver(entry.scope, this, resolving)
    const condition = resolver.condition(entry.raw.when, [...entry.path, 'when'])
    resolving.pop()
    const named = condition ? { ...condition, id: name, text: entry.raw.text } : undefined
    // A definition caught in a cycle is reported where the cycle closes; the
    // ones outside it remember the failure so it is not reported twice.
    this.#resolved.set(name, named ?? null)
    return named
  }
}

/** Turns raw conditions of one file into model conditions. */
class ConditionResolver {
  readonly #scope: FileScope
  readonly #definitions: Definitions
  readonly #resolving: string[]
  /** Names authors gave conditions in this rule, to refuse the same name twice. */
  readonly ids: Map<string, string>

  constructor(
    scope: FileScope,
    definitions: Definitions,
    resolving: string[] = [],
    ids = new Map<string, string>(),
  ) {
    this.#scope = scope
    this.#definitions = definitions
    this.#resolving = resolving
    this.ids = ids
  }

  /**
   * A whole condition (eligibility, a safeguard's or a factor's when), refused
   * when definitions filled in make it nest deeper than the compiler goes.
   */
  root(raw: RawCondition, path: Path): Condition | undefined {
    const condition = this.condition(raw, path)
    if (condition && conditionDepth(condition) > MAX_CONDITION_DEPTH) {
      this.#scope.report(
        path,
        `nests conditions more than ${MAX_CONDITION_DEPTH} deep once its definitions are filled in: simplify it`,
      )
      return undefined
    }
    return condition
  }

  condition(raw: RawCondition, path: Path): Condition | undefined {
    if ('ref' in raw)
      return this.#definitions.resolve(raw.ref, this.#scope, [...path, 'ref'], this.#resolving)
    if ('all' in raw || 'any' in raw) {
      const node = this.#node(raw, path)
      const kind = 'all' in raw ? 'all' : 'any'
      const items: readonly RawCondition[] = 'all' in raw ? raw.all : raw.any
      const conditions = items.map((item, i) => this.condition(item, [...path, kind, i]))
      if (!conditions.every(isDefined)) return undefined
      return { ...node, kind, text: raw.text ?? GROUP_WORDS[kind], conditions }
    }
    if ('not' in raw) {
      const node = this.#node(raw, path)
      const inner = this.condition(raw.not, [...path, 'not'])
      return inner && { ...node, kind: 'not', text: raw.text ?? `Not: ${inner.text}`, condition: inner }
    }
    if ('count' in raw) return this.#count(raw as RawCountCondition, path)
    return this.#field(raw, path, (name, at) => this.#personField(name, at))
  }

  #node(raw: { id?: string | undefined }, path: Path) {
    if (raw.id !== undefined) {
      const earlier = this.ids.get(raw.id)
      if (earlier !== undefined)
        this.#scope.report([...path, 'id'], `the id ${raw.id} is already used at ${earlier}`)
      else this.ids.set(raw.id, formatPath(path))
    }
    return { id: raw.id ?? formatPath(path), file: this.#scope.file, path: formatPath(path) }
  }

  #personField(name: string, path: Path): PersonField | undefined {
    const field = personFields.get(name)
    if (field) return field
    const refused = protectedCharacteristic(name)
    if (refused) this.#scope.report(path, refused)
    else if (lists.has(name))
      this.#scope.report(path, `${name} is a list: count its items with count: ${name} instead of field:`)
    else this.#scope.report(path, `there is no field ${name}${didYouMean(name, personFields.keys())}`)
    return undefined
  }

  #count(raw: RawCountCondition, path: Path): Condition | undefined {
    const node = this.#node(raw, path)
    const list = lists.get(raw.count)
    if (!list) {
      const named = raw as { parameter?: string; low?: string; high?: string }
      this.#scope.touch(named.parameter, named.low, named.high)
      const refused = protectedCharacteristic(raw.count)
      this.#scope.report(
        [...path, 'count'],
        refused ??
          `there is no list ${raw.count} (lists: ${[...lists.keys()].join(', ')})${didYouMean(raw.count, lists.keys())}`,
      )
      return undefined
    }
    const where = raw.where === undefined ? undefined : this.#item(raw.where, list, [...path, 'where'])
    if (raw.where !== undefined && where === undefined) return undefined
    const test = this.#countTest(raw, path)
    if (!test) return undefined
    return { ...node, kind: 'count', list, where, test, text: raw.text ?? describeCount(list, where, test) }
  }

  #countTest(raw: RawCountCondition, path: Path): CountTest | undefined {
    switch (raw.operator) {
      case 'some':
      case 'none':
        return { operator: raw.operator }
      case 'between': {
        const low = this.#countBound(raw.low, [...path, 'low'])
        const high = this.#countBound(raw.high, [...path, 'high'])
        if (!low || !high) return undefined
        if (low.value > high.value)
          this.#scope.report(
            [...path, 'low'],
            `${low.parameter} (${low.value}) is more than ${high.parameter} (${high.value})`,
          )
        return { operator: 'between', low, high }
      }
      default: {
        const operand = this.#countBound(raw.parameter, [...path, 'parameter'])
        return operand && { operator: raw.operator, operand }
      }
    }
  }

  #countBound(name: string, path: Path): Operand<number> | undefined {
    const parameter = this.#scope.parameter(name, path)
    if (!parameter) return undefined
    const problem = wholeNumberProblem(parameter.value, 0, MAX_WHOLE_NUMBER)
    if (problem) {
      this.#scope.report(path, `the parameter ${name} ${problem} to compare with a count`)
      return undefined
    }
    return { value: parameter.value as number, parameter: name }
  }

  #item(raw: RawItemCondition, list: ListDefinition, path: Path): ItemCondition | undefined {
    if ('all' in raw || 'any' in raw) {
      const node = this.#node(raw, path)
      const kind = 'all' in raw ? 'all' : 'any'
      const items: readonly RawItemCondition[] = 'all' in raw ? raw.all : raw.any
      const conditions = items.map((item, i) => this.#item(item, list, [...path, kind, i]))
      if (!conditions.every(isDefined)) return undefined
      return { ...node, kind, text: raw.text ?? GROUP_WORDS[kind], conditions }
    }
    if ('not' in raw) {
      const node = this.#node(raw, path)
      const inner = this.#item(raw.not, list, [...path, 'not'])
      return inner && { ...node, kind: 'not', text: raw.text ?? `not ${inner.text}`, condition: inner }
    }
    return this.#field(raw, path, (name, at) => {
      const field = list.fields.get(name)
      if (!field) {
        const refused = protectedCharacteristic(name)
        this.#scope.report(
          at,
          refused ??
            `a ${list.itemLabel} has no field ${name} (fields: ${[...list.fields.keys()].join(', ')})${didYouMean(name, list.fields.keys())}`,
        )
      }
      return field
    })
  }

  #field<F extends PersonField | ItemField>(
    raw: RawFieldCondition,
    path: Path,
    lookUp: (name: string, path: Path) => F | undefined,
  ): FieldCondition<F> | undefined {
    const node = this.#node(raw, path)
    const named = raw as { parameter?: string; low?: string; high?: string }
    const field = lookUp(raw.field, [...path, 'field'])
    if (!field) {
      this.#scope.touch(named.parameter, named.low, named.high)
      return undefined
    }
    const allowed = OPERATORS_BY_KIND[field.type.kind]
    if (!allowed.includes(raw.operator)) {
      this.#scope.touch(named.parameter, named.low, named.high)
      this.#scope.report(
        [...path, 'operator'],
        `the operator ${raw.operator} does not fit ${raw.field}, which is ${KIND_WORDS[field.type.kind]} (use ${joinWithOr(allowed)})`,
      )
      return undefined
    }
    const test = this.#fieldTest(raw, field, path)
    if (!test) return undefined
    return {
      ...node,
      kind: 'field',
      field,
      test,
      text: raw.text ?? describeFieldTest(field.label, field.type, test),
    }
  }

  #fieldTest(raw: RawFieldCondition, field: PersonField | ItemField, path: Path): FieldTest | undefined {
    switch (raw.operator) {
      case 'equals':
      case 'not equals': {
        const operand =
          raw.value !== undefined
            ? this.#literal(raw.value, field, [...path, 'value'])
            : this.#parameterValue(raw.parameter as string, field, [...path, 'parameter'])
        return operand && { operator: raw.operator, operand: operand as Operand<Scalar> }
      }
      case 'in':
      case 'not in': {
        const at: Path = raw.value !== undefined ? [...path, 'value'] : [...path, 'parameter']
        const named = raw.parameter === undefined ? undefined : this.#scope.parameter(raw.parameter, at)
        const values = raw.value ?? named?.value
        if (values === undefined) return undefined
        if (!Array.isArray(values)) {
          this.#scope.report(at, `the parameter ${raw.parameter} must be a list of codes for ${raw.operator}`)
          return undefined
        }
        const problems = values.map((v) => this.#fits(v, field)).filter(isDefined)
        for (const problem of problems) this.#scope.report(at, problem)
        if (problems.length > 0) return undefined
        return { operator: raw.operator, operand: { value: values, parameter: raw.parameter } }
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const operand = this.#parameterValue(raw.parameter, field, [...path, 'parameter'])
        return operand && { operator: raw.operator, operand: operand as Operand<number> }
      }
      case 'between': {
        const low = this.#parameterValue(raw.low, field, [...path, 'low'])
        const high = this.#parameterValue(raw.high, field, [...path, 'high'])
        if (!low || !high) return undefined
        if ((low.value as number | string) > (high.value as number | string)) {
          this.#scope.report(
            [...path, 'low'],
            `${raw.low} (${low.value}) is more than ${raw.high} (${high.value})`,
          )
          return undefined
        }
        return {
          operator: 'between',
          low: low as Operand<number | IsoDate>,
          high: high as Operand<number | IsoDate>,
        }
      }
      case 'is set':
      case 'is not set':
        return { operator: raw.operator }
      case 'before':
      case 'after': {
        if (raw.value === 'today')
          return { operator: raw.operator, operand: { value: 'today', parameter: undefined } }
        const operand = this.#parameterValue(raw.parameter as string, field, [...path, 'parameter'])
        return operand && { operator: raw.operator, operand: operand as Operand<IsoDate> }
      }
      case 'within last days':
      case 'within next days':
      case 'more than days ago': {
        const at: Path = [...path, 'parameter']
        const parameter = this.#scope.parameter(raw.parameter, at)
        if (!parameter) return undefined
        const problem = wholeNumberProblem(parameter.value, 0, MAX_DAYS)
        if (problem) {
          this.#scope.report(at, `the parameter ${raw.parameter} ${problem} (days)`)
          return undefined
        }
        return {
          operator: raw.operator,
          operand: { value: parameter.value as number, parameter: raw.parameter },
        }
      }
    }
  }

  /** A value written in the condition: a code, text or yes/no; numbers and dates must be parameters. */
  #literal(value: unknown, field: PersonField | ItemField, path: Path): Operand<Scalar> | undefined {
    if (Array.isArray(value)) {
      this.#scope.report(path, 'is a list: use the operator in (or not in) to compare with a list')
      return undefined
    }
    if (field.type.kind === 'number' || (field.type.kind === 'date' && value !== 'today')) {
      this.#scope.report(
        path,
        `${field.name} is ${KIND_WORDS[field.type.kind]}: thresholds must be named parameters (write parameter: with a name defined under parameters)`,
      )
      return undefined
    }
    if (field.type.kind === 'date') return { value: value as string, parameter: undefined }
    const problem = this.#fits(value, field)
    if (problem) {
      this.#scope.report(path, problem)
      return undefined
    }
    return { value: value as Scalar, parameter: undefined }
  }

  #parameterValue(name: string, field: PersonField | ItemField, path: Path): Operand<Scalar> | undefined {
    const parameter = this.#scope.parameter(name, path)
    if (!parameter) return undefined
    if (Array.isArray(parameter.value)) {
      this.#scope.report(
        path,
        `the parameter ${name} is a list: use the operator in (or not in) to compare with a list`,
      )
      return undefined
    }
    const problem = this.#fits(parameter.value, field)
    if (problem) {
      this.#scope.report(
        path,
        `the parameter ${name} (${JSON.stringify(parameter.value)}) does not fit: ${problem}`,
      )
      return undefined
    }
    return { value: parameter.value as Scalar, parameter: name }
  }

  /** Why `value` cannot be a value of `field`, or nothing when it can. */
  #fits(value: unknown, field: PersonField | ItemField): string | undefined {
    const type = field.type
    switch (type.kind) {
      case 'boolean':
        return typeof value === 'boolean' ? undefined : `${field.name} is a yes/no field: use true or false`
      case 'number': {
        return wholeNumberProblem(value, -MAX_WHOLE_NUMBER, MAX_WHOLE_NUMBER) === undefined
          ? undefined
          : `${field.name} takes a whole number between ${formatLimit(-MAX_WHOLE_NUMBER)} and ${formatLimit(MAX_WHOLE_NUMBER)}`
      }
      case 'date':
        return typeof value === 'string' && parseIsoDate(value) !== undefined
          ? undefined
          : `${field.name} is a date: write it as YYYY-MM-DD`
      case 'text':
        return typeof value === 'string' ? undefined : `${field.name} is text`
      case 'code':
        return typeof value === 'string' && type.codes.includes(value)
          ? undefined
          : `${JSON.stringify(value)} is not a code of ${field.name} (use one of ${type.codes.join(', ')})${typeof value === 'string' ? didYouMean(value, type.codes) : ''}`
    }
  }
}

/** Whether the author named or worded a condition (then it is kept as one item, not unfolded). */
function hasLabels(raw: RawCondition): boolean {
  const labels = raw as { id?: string; text?: string }
  return labels.id !== undefined || labels.text !== undefined
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined
}

/** The ids a test case may name as deciding: safeguards and every condition node. */
function conditionIds(conditions: readonly Tree<unknown>[], into = new Set<string>()): Set<string> {
  for (const c of conditions as readonly Condition[]) {
    into.add(c.id)
    if (c.kind === 'all' || c.kind === 'any') conditionIds(c.conditions, into)
    if (c.kind === 'not') conditionIds([c.condition], into)
  }
  return into
}

// ----- test persons -----

const RELATIVE_DATE = /^today([+-]\d{1,5})?$/

function checkTestValue(value: TestValue, field: PersonField | ItemField): string | undefined {
  if (value === null)
    return field.nullable ? undefined : `${field.name} always has a value: it cannot be null`
  switch (field.type.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false'
    case 'number':
      return testNumberProblem(value, field)
    case 'date':
      return typeof value === 'string' && (RELATIVE_DATE.test(value) || parseIsoDate(value) !== undefined)
        ? undefined
        : 'must be a date: YYYY-MM-DD, today, today+N or today-N'
    case 'text':
      return typeof value === 'string' ? undefined : 'must be text'
    case 'code':
      return typeof value === 'string' && field.type.codes.includes(value)
        ? undefined
        : `${JSON.stringify(value)} is not a code of ${field.name} (use one of ${field.type.codes.join(', ')})`
  }
}

/** A test value is written to the field's column: derived fields (ages, days since) become dates. */
function testNumberProblem(value: TestValue, field: PersonField | ItemField): string | undefined {
  switch (field.source.kind) {
    case 'yearsSince':
      return wholeNumberProblem(value, 0, MAX_YEARS)
    case 'daysSince':
    case 'daysUntil':
      return wholeNumberProblem(value, -MAX_DAYS, MAX_DAYS)
    default:
      return wholeNumberProblem(value, -MAX_WHOLE_NUMBER, MAX_WHOLE_NUMBER)
  }
}

function sourceColumn(field: PersonField | ItemField): string {
  return field.source.column
}

function validateTestPerson(
  raw: RawTestPerson | undefined,
  scope: FileScope,
  path: Path,
): TestPerson | undefined {
  const fields: Record<string, TestValue> = {}
  const listsOut: Record<string, Record<string, TestValue>[]> = {}
  let ok = true
  const bad = (at: Path, message: string) => {
    scope.report(at, message)
    ok = false
  }
  const columnsSet = new Map<string, string>()
  for (const [key, value] of Object.entries(raw ?? {})) {
    const at = [...path, key]
    const list = lists.get(key)
    if (list) {
      if (!Array.isArray(value)) {
        bad(at, `${key} is a list: give a list of ${list.pluralLabel} (or [] for none)`)
        continue
      }
      listsOut[key] = value.map((item, i) => {
        const itemColumns = new Map<string, string>()
        for (const [name, v] of Object.entries(item)) {
          const field = list.fields.get(name)
          if (!field) {
            bad(
              [...at, i, name],
              `a ${list.itemLabel} has no field ${name}${didYouMean(name, list.fields.keys())}`,
            )
            continue
          }
          const problem = checkTestValue(v, field)
          if (problem) bad([...at, i, name], problem)
          const other = itemColumns.get(sourceColumn(field))
          if (other)
            bad([...at, i, name], `sets both ${other} and ${name}, which are the same record field: give one`)
          itemColumns.set(sourceColumn(field), name)
        }
        return item
      })
      continue
    }
    const field = personFields.get(key)
    if (!field) {
      bad(
        at,
        protectedCharacteristic(key) ??
          `there is no field ${key}${didYouMean(key, [...personFields.keys(), ...lists.keys()])}`,
      )
      continue
    }
    if (Array.isArray(value)) {
      bad(at, `${key} is a single value, not a list`)
      continue
    }
    const problem = checkTestValue(value, field)
    if (problem) bad(at, problem)
    const other = columnsSet.get(sourceColumn(field))
    if (other) bad(at, `sets both ${other} and ${key}, which are the same record field: give one`)
    columnsSet.set(sourceColumn(field), key)
    fields[key] = value
  }
  return ok ? { fields, lists: listsOut } : undefined
}

/** The typical person with a case's changes: a changed field replaces every field read from the same column. */
export function mergeTestPersons(typical: TestPerson, changes: TestPerson): TestPerson {
  const changedColumns = new Set(
    Object.keys(changes.fields).map((name) => sourceColumn(findField(name) as PersonField)),
  )
  const kept = Object.entries(typical.fields).filter(
    ([name]) => !changedColumns.has(sourceColumn(findField(name) as PersonField)),
  )
  return {
    fields: { ...Object.fromEntries(kept), ...changes.fields },
    lists: { ...typical.lists, ...changes.lists },
  }
}

const EMPTY_PERSON: TestPerson = { fields: {}, lists: {} }

// ----- files -----

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

export interface ValidatedGlobal {
  readonly model: GlobalSafeguards
  readonly definitions: Definitions
  readonly tests: { readonly today: IsoDate | undefined; readonly cases: readonly RawTestCase[] }
  readonly casePersons: readonly (TestPerson | undefined)[]
}

export function validateGlobalSafeguards(
  file: string,
  raw: RawGlobalSafeguardsFile,
  problems: RuleSetProblem[],
): ValidatedGlobal {
  const scope = new FileScope(file, raw.parameters, problems)
  const definitions = new Definitions()
  for (const [name, definition] of Object.entries(raw.definitions ?? {})) {
    definitions.add(name, definition, scope, ['definitions', name])
  }
  definitions.resolveAll([])
  const resolver = new ConditionResolver(scope, definitions)
  const safeguards = uniqueSafeguards(raw.safeguards, scope, 'safeguards', [])
    .map(([s, i]) => safeguardOf(s, 'global', resolver, scope, ['safeguards', i]))
    .filter(isDefined)
  const ids = new Set(raw.safeguards.map((s) => s.id))
  const casePersons = raw.tests.cases.map((c, i) => {
    const path: Path = ['tests', 'cases', i]
    if (c.decidedBy !== undefined && !ids.has(c.decidedBy)) {
      scope.report(
        [...path, 'decidedBy'],
        `${c.decidedBy} is not a global safeguard${didYouMean(c.decidedBy, ids)}`,
      )
    }
    return validateTestPerson(c.person, scope, [...path, 'person'])
  })
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
    tests: { today: raw.tests.today as IsoDate | undefined, cases: raw.tests.cases },
    casePersons,
  }
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

export function validateRule(
  file: string,
  raw: RawRuleFile,
  global: ValidatedGlobal | undefined,
  problems: RuleSetProblem[],
): Rule | undefined {
  const before = problems.length
  const scope = new FileScope(file, raw.parameters, problems)
  const definitions = new Definitions(global?.definitions)
  for (const [name, definition] of Object.entries(raw.definitions ?? {})) {
    definitions.add(name, definition, scope, ['definitions', name])
  }
  definitions.resolveAll([])
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
    .filter(isDefined)

  const root = resolver.root(raw.eligibility, ['eligibility'])
  const eligibility: Condition[] =
    root === undefined
      ? []
      : root.kind === 'all' && !hasLabels(raw.eligibility)
        ? [...root.conditions]
        : [root]

  const priority = priorityFactors(raw, resolver, scope)

  const reportingDate = personFields.get(raw.reportingDate)
  if (!reportingDate) {
    scope.report(
      ['reportingDate'],
      protectedCharacteristic(raw.reportingDate) ??
        `there is no field ${raw.reportingDate}${didYouMean(raw.reportingDate, personFields.keys())}`,
    )
  } else if (reportingDate.type.kind !== 'date') {
    scope.report(
      ['reportingDate'],
      `${raw.reportingDate} is not a date: the reporting date must be a date field`,
    )
  }

  const safeguards = [...globalSafeguards, ...own]
  // A case naming a condition that failed to load would be reported twice.
  const complete = root !== undefined && own.length === (raw.safeguards ?? []).length
  const tests = testCases(raw, global, scope, safeguards, eligibility, complete)
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
        scope.report(
          [...path, 'scale', 'field'],
          protectedCharacteristic(scale.field) ??
            `there is no field ${scale.field}${didYouMean(scale.field, personFields.keys())}`,
        )
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
    .filter(isDefined)
}

function testCases(
  raw: RawRuleFile,
  global: ValidatedGlobal | undefined,
  scope: FileScope,
  safeguards: readonly Safeguard[],
  eligibility: readonly Condition[],
  conditionsComplete: boolean,
): RuleTestCase[] {
  const today = (raw.tests.today as IsoDate | undefined) ?? DEFAULT_TEST_TODAY
  const typical =
    validateTestPerson(raw.tests.typicalPerson, scope, ['tests', 'typicalPerson']) ?? EMPTY_PERSON
  const known = conditionIds(eligibility, new Set(safeguards.map((s) => s.id)))
  const cases: RuleTestCase[] = raw.tests.cases.map((c, i) => {
    const path: Path = ['tests', 'cases', i]
    if (conditionsComplete && c.decidedBy !== undefined && !known.has(c.decidedBy)) {
      scope.report(
        [...path, 'decidedBy'],
        `${c.decidedBy} is not a safeguard or condition of this rule${didYouMean(c.decidedBy, known)}`,
      )
    }
    const changes = validateTestPerson(c.person, scope, [...path, 'person']) ?? EMPTY_PERSON
    return {
      name: c.name,
      file: scope.file,
      path: formatPath(path),
      today,
      person: mergeTestPersons(typical, changes),
      expect: c.expect,
      decidedBy: c.decidedBy,
      priority: c.priority,
    }
  })
  if (raw.globalSafeguards && global) {
    global.tests.cases.forEach((c, i) => {
      cases.push({
        name: c.name,
        file: global.model.file,
        path: formatPath(['tests', 'cases', i]),
        today: global.tests.today ?? today,
        person: mergeTestPersons(typical, global.casePersons[i] ?? EMPTY_PERSON),
        expect: c.expect,
        decidedBy: c.decidedBy,
        priority: c.priority,
      })
    })
  }
  return cases
}
