/**
 * Runs the test cases each rule file carries, on the real database engine:
 * the test persons are written, the compiled rules evaluated over them and
 * everything rolled back, so a run leaves no trace even on a live database.
 *
 * A case passes when the outcome (recommended or not) is as expected, the
 * named condition or safeguard is the one that decided it, and the priority
 * is as expected where the case gives one.
 */
import type { Kysely } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import { compileEvaluation, type RuleEvaluation } from './compile.ts'
import { formatActual } from './explanation.ts'
import type { RecommendationExplanation } from './explanation-json.ts'
import type { Rule, RuleSet, RuleTestCase } from './model.ts'
import { insertTestPersons, referenceDefaults, type TestPersonRows, testPersonRows } from './test-person.ts'

export interface RuleTestResult {
  readonly rule: string
  /** The file the case is written in. */
  readonly file: string
  readonly name: string
  readonly passed: boolean
  /** "not recommended, decided by adultAtRisk". */
  readonly expected: string
  /** "recommended, priority 42". */
  readonly actual: string
  /** What decided the actual outcome, in words with the person's value. */
  readonly decidedBy: string
  /** Why the case failed; undefined when it passed. */
  readonly failure: string | undefined
}

/** What decided an evaluation: the safeguard that excluded, or the chain down to the condition that failed. */
export interface Decision {
  readonly recommended: boolean
  /** The ids that can be said to decide: a safeguard, or a failing condition and the failing parts inside it. */
  readonly ids: readonly string[]
  readonly description: string
}

export function decisionOf(e: RecommendationExplanation): Decision {
  const safeguard = e.safeguards.find((s) => s.held)
  if (safeguard) {
    const value =
      safeguard.field === null
        ? ''
        : ` (the person's value: ${formatActual(safeguard.field, safeguard.actual)})`
    return {
      recommended: false,
      ids: [safeguard.id],
      description: `safeguard ${safeguard.id}: ${safeguard.text}${value}`,
    }
  }
  const conditions = e.conditions
  const first = conditions.findIndex((c) => c.depth === 0 && !c.held)
  if (first < 0)
    return { recommended: true, ids: [], description: 'every condition held and no safeguard excluded' }
  const ids: string[] = []
  // Walk down from the condition that failed: inside all, the first part that
  // failed; inside any, every part (all of them failed, so each can be named);
  // inside not, the part that held. The first leaf reached is described.
  let described: (typeof conditions)[number] | undefined
  const walk = (index: number): void => {
    const node = conditions[index]!
    ids.push(node.id)
    const children = childIndexes(conditions, index)
    if (children.length === 0) {
      described ??= node
      return
    }
    if (node.operator === 'any') children.forEach(walk)
    else {
      const next = children.find((i) => conditions[i]!.held === (node.operator === 'not'))
      if (next === undefined) described ??= node
      else walk(next)
    }
  }
  walk(first)
  const leaf = described ?? conditions[first]!
  const value = leaf.field === null ? '' : ` (the person's value: ${formatActual(leaf.field, leaf.actual)})`
  return {
    recommended: false,
    ids,
    description: `condition ${leaf.id} ${leaf.held ? 'held' : 'did not hold'}: ${leaf.text}${value}`,
  }
}

function childIndexes(conditions: RecommendationExplanation['conditions'], parent: number): number[] {
  const depth = conditions[parent]!.depth
  const out: number[] = []
  for (let i = parent + 1; i < conditions.length && conditions[i]!.depth > depth; i++) {
    if (conditions[i]!.depth === depth + 1) out.push(i)
  }
  return out
}

function judge(rule: Rule, testCase: RuleTestCase, evaluation: RuleEvaluation | undefined): RuleTestResult {
  const expected = `${testCase.expect}${testCase.decidedBy ? `, decided by ${testCase.decidedBy}` : ''}${
    testCase.priority !== undefined ? `, priority ${testCase.priority}` : ''
  }`
  const base = { rule: rule.code, file: testCase.file, name: testCase.name, expected }
  if (!evaluation) {
    return {
      ...base,
      passed: false,
      actual: 'no evaluation',
      decidedBy: '',
      failure: 'the rules returned no evaluation for the test person',
    }
  }
  const decision = decisionOf(evaluation.explanation)
  const recommended = evaluation.matched
  const score = evaluation.priority
  const actual = recommended ? `recommended, priority ${score}` : `not recommended`
  const problems: string[] = []
  if ((testCase.expect === 'recommended') !== recommended) {
    problems.push(`expected ${testCase.expect}, got ${recommended ? 'recommended' : 'not recommended'}`)
  } else if (testCase.decidedBy !== undefined) {
    if (!recommended && !decision.ids.includes(testCase.decidedBy)) {
      problems.push(
        `expected it to be decided by ${testCase.decidedBy}, but it was decided by ${decision.ids.join(' › ')}`,
      )
    }
    if (recommended && !heldAsRecommended(evaluation.explanation, testCase.decidedBy)) {
      problems.push(`expected ${testCase.decidedBy} to support the recommendation, but it did not`)
    }
  }
  if (recommended && testCase.priority !== undefined && Math.abs(score - testCase.priority) > 0.005) {
    problems.push(`expected priority ${testCase.priority}, got ${score}`)
  }
  return {
    ...base,
    passed: problems.length === 0,
    actual,
    decidedBy: decision.description,
    failure: problems.length === 0 ? undefined : problems.join('; '),
  }
}

/** For a recommended case: the named condition held, or the named safeguard did not exclude. */
function heldAsRecommended(e: RecommendationExplanation, id: string): boolean {
  const safeguard = e.safeguards.find((s) => s.id === id)
  if (safeguard) return !safeguard.held
  return e.conditions.some((c) => c.id === id && c.held)
}

class Rollback extends Error {}

export interface RuleTestOptions {
  /** Only the rules of these task types. */
  readonly taskTypes?: readonly string[]
}

/** Runs every case of every rule (global-safeguard cases once per rule they apply to), then rolls back. */
export async function runRuleTests(
  db: Kysely<Tables>,
  ruleSet: RuleSet,
  options: RuleTestOptions = {},
): Promise<RuleTestResult[]> {
  const rules = ruleSet.rules.filter(
    (r) => options.taskTypes === undefined || options.taskTypes.includes(r.code),
  )
  const results: RuleTestResult[] = []
  try {
    await db.transaction().execute(async (trx) => {
      const reference = await referenceDefaults(trx)
      const now = new Date()
      const planned = rules.map((rule, r) => ({
        rule,
        cases: rule.tests.map((testCase, c) => ({ testCase, personId: `RULETEST-${r}-${c}` })),
      }))
      const rows: TestPersonRows[] = planned.flatMap(({ cases }) =>
        cases.map(({ testCase, personId }) =>
          testPersonRows(personId, testCase.person, testCase.today, reference, now),
        ),
      )
      await insertTestPersons(trx, rows)
      for (const { rule, cases } of planned) {
        const byDate = new Map<IsoDate, typeof cases>()
        for (const c of cases) byDate.set(c.testCase.today, [...(byDate.get(c.testCase.today) ?? []), c])
        for (const [today, group] of byDate) {
          const query = compileEvaluation(ruleSet, {
            today,
            taskTypes: [rule.code],
            personIds: group.map((c) => c.personId),
          })
          const { rows: evaluations } = await query.execute(trx)
          const byPerson = new Map(evaluations.map((e) => [e.person_id, e]))
          for (const c of group) results.push(judge(rule, c.testCase, byPerson.get(c.personId)))
        }
      }
      throw new Rollback()
    })
  } catch (error) {
    if (!(error instanceof Rollback)) throw error
  }
  return results
}
