/**
 * Turns a rule file's raw conditions into model conditions: every field is
 * found in the catalogue, every `ref` replaced by its definition (a rule
 * file's own, or a global one) and every operator checked against its field.
 * What the conditions compare with is checked in condition-operands.ts.
 *
 * Definitions and the resolver live together because each needs the other:
 * a definition is a condition, and a condition may refer to a definition.
 */

import { countTest, fieldTest } from './condition-operands.ts'
import type {
  RawCondition,
  RawCountCondition,
  RawFieldCondition,
  RawItemCondition,
} from './condition-schema.ts'
import { missingFactProblem } from './fact-checks.ts'
import { unknownFieldProblem } from './field-checks.ts'
import type { ItemField, ListDefinition, PersonField } from './field-types.ts'
import { lists, personFields, protectedCharacteristic } from './fields.ts'
import type { FileScope } from './file-scope.ts'
import { conditionDepth, MAX_CONDITION_DEPTH, MAX_DEFINITION_CHAIN } from './limits.ts'
import type { Condition, FieldCondition, ItemCondition } from './model.ts'
import { KIND_WORDS, OPERATORS_BY_KIND } from './operators.ts'
import { formatPath, type Path } from './problems.ts'
import type { RawRuleFile } from './rule-file-schema.ts'
import { didYouMean } from './suggest.ts'
import { describeCount, describeFieldTest, GROUP_WORDS, joinWithOr } from './wording.ts'

type RawDefinition = NonNullable<RawRuleFile['definitions']>[string]

/**
 * Named conditions, resolved on first use and then shared. A rule file's
 * own definitions sit in front of the global ones.
 */
export class Definitions {
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
export class ConditionResolver {
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
      if (!conditions.every((c) => c !== undefined)) return undefined
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
    if (field) return this.#kept(field, path)
    this.#scope.report(
      path,
      lists.has(name)
        ? `${name} is a list: count its items with count: ${name} instead of field:`
        : unknownFieldProblem(name),
    )
    return undefined
  }

  #count(raw: RawCountCondition, path: Path): Condition | undefined {
    const node = this.#node(raw, path)
    const list = lists.get(raw.count)
    if (!list) {
      const named = raw as { parameter?: string; low?: string; high?: string }
      this.#scope.touch(named.parameter, named.low, named.high)
      this.#scope.report(
        [...path, 'count'],
        protectedCharacteristic(raw.count) ??
          `there is no list ${raw.count} (lists: ${[...lists.keys()].join(', ')})${didYouMean(raw.count, lists.keys())}`,
      )
      return undefined
    }
    const where = raw.where === undefined ? undefined : this.#item(raw.where, list, [...path, 'where'])
    if (raw.where !== undefined && where === undefined) return undefined
    const test = countTest(raw, path, this.#scope)
    if (!test) return undefined
    return { ...node, kind: 'count', list, where, test, text: raw.text ?? describeCount(list, where, test) }
  }

  #item(raw: RawItemCondition, list: ListDefinition, path: Path): ItemCondition | undefined {
    if ('all' in raw || 'any' in raw) {
      const node = this.#node(raw, path)
      const kind = 'all' in raw ? 'all' : 'any'
      const items: readonly RawItemCondition[] = 'all' in raw ? raw.all : raw.any
      const conditions = items.map((item, i) => this.#item(item, list, [...path, kind, i]))
      if (!conditions.every((c) => c !== undefined)) return undefined
      return { ...node, kind, text: raw.text ?? GROUP_WORDS[kind], conditions }
    }
    if ('not' in raw) {
      const node = this.#node(raw, path)
      const inner = this.#item(raw.not, list, [...path, 'not'])
      return inner && { ...node, kind: 'not', text: raw.text ?? `not ${inner.text}`, condition: inner }
    }
    return this.#field(raw, path, (name, at) => {
      const field = list.fields.get(name)
      if (!field) this.#scope.report(at, unknownFieldProblem(name, list))
      return field && this.#kept(field, at)
    })
  }

  /** The field, when the person facts keep what it reads; otherwise reported and nothing. */
  #kept<F extends PersonField | ItemField>(field: F, path: Path): F | undefined {
    const problem = missingFactProblem(field)
    if (problem === undefined) return field
    this.#scope.report(path, problem)
    return undefined
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
    const test = fieldTest(raw, field, path, this.#scope)
    if (!test) return undefined
    return {
      ...node,
      kind: 'field',
      field,
      test,
      text: raw.text ?? describeFieldTest(field.label, field.type, test),
    }
  }
}
