/**
 * Compiles a rule set to one SQL query that evaluates every rule for every
 * present person, inside the database.
 *
 * Shape (the fast one, see docs/decisions and design.md "Measured facts"):
 *
 *   select …  from (
 *     select p.person_id, …,                      -- one row per person
 *            coalesce(<condition 1>, false) as c1, -- each distinct condition once
 *            …,
 *            coalesce(l1.k1, 0) as n1               -- list counts, pre-aggregated
 *     from persons p
 *     left join (select person_id, count(*) filter (where …) as k1, …
 *                from barriers group by person_id) l1 on …
 *     where p.present
 *     offset 0                                     -- a fence: computed once, not inlined
 *   ) e
 *   cross join lateral (values (0, 'TASK_A', <matched A>), (1, 'TASK_B', …)) r(rule, task_type, matched)
 *   where r.matched
 *
 * The conditions are computed once per person however many rules share them
 * (the global safeguards serve every enforcement rule); the per-rule
 * outcomes are cheap boolean combinations of those columns; the explanation
 * JSON and the priority are only built for the rows that pass the filter.
 *
 * Every value from a rule file (thresholds, codes, words of explanation) is a
 * bound parameter: the SQL text holds only identifiers from the field
 * catalogue and operators.
 *
 * Null semantics (see operators.ts): every condition is wrapped in
 * coalesce(…, false), so a comparison with a missing value does not hold,
 * `is not set` holds, and `not` is plain two-valued negation.
 */
import { type RawBuilder, sql } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { JsonValue, RecommendationExplanation } from './explanation.ts'
import type { FieldKind, FieldSource, ListDefinition, PersonField } from './fields.ts'
import type {
  Condition,
  CountCondition,
  CountTest,
  FieldCondition,
  FieldTest,
  ItemCondition,
  PriorityFactor,
  Rule,
  RuleSet,
  Safeguard,
} from './model.ts'

export interface RuleMatch {
  task_type: string
  person_id: string
  rom_region: string
  reporting_date: string | null
  priority: number
  explanation: RecommendationExplanation
}

/** One rule's outcome for one person, matched or not ("why was this person not recommended?"). */
export interface RuleEvaluation extends RuleMatch {
  matched: boolean
}

export interface CompiledRuleSet {
  version: string
  /** Every match of every rule over present persons: a plain SELECT, usable as a subquery. */
  matches: RawBuilder<RuleMatch>
}

export interface CompileOptions {
  readonly today: IsoDate
  /** Only these rules (task type codes); all when absent. */
  readonly taskTypes?: readonly string[]
  /** Only these persons; all present persons when absent. */
  readonly personIds?: readonly string[]
}

export function compileRuleSet(ruleSet: RuleSet, options: CompileOptions): CompiledRuleSet {
  return {
    version: ruleSet.version,
    matches: evaluationQuery(ruleSet, options, 'matches') as RawBuilder<RuleMatch>,
  }
}

/** Every selected rule for every selected present person, with `matched` and the full explanation. */
export function compileEvaluation(ruleSet: RuleSet, options: CompileOptions): RawBuilder<RuleEvaluation> {
  return evaluationQuery(ruleSet, options, 'all') as RawBuilder<RuleEvaluation>
}

function evaluationQuery(
  ruleSet: RuleSet,
  options: CompileOptions,
  mode: 'matches' | 'all',
): RawBuilder<unknown> {
  const rules = ruleSet.rules.filter(
    (r) => options.taskTypes === undefined || options.taskTypes.includes(r.code),
  )
  if (rules.length === 0) {
    return sql`select null::text as task_type, null::text as person_id, null::text as rom_region,
      null::date as reporting_date, null::numeric as priority, null::jsonb as explanation${mode === 'all' ? sql`, null::boolean as matched` : sql``}
      where false`
  }
  const fence = new PersonColumns(options.today)
  const plans = rules.map((rule) => planRule(rule, ruleSet.version, fence, options.today))
  const index = (i: number) => sql.lit(i)
  const perRule = (pick: (plan: RulePlan) => RawBuilder<unknown>) =>
    sql`case r.rule ${sql.join(
      plans.map((plan, i) => sql`when ${index(i)} then ${pick(plan)}`),
      sql` `,
    )} end`
  const outcomes = sql.join(plans.map((plan, i) => sql`(${index(i)}, ${plan.code}::text, ${plan.matched})`))
  return sql`select r.task_type, e.person_id, e.rom_region,
      ${perRule((p) => p.reportingDate)} as reporting_date,
      ${perRule((p) => p.priority)} as priority,
      ${perRule((p) => p.explanation)} as explanation${mode === 'all' ? sql`, r.matched` : sql``}
    from (${fence.query(options.personIds)}) e
    cross join lateral (values ${outcomes}) r(rule, task_type, matched)${mode === 'matches' ? sql` where r.matched` : sql``}`
}

interface RulePlan {
  readonly code: string
  readonly matched: RawBuilder<boolean>
  readonly priority: RawBuilder<number>
  readonly reportingDate: RawBuilder<string | null>
  readonly explanation: RawBuilder<RecommendationExplanation>
}

function planRule(rule: Rule, version: string, fence: PersonColumns, today: IsoDate): RulePlan {
  const excluded = rule.safeguards.map((s) => fence.held(s.condition))
  const eligible = rule.eligibility.map((c) => fence.held(c))
  const matched = sql<boolean>`(${excluded.length > 0 ? sql`not (${sql.join(excluded, sql` or `)}) and ` : sql``}${
    eligible.length > 0 ? sql.join(eligible, sql` and `) : sql`true`
  })`
  const factors = rule.priority.map((f) => factorPoints(f, fence))
  const score = () =>
    sql<number>`(${sql.join(
      factors.map((f) => f.points()),
      sql` + `,
    )})`
  const reportingDate = sql<string | null>`e.${sql.ref(fence.value(rule.reportingDate))}`
  const ruleJson = json({ code: rule.code, name: rule.name, version })
  const explanation = sql<RecommendationExplanation>`jsonb_build_object(
    'rule', ${ruleJson},
    'evaluatedOn', ${today}::text,
    'conditions', ${jsonArray(conditionEntries(rule.eligibility, 0, fence))},
    'safeguards', ${jsonArray(rule.safeguards.map((s) => safeguardEntry(s, fence)))},
    'priority', jsonb_build_object('score', ${score()}, 'factors', ${jsonArray(factors.map((f) => f.entry()))}),
    'reportingDate', jsonb_build_object('field', ${rule.reportingDate.name}::text, 'value', ${reportingDate}),
    'dataChangedAt', e.data_changed_at)`
  return { code: rule.code, matched, priority: score(), reportingDate, explanation }
}

// ----- explanation entries -----

/** A static JSON object (bound as one parameter) with the per-person parts added in SQL. */
function entry(fixed: Record<string, JsonValue>, dynamic: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(${json(fixed)} || ${dynamic})`
}

function json(value: JsonValue): RawBuilder<unknown> {
  return sql`${JSON.stringify(value)}::jsonb`
}

/** jsonb_build_array takes at most 100 arguments: longer lists are built in parts and joined. */
function jsonArray(items: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
  if (items.length === 0) return sql`jsonb_build_array()`
  const parts: RawBuilder<unknown>[] = []
  for (let i = 0; i < items.length; i += 50)
    parts.push(sql`jsonb_build_array(${sql.join(items.slice(i, i + 50))})`)
  return sql.join(parts, sql` || `)
}

function conditionEntries(
  conditions: readonly Condition[],
  depth: number,
  fence: PersonColumns,
): RawBuilder<unknown>[] {
  return conditions.flatMap((c) => {
    const fixed = { id: c.id, text: c.text, depth, ...describeTest(c) }
    if (c.kind === 'field' || c.kind === 'count') {
      return [entry(fixed, sql`jsonb_build_object('actual', ${fence.actual(c)}, 'held', ${fence.held(c)})`)]
    }
    const children = c.kind === 'not' ? [c.condition] : c.conditions
    return [
      entry({ ...fixed, actual: null }, sql`jsonb_build_object('held', ${fence.held(c)})`),
      ...conditionEntries(children, depth + 1, fence),
    ]
  })
}

function safeguardEntry(safeguard: Safeguard, fence: PersonColumns): RawBuilder<unknown> {
  const c = safeguard.condition
  const fixed = { id: safeguard.id, text: safeguard.text, scope: safeguard.scope, ...describeTest(c) }
  if (c.kind === 'field' || c.kind === 'count') {
    return entry(fixed, sql`jsonb_build_object('actual', ${fence.actual(c)}, 'held', ${fence.held(c)})`)
  }
  const children = c.kind === 'not' ? [c.condition] : c.conditions
  return entry(
    { ...fixed, actual: null },
    sql`jsonb_build_object('held', ${fence.held(c)}, 'parts', ${jsonArray(conditionEntries(children, 0, fence))})`,
  )
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

// ----- priority -----

interface FactorPlan {
  points(): RawBuilder<number>
  entry(): RawBuilder<unknown>
}

/**
 * A factor's points, rounded to 2 decimals so that the score is exactly the
 * sum of the points shown. A condition factor gives its weight when the
 * condition holds; a scale gives weight × value / upTo (or the reverse for
 * "lower is more"), with the value capped to 0 … upTo and no points for a
 * missing value.
 */
function factorPoints(factor: PriorityFactor, fence: PersonColumns): FactorPlan {
  const weight = sql`${factor.weight}::numeric`
  const fixed = { name: factor.name, text: factor.text, weight: factor.weight }
  const measure = factor.measure
  if (measure.kind === 'condition') {
    const held = () => fence.held(measure.condition)
    const points = () => sql<number>`(case when ${held()} then round(${weight}, 2) else 0 end)`
    return {
      points,
      entry: () => entry(fixed, sql`jsonb_build_object('value', ${held()}, 'points', ${points()})`),
    }
  }
  const value = () => sql`e.${sql.ref(fence.value(measure.field))}`
  const upTo = () => sql`${measure.upTo.value}::numeric`
  // greatest() and least() skip nulls, so a missing value is caught first:
  // it gives no points in either direction.
  const capped = () => sql`least(greatest(${value()}, 0), ${upTo()})`
  const points = () =>
    measure.direction === 'higher'
      ? sql<number>`(case when ${value()} is null then 0 else round(${weight} * ${capped()} / ${upTo()}, 2) end)`
      : sql<number>`(case when ${value()} is null then 0 else round(${weight} * (${upTo()} - ${capped()}) / ${upTo()}, 2) end)`
  return {
    points,
    entry: () => entry(fixed, sql`jsonb_build_object('value', ${value()}, 'points', ${points()})`),
  }
}

// ----- the fenced per-person columns -----

const CAST: Readonly<Record<FieldKind, RawBuilder<unknown>>> = {
  boolean: sql.raw('boolean'),
  number: sql.raw('int'),
  date: sql.raw('date'),
  code: sql.raw('text'),
  text: sql.raw('text'),
}

/** A PostgreSQL array literal of texts, bound as one parameter (drivers differ in how they send JS arrays). */
function textArray(values: readonly unknown[]): string {
  return `{${values.map((v) => `"${String(v).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
}

interface ListColumns {
  readonly alias: string
  readonly list: ListDefinition
  readonly counts: RawBuilder<unknown>[]
}

/**
 * The columns of the fenced subquery: each distinct condition, field value
 * and list count once, however many rules use it.
 */
class PersonColumns {
  readonly #today: IsoDate
  readonly #columns: RawBuilder<unknown>[] = []
  readonly #aliases = new Map<string, string>()
  readonly #lists = new Map<string, ListColumns>()

  constructor(today: IsoDate) {
    this.#today = today
  }

  /** Whether a condition held: a column for a leaf, a boolean expression over columns for all / any / not. */
  held(c: Condition): RawBuilder<boolean> {
    switch (c.kind) {
      case 'field':
      case 'count':
        return sql<boolean>`e.${sql.ref(this.#leaf(c))}`
      case 'all':
      case 'any':
        return sql<boolean>`(${sql.join(
          c.conditions.map((child) => this.held(child)),
          c.kind === 'all' ? sql` and ` : sql` or `,
        )})`
      case 'not':
        return sql<boolean>`(not ${this.held(c.condition)})`
    }
  }

  /** The person's value behind a leaf: the field's value, or the number of matching items. */
  actual(c: FieldCondition | CountCondition): RawBuilder<unknown> {
    return sql`e.${sql.ref(c.kind === 'field' ? this.value(c.field) : this.#count(c))}`
  }

  /** The alias of a column holding a field's value. */
  value(field: PersonField): string {
    return this.#column(`value:${field.name}`, 'v', () => this.#source(field.source, 'p'))
  }

  #leaf(c: FieldCondition | CountCondition): string {
    if (c.kind === 'field') {
      return this.#column(
        `field:${c.field.name}:${JSON.stringify(c.test)}`,
        'c',
        () =>
          sql`coalesce(${this.#test(this.#source(c.field.source, 'p'), c.field.type.kind, c.test)}, false)`,
      )
    }
    const count = this.#count(c)
    return this.#column(
      `count:${count}:${JSON.stringify(c.test)}`,
      'c',
      () =>
        sql`coalesce(${this.#countTest(sql`coalesce(${sql.ref(`${this.#listAlias(c.list)}.${this.#countKey(c)}`)}, 0)`, c.test)}, false)`,
    )
  }

  #count(c: CountCondition): string {
    const key = this.#countKey(c)
    return this.#column(
      `count:${c.list.name}:${key}`,
      'n',
      () => sql`coalesce(${sql.ref(`${this.#listAlias(c.list)}.${key}`)}, 0)`,
    )
  }

  /** The column of the list's aggregate that counts the items matching `where`. */
  #countKey(c: CountCondition): string {
    const listColumns = this.#listColumns(c.list)
    const signature = `list:${c.list.name}:${c.where ? itemSignature(c.where) : '*'}`
    const existing = this.#aliases.get(signature)
    if (existing) return existing
    const key = `k${listColumns.counts.length + 1}`
    this.#aliases.set(signature, key)
    listColumns.counts.push(
      c.where
        ? sql`count(*) filter (where ${this.#itemCondition(c.where)}) as ${sql.ref(key)}`
        : sql`count(*) as ${sql.ref(key)}`,
    )
    return key
  }

  #listAlias(list: ListDefinition): string {
    return this.#listColumns(list).alias
  }

  #listColumns(list: ListDefinition): ListColumns {
    let columns = this.#lists.get(list.name)
    if (!columns) {
      columns = { alias: `l${this.#lists.size + 1}`, list, counts: [] }
      this.#lists.set(list.name, columns)
    }
    return columns
  }

  #itemCondition(c: ItemCondition): RawBuilder<boolean> {
    switch (c.kind) {
      case 'field':
        return sql<boolean>`coalesce(${this.#test(this.#source(c.field.source, 'i'), c.field.type.kind, c.test)}, false)`
      case 'all':
      case 'any':
        return sql<boolean>`(${sql.join(
          c.conditions.map((child) => this.#itemCondition(child)),
          c.kind === 'all' ? sql` and ` : sql` or `,
        )})`
      case 'not':
        return sql<boolean>`(not ${this.#itemCondition(c.condition)})`
    }
  }

  #column(key: string, prefix: string, expression: () => RawBuilder<unknown>): string {
    const existing = this.#aliases.get(key)
    if (existing) return existing
    const alias = `${prefix}${this.#aliases.size + 1}`
    this.#aliases.set(key, alias)
    this.#columns.push(sql`${expression()} as ${sql.ref(alias)}`)
    return alias
  }

  #todayDate(): RawBuilder<unknown> {
    return sql`${this.#today}::date`
  }

  #source(source: FieldSource<string>, table: 'p' | 'i'): RawBuilder<unknown> {
    const column = sql.ref(`${table}.${source.column}`)
    switch (source.kind) {
      case 'column':
        return column
      case 'yearsSince':
        return sql`date_part('year', age(${this.#todayDate()}, ${column}))::int`
      case 'daysSince':
        return sql`(${this.#todayDate()} - ${column})`
      case 'daysUntil':
        return sql`(${column} - ${this.#todayDate()})`
      case 'isNull':
        return sql`(${column} is null)`
    }
  }

  #test(x: RawBuilder<unknown>, kind: FieldKind, test: FieldTest): RawBuilder<boolean> {
    const bind = (value: unknown) => sql`${value}::${CAST[kind]}`
    const today = () => this.#todayDate()
    switch (test.operator) {
      case 'equals':
        return sql`${x} = ${test.operand.value === 'today' && kind === 'date' ? today() : bind(test.operand.value)}`
      case 'not equals':
        return sql`${x} <> ${test.operand.value === 'today' && kind === 'date' ? today() : bind(test.operand.value)}`
      case 'in':
        return sql`${x} = any(${textArray(test.operand.value)}::${CAST[kind]}[])`
      case 'not in':
        return sql`${x} <> all(${textArray(test.operand.value)}::${CAST[kind]}[])`
      case '<':
        return sql`${x} < ${bind(test.operand.value)}`
      case '<=':
        return sql`${x} <= ${bind(test.operand.value)}`
      case '>':
        return sql`${x} > ${bind(test.operand.value)}`
      case '>=':
        return sql`${x} >= ${bind(test.operand.value)}`
      case 'between':
        return sql`${x} between ${bind(test.low.value)} and ${bind(test.high.value)}`
      case 'is set':
        return sql`${x} is not null`
      case 'is not set':
        return sql`${x} is null`
      case 'before':
        return sql`${x} < ${test.operand.value === 'today' ? today() : bind(test.operand.value)}`
      case 'after':
        return sql`${x} > ${test.operand.value === 'today' ? today() : bind(test.operand.value)}`
      case 'within last days':
        return sql`${x} between ${today()} - ${test.operand.value}::int and ${today()}`
      case 'within next days':
        return sql`${x} between ${today()} and ${today()} + ${test.operand.value}::int`
      case 'more than days ago':
        return sql`${x} < ${today()} - ${test.operand.value}::int`
    }
  }

  #countTest(n: RawBuilder<unknown>, test: CountTest): RawBuilder<boolean> {
    switch (test.operator) {
      case 'some':
        return sql`${n} > 0`
      case 'none':
        return sql`${n} = 0`
      case 'equals':
        return sql`${n} = ${test.operand.value}::int`
      case 'not equals':
        return sql`${n} <> ${test.operand.value}::int`
      case '<':
        return sql`${n} < ${test.operand.value}::int`
      case '<=':
        return sql`${n} <= ${test.operand.value}::int`
      case '>':
        return sql`${n} > ${test.operand.value}::int`
      case '>=':
        return sql`${n} >= ${test.operand.value}::int`
      case 'between':
        return sql`${n} between ${test.low.value}::int and ${test.high.value}::int`
    }
  }

  /** The fenced subquery: one row per present person with every column the rules asked for. */
  query(personIds: readonly string[] | undefined): RawBuilder<unknown> {
    const only = (column: string) =>
      personIds === undefined ? sql`` : sql` and ${sql.ref(column)} = any(${textArray(personIds)}::text[])`
    const joins = [...this.#lists.values()].map(
      ({ alias, list, counts }) => sql`left join (
        select i.person_id, ${sql.join(counts)}
        from ${sql.table(list.table)} i
        where true${only('i.person_id')}
        group by i.person_id
      ) ${sql.table(alias)} on ${sql.ref(`${alias}.person_id`)} = p.person_id`,
    )
    return sql`select p.person_id, p.rom_region, p.data_changed_at${
      this.#columns.length > 0 ? sql`, ${sql.join(this.#columns)}` : sql``
    }
      from persons p
      ${sql.join(joins, sql`\n`)}
      where p.present${only('p.person_id')}
      offset 0`
  }
}

/** What an item condition tests, without its words: the same test in two rules is counted once. */
function itemSignature(c: ItemCondition): string {
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
