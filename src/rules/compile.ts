/**
 * Compiles a rule set to one SQL query that evaluates every rule for every
 * present person, inside the database.
 *
 * Shape (see design.md "Measured facts" and docs/decisions/0007-rule-language.md):
 *
 *   select case x.rule when 0 then 'TASK_A' … end as task_type, …,
 *          case x.rule when 0 then <priority A> … end as priority,
 *          case x.rule when 0 then <explanation A> … end as explanation
 *   from (
 *     select e.*, unnest(<positions of the rules that matched>) as rule
 *     from (
 *       select p.person_id, …,                      -- one row per person
 *              coalesce(<condition 1>, false) as c1, -- each distinct condition once
 *              …,
 *              coalesce(l1.k1, 0) as n1               -- list counts, pre-aggregated
 *       from persons p
 *       left join (select person_id, count(*) filter (where …) as k1, …
 *                  from barriers group by person_id) l1 on …
 *       where p.present
 *       offset 0                                     -- a fence: computed once, not inlined
 *     ) e
 *   ) x
 *
 * The conditions are computed once per person however many rules share them
 * (the global safeguards serve every enforcement rule); the per-rule
 * outcomes are cheap boolean combinations of those columns; only matched
 * rules become rows, and the explanation JSON and the priority are built
 * only for those rows (and not at all when the caller does not select them).
 * The explanation is JSON text assembled in one concat() (json-text.ts).
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
import type { CompactExplanation, RecommendationExplanation } from './explanation-json.ts'
import { JsonText, jsonAny, jsonBoolean, jsonNumber } from './json-text.ts'
import type { Condition, PriorityFactor, Rule, RuleSet } from './model.ts'
import { explanationOutline, HELD_BITS, type OutlinedCondition } from './outline.ts'
import { PersonColumns } from './person-columns.ts'

export interface RuleMatch {
  task_type: string
  person_id: string
  rom_region: string
  reporting_date: string | null
  priority: number
  explanation: RecommendationExplanation
}

/** A match whose explanation holds only the person's values (see CompactExplanation). */
export interface CompactRuleMatch extends Omit<RuleMatch, 'explanation'> {
  explanation: CompactExplanation
}

/**
 * A match as a rule run stores it: no explanation, but the version of the
 * facts it was evaluated on, from which the explanation is derived when asked
 * (stored-explanation.ts).
 */
export interface PinnedRuleMatch extends Omit<RuleMatch, 'explanation'> {
  facts_version: string
}

/** One rule's outcome for one person, matched or not ("why was this person not recommended?"). */
export interface RuleEvaluation extends RuleMatch {
  matched: boolean
}

export interface CompiledRuleSet {
  version: string
  /** Every match of every rule over present persons: a plain SELECT, usable as a subquery. */
  matches: RawBuilder<RuleMatch>
  /**
   * The same matches with compact explanations: the held flags and the
   * person's values without the words, which expandExplanation() restores
   * from the rule set of the same version. About a fifth of the size, for
   * writing many tasks at once.
   */
  compactMatches: RawBuilder<CompactRuleMatch>
}

export interface CompileOptions {
  readonly today: IsoDate
  /** Only these rules (task type codes); all when absent. */
  readonly taskTypes?: readonly string[]
  /** Only these persons; all present persons when absent. */
  readonly personIds?: readonly string[]
  /** Only the persons listed in this table (its person_id column): see src/tasks/run-scope.ts. */
  readonly personsIn?: string
  /** Only the facts of this version (person_facts_history), present or not: one task's proof. */
  readonly factsVersion?: string
}

export function compileRuleSet(ruleSet: RuleSet, options: CompileOptions): CompiledRuleSet {
  return {
    version: ruleSet.version,
    matches: evaluationQuery(ruleSet, options, { rows: 'matches', form: 'full' }) as RawBuilder<RuleMatch>,
    compactMatches: compileCompactMatches(ruleSet, options),
  }
}

/** The matches with compact explanations alone (see CompiledRuleSet.compactMatches). */
export function compileCompactMatches(
  ruleSet: RuleSet,
  options: CompileOptions,
): RawBuilder<CompactRuleMatch> {
  return evaluationQuery(ruleSet, options, {
    rows: 'matches',
    form: 'compact',
  }) as RawBuilder<CompactRuleMatch>
}

/** The matches a rule run stores: each with its facts version, no explanation built. */
export function compilePinnedMatches(ruleSet: RuleSet, options: CompileOptions): RawBuilder<PinnedRuleMatch> {
  return evaluationQuery(ruleSet, options, { rows: 'matches', form: 'pinned' }) as RawBuilder<PinnedRuleMatch>
}

/** Every selected rule for every selected present person, with `matched` and the full explanation. */
export function compileEvaluation(ruleSet: RuleSet, options: CompileOptions): RawBuilder<RuleEvaluation> {
  return evaluationQuery(ruleSet, options, { rows: 'all', form: 'full' }) as RawBuilder<RuleEvaluation>
}

interface QueryShape {
  /** Only the matches, or every rule for every person with a `matched` column. */
  readonly rows: 'matches' | 'all'
  /** The explanation in full, compact, or none but the facts version it can be derived from. */
  readonly form: 'full' | 'compact' | 'pinned'
}

function evaluationQuery(ruleSet: RuleSet, options: CompileOptions, shape: QueryShape): RawBuilder<unknown> {
  const all = shape.rows === 'all'
  const rules = ruleSet.rules.filter(
    (r) => options.taskTypes === undefined || options.taskTypes.includes(r.code),
  )
  if (rules.length === 0) {
    return sql`select null::text as task_type, null::text as person_id, null::text as rom_region,
      null::date as reporting_date, null::numeric as priority, ${
        shape.form === 'pinned' ? sql`null::bigint as facts_version` : sql`null::json as explanation`
      }${all ? sql`, null::boolean as matched` : sql``}
      where false`
  }
  const fence = new PersonColumns(options.today)
  const context = { version: ruleSet.version, today: options.today, form: shape.form }
  const plans = rules.map((rule) => planRule(rule, fence, context))
  // Rule positions are structure, not rule values: written as literals.
  const index = (i: number) => sql.lit(i)
  const perRule = (pick: (plan: RulePlan) => RawBuilder<unknown>) =>
    sql`case r.rule ${sql.join(
      plans.map((plan, i) => sql`when ${index(i)} then ${pick(plan)}`),
      sql` `,
    )} end`
  // One row per person and matched rule: unnest the positions of the rules
  // that matched (for "all", of every rule). A lateral VALUES row per rule
  // costs a rescan and an evaluation per rule per person; the array costs
  // one expression per person and yields only the rows wanted.
  const positions = all
    ? sql`array[${sql.join(plans.map((_, i) => index(i)))}]`
    : sql`array_remove(array[${sql.join(plans.map((plan, i) => sql`case when ${plan.matched} then ${index(i)} end`))}], null)`
  return sql`select ${perRule((p) => sql`${p.code}::text`)} as task_type, x.person_id, x.rom_region,
      ${perRule((p) => p.reportingDate)} as reporting_date,
      ${perRule((p) => p.priority)} as priority,
      ${shape.form === 'pinned' ? sql`x.facts_version::text as facts_version` : sql`${perRule((p) => p.explanation())} as explanation`}${all ? sql`, ${perRule((p) => p.matched)} as matched` : sql``}
    from (${fence.query({ personIds: options.personIds, personsIn: options.personsIn, factsVersion: options.factsVersion })}) x cross join lateral unnest(${positions}) as r(rule)`
}

interface RulePlan {
  readonly code: string
  readonly matched: RawBuilder<boolean>
  readonly priority: RawBuilder<number>
  readonly reportingDate: RawBuilder<string | null>
  /** Built only when asked for: a pinned match has none. */
  readonly explanation: () => RawBuilder<unknown>
}

interface PlanContext {
  readonly version: string
  readonly today: IsoDate
  readonly form: QueryShape['form']
}

function planRule(rule: Rule, fence: PersonColumns, context: PlanContext): RulePlan {
  const excluded = rule.safeguards.map((s) => fence.held(s.condition))
  const eligible = rule.eligibility.map((c) => fence.held(c))
  const matched = sql<boolean>`(${excluded.length > 0 ? sql`not (${sql.join(excluded, sql` or `)}) and ` : sql``}${
    eligible.length > 0 ? sql.join(eligible, sql` and `) : sql`true`
  })`
  const reportingDate = sql<string | null>`${sql.ref(fence.value(rule.reportingDate))}`
  const explanation = () =>
    context.form === 'full'
      ? fullExplanation(rule, fence, context, reportingDate).toJson()
      : compactExplanation(rule, fence, context, reportingDate)
  return { code: rule.code, matched, priority: score(rule, fence), reportingDate, explanation }
}

// ----- explanations -----

/** Opens a fixed JSON object so that more keys can follow: {"id":"x"} → {"id":"x", */
function openObject(fixed: object): string {
  return `${JSON.stringify(fixed).slice(0, -1)},`
}

/** `"actual":…,"held":…` of one outlined condition. */
function outcome(json: JsonText, outlined: OutlinedCondition, fence: PersonColumns): void {
  json.text('"actual":')
  if (outlined.leaf) json.sql(actualJson(outlined.leaf, fence))
  else json.text('null')
  json.text(',"held":').sql(jsonBoolean(fence.held(outlined.condition)))
}

function actualJson(leaf: NonNullable<OutlinedCondition['leaf']>, fence: PersonColumns): RawBuilder<unknown> {
  const value = fence.actual(leaf)
  return leaf.kind === 'count' || leaf.field.type.kind === 'number' ? jsonNumber(value) : jsonAny(value)
}

function conditionList(json: JsonText, conditions: readonly OutlinedCondition[], fence: PersonColumns): void {
  json.text('[')
  conditions.forEach((c, i) => {
    json.text(`${i > 0 ? ',' : ''}${openObject(c.fixed)}`)
    outcome(json, c, fence)
    json.text('}')
  })
  json.text(']')
}

function fullExplanation(
  rule: Rule,
  fence: PersonColumns,
  context: PlanContext,
  reportingDate: RawBuilder<unknown>,
): JsonText {
  const outline = explanationOutline(rule)
  const json = new JsonText()
  json.text('{"rule":').value({ code: rule.code, name: rule.name, version: context.version })
  json.text(',"evaluatedOn":').value(context.today)
  json.text(',"conditions":')
  conditionList(json, outline.conditions, fence)
  json.text(',"safeguards":[')
  outline.safeguards.forEach((s, i) => {
    json.text(`${i > 0 ? ',' : ''}${openObject(s.fixed)}"actual":`)
    if (s.leaf) json.sql(actualJson(s.leaf, fence))
    else json.text('null')
    json.text(',"held":').sql(jsonBoolean(fence.held(s.condition)))
    if (s.parts) {
      json.text(',"parts":')
      conditionList(json, s.parts, fence)
    }
    json.text('}')
  })
  json.text('],"priority":{"score":').sql(jsonNumber(score(rule, fence)))
  json.text(',"factors":[')
  outline.factors.forEach((f, i) => {
    json.text(`${i > 0 ? ',' : ''}${openObject(f.fixed)}"value":`)
    const { value, points } = factorParts(f.factor, fence)
    json.sql(value).text(',"points":').sql(jsonNumber(points)).text('}')
  })
  json.text(']},"reportingDate":{"field":').value(rule.reportingDate.name)
  json.text(',"value":').sql(jsonAny(reportingDate))
  json.text('},"dataChangedAt":').sql(jsonAny(sql`x.data_changed_at`))
  return json.text('}')
}

/**
 * The compact form (see CompactExplanation): each distinct test's outcome
 * as one bit of a few integers, each distinct value once, the points of
 * each factor. Built with jsonb_build_object/jsonb_build_array, which append
 * their arguments without re-reading them: a sum of CASEs is far cheaper per
 * row than one JSON piece per outcome. Built as jsonb, the type tasks store
 * it in: JSON text would have to be parsed again on the way in.
 */
function compactExplanation(
  rule: Rule,
  fence: PersonColumns,
  context: PlanContext,
  reportingDate: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const outline = explanationOutline(rule)
  const masks: RawBuilder<unknown>[] = []
  for (let start = 0; start < outline.tests.length; start += HELD_BITS) {
    const bits = outline.tests
      .slice(start, start + HELD_BITS)
      .map((leaf, bit) => sql`(case when ${fence.held(leaf)} then ${sql.lit(2 ** bit)} else 0 end)`)
    masks.push(sql`(${sql.join(bits, sql` + `)})`)
  }
  const scales = rule.priority.flatMap((f) =>
    f.measure.kind === 'scale' ? [sql`${sql.ref(fence.value(f.measure.field))}`] : [],
  )
  const key = (name: string) => sql.lit(name)
  return sql`jsonb_build_object(
    ${key('form')}, ${key('compact')}::text, ${key('rule')}, ${rule.code}::text,
    ${key('version')}, ${context.version}::text, ${key('evaluatedOn')}, ${context.today}::text,
    ${key('held')}, ${jsonArray(masks)},
    ${key('values')}, ${jsonArray(outline.values.map((leaf) => fence.actual(leaf)))},
    ${key('scales')}, ${jsonArray(scales)},
    ${key('points')}, ${jsonArray(rule.priority.map((f) => factorParts(f, fence).points))},
    ${key('reportingDate')}, ${reportingDate}, ${key('dataChangedAt')}, x.data_changed_at)`
}

/** jsonb_build_array takes at most 100 arguments: longer lists become a list of lists (flattened on reading). */
function jsonArray(items: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
  if (items.length === 0) return sql`jsonb_build_array()`
  if (items.length <= 90) return sql`jsonb_build_array(${sql.join(items)})`
  const groups: RawBuilder<unknown>[] = []
  for (let i = 0; i < items.length; i += 90) groups.push(jsonArray(items.slice(i, i + 90)))
  return jsonArray(groups)
}

// ----- priority -----

function score(rule: Rule, fence: PersonColumns): RawBuilder<number> {
  return sql<number>`(${sql.join(
    rule.priority.map((f) => factorParts(f, fence).points),
    sql` + `,
  )})`
}

/**
 * A factor's points, rounded to 2 decimals so that the score is exactly the
 * sum of the points shown, and the value it read (as JSON text). A
 * condition factor gives its weight when the condition holds; a scale gives
 * weight × value / upTo (or the reverse for "lower is more"), with the value
 * capped to 0 … upTo and no points for a missing value.
 */
function factorParts(
  factor: PriorityFactor,
  fence: PersonColumns,
): { value: RawBuilder<unknown>; points: RawBuilder<unknown> } {
  const weight = sql`${factor.weight}::numeric`
  const measure = factor.measure
  if (measure.kind === 'condition') {
    const held = fence.held(measure.condition as Condition)
    return { value: jsonBoolean(held), points: sql`(case when ${held} then round(${weight}, 2) else 0 end)` }
  }
  const value = sql`${sql.ref(fence.value(measure.field))}`
  const upTo = sql`${measure.upTo.value}::numeric`
  // greatest() and least() skip nulls, so a missing value is caught first:
  // it gives no points in either direction.
  const capped = sql`least(greatest(${value}, 0), ${upTo})`
  const share = measure.direction === 'higher' ? capped : sql`(${upTo} - ${capped})`
  return {
    value: jsonNumber(value),
    points: sql`(case when ${value} is null then 0 else round(${weight} * ${share} / ${upTo}, 2) end)`,
  }
}
