/**
 * The explanation of a task, in full. A task made by a rule run stores what
 * identifies its proof (docs/decisions/0026-explanations-on-demand.md): its
 * rule-set version and rule, the version of the person's facts it was
 * evaluated on and the day; the explanation is derived when asked by
 * evaluating that rule, as that version's files say, over those facts as
 * person_facts_history keeps them, so it shows the values as they were when
 * recommended whatever has changed since. Tasks made before keep what they
 * stored (the compact form, expanded with the words of their rule set, or
 * the full form), and are shown as they are.
 */
import { CompiledQuery, type Kysely, sql } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import { type CompactRuleMatch, compileCompactMatches } from './compile.ts'
import { expandExplanation } from './explanation.ts'
import type { CompactExplanation, RecommendationExplanation } from './explanation-json.ts'
import { ruleSetFromFiles } from './load.ts'
import type { RuleSet } from './model.ts'

export interface StoredTaskExplanation {
  /** tasks.explanation as read: null for a task whose explanation is derived. */
  readonly explanation: unknown
  /** tasks.rule_set_version. */
  readonly ruleSetVersion: string
  /** tasks.rule_code. */
  readonly ruleCode: string
  /** tasks.facts_version and tasks.evaluated_on: what the explanation is derived from. */
  readonly factsVersion: string | null
  readonly evaluatedOn: IsoDate | null
}

/**
 * Why a task's explanation cannot be given, rather than a wrong one:
 *   - rule-set-missing: its rule-set version is no longer stored;
 *   - rule-missing: that version has no rule of the task's code;
 *   - facts-missing: the facts version it was evaluated on is no longer kept;
 *   - not-matched: the rule does not recommend from those facts on that day
 *     (they were changed by hand since).
 */
export type ExplanationUnavailableCode = 'rule-set-missing' | 'rule-missing' | 'facts-missing' | 'not-matched'

export interface ExplanationUnavailable {
  readonly unavailable: ExplanationUnavailableCode
  readonly ruleSetVersion: string
  readonly ruleCode: string
}

/** The explanation in full; why it cannot be given; or undefined for a task made by hand (nothing to explain from). */
export type TaskExplanation = RecommendationExplanation | ExplanationUnavailable | undefined

export function isUnavailable(explanation: TaskExplanation): explanation is ExplanationUnavailable {
  return explanation !== undefined && 'unavailable' in explanation
}

/** The explanation when there is one; undefined when it cannot be given or there is none. */
export function explanationOrNothing(explanation: TaskExplanation): RecommendationExplanation | undefined {
  return isUnavailable(explanation) ? undefined : explanation
}

class RuleSetMissingError extends Error {}

/**
 * Rule sets by version. A version is the hash of its files, so what it names
 * never changes and needs no invalidation; only the versions whose tasks are
 * being read end up here, a handful in the life of a process. A failed load
 * is not kept, so the next read tries again.
 */
const ruleSets = new Map<string, Promise<RuleSet>>()

/** The full explanation of a task: derived from its facts version, or as it stored it. */
export async function explanationForTask(
  db: Kysely<Tables>,
  task: StoredTaskExplanation,
): Promise<TaskExplanation> {
  const unavailable = (code: ExplanationUnavailableCode): ExplanationUnavailable => ({
    unavailable: code,
    ruleSetVersion: task.ruleSetVersion,
    ruleCode: task.ruleCode,
  })
  const stored = task.explanation
  if (task.factsVersion === null || task.evaluatedOn === null) {
    if (isFullExplanation(stored)) return stored
    if (!isCompact(stored)) return undefined
  }
  let ruleSet: RuleSet
  try {
    ruleSet = await ruleSetOfVersion(db, task.ruleSetVersion)
  } catch (error) {
    if (error instanceof RuleSetMissingError) return unavailable('rule-set-missing')
    throw error
  }
  if (task.factsVersion === null || task.evaluatedOn === null) {
    return expandExplanation(stored as CompactExplanation, ruleSet)
  }
  if (!ruleSet.rules.some((rule) => rule.code === task.ruleCode)) return unavailable('rule-missing')
  const derived = await db.executeQuery(
    proofStatement(db, ruleSet, {
      ruleCode: task.ruleCode,
      day: task.evaluatedOn,
      factsVersion: task.factsVersion,
    }),
  )
  const match = derived.rows[0]
  if (match) return expandExplanation(match.explanation, ruleSet)
  const kept = await sql<{ kept: boolean }>`
    select exists (select 1 from person_facts_history where facts_version = ${task.factsVersion}::bigint) as kept`.execute(
    db,
  )
  return unavailable(kept.rows[0]?.kept ? 'not-matched' : 'facts-missing')
}

/**
 * One rule of one version evaluated on one day over one facts version: the
 * statement compiled once per rule, version and day (a run's tasks share
 * them), the facts version bound as its value each time. Compiling it
 * anew for every page was about a third of the explanation's time in the
 * server (0.3–0.5 ms of 0.7–1 ms).
 */
function proofStatement(
  db: Kysely<Tables>,
  ruleSet: RuleSet,
  proof: { readonly ruleCode: string; readonly day: IsoDate; readonly factsVersion: string },
): CompiledQuery<CompactRuleMatch> {
  const key = `${ruleSet.version}\u0000${proof.ruleCode}\u0000${proof.day}`
  let compiled = proofStatements.get(key)
  if (compiled === undefined) {
    const statement = compileCompactMatches(ruleSet, {
      today: proof.day,
      taskTypes: [proof.ruleCode],
      factsVersion: FACTS_VERSION_PLACEHOLDER,
    }).compile(db)
    const at = statement.parameters.indexOf(FACTS_VERSION_PLACEHOLDER)
    if (at === -1 || statement.parameters.lastIndexOf(FACTS_VERSION_PLACEHOLDER) !== at) {
      throw new Error('the compiled explanation does not bind its facts version exactly once')
    }
    compiled = { sql: statement.sql, parameters: statement.parameters, factsVersionAt: at }
    // Oldest first out: a long-lived process meets a new day with each run.
    if (proofStatements.size >= MAX_PROOF_STATEMENTS) {
      const oldest = proofStatements.keys().next().value
      if (oldest !== undefined) proofStatements.delete(oldest)
    }
    proofStatements.set(key, compiled)
  }
  const parameters = [...compiled.parameters]
  parameters[compiled.factsVersionAt] = proof.factsVersion
  return CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<CompactRuleMatch>
}

/** Stands for the facts version while compiling: a value no facts version or rule value takes. */
const FACTS_VERSION_PLACEHOLDER = '-9007199254740991'
/** Nine rules over a few days of runs, and versions in use: enough to compile each once a day. */
const MAX_PROOF_STATEMENTS = 256
const proofStatements = new Map<
  string,
  { readonly sql: string; readonly parameters: readonly unknown[]; readonly factsVersionAt: number }
>()

async function ruleSetOfVersion(db: Kysely<Tables>, version: string): Promise<RuleSet> {
  let found = ruleSets.get(version)
  if (!found) {
    found = loadVersion(db, version)
    ruleSets.set(version, found)
    found.catch(() => ruleSets.delete(version))
  }
  return found
}

async function loadVersion(db: Kysely<Tables>, version: string): Promise<RuleSet> {
  const row = await db
    .selectFrom('rule_sets')
    .select('files')
    .where('version', '=', version)
    .executeTakeFirst()
  if (!row) throw new RuleSetMissingError(`rule set ${version} is not stored`)
  // The files passed every check when the rule set ran; rebuilt without the
  // reference data, so a task type retired since does not stop them loading.
  let ruleSet: RuleSet
  try {
    ruleSet = ruleSetFromFiles(row.files)
  } catch {
    throw new RuleSetMissingError(`the files stored as rule set ${version} no longer load`)
  }
  if (ruleSet.version !== version) {
    throw new RuleSetMissingError(`the files stored as rule set ${version} are version ${ruleSet.version}`)
  }
  return ruleSet
}

export function isFullExplanation(value: unknown): value is RecommendationExplanation {
  const e = value as Partial<RecommendationExplanation> | null
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.rule === 'object' &&
    Array.isArray(e.conditions) &&
    Array.isArray(e.safeguards) &&
    typeof e.priority === 'object' &&
    typeof e.reportingDate === 'object'
  )
}

function isCompact(value: unknown): value is CompactExplanation {
  const e = value as Partial<CompactExplanation> | null
  return (
    typeof e === 'object' &&
    e !== null &&
    e.form === 'compact' &&
    typeof e.rule === 'string' &&
    Array.isArray(e.held) &&
    Array.isArray(e.values) &&
    Array.isArray(e.points)
  )
}
