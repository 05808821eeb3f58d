/**
 * The explanation of a stored task, in full. A rule run stores the compact
 * form (only the person's part, see CompactExplanation): building and
 * writing the full JSON for every new task made a national run several times
 * slower. The words come back from the rule set of the version that made the
 * task, kept in rule_sets for as long as its tasks are. Tasks stored before
 * that, with the full form, are shown as they are.
 */
import type { Kysely } from 'kysely'
import type { Tables } from '../db/tables.ts'
import { expandExplanation } from './explanation.ts'
import type { CompactExplanation, RecommendationExplanation } from './explanation-json.ts'
import { ruleSetFromFiles } from './load.ts'
import type { RuleSet } from './model.ts'

export interface StoredTaskExplanation {
  /** tasks.explanation as read. */
  readonly explanation: unknown
  /** tasks.rule_set_version. */
  readonly ruleSetVersion: string
}

export class StoredExplanationError extends Error {}

/**
 * Rule sets by version. A version is the hash of its files, so what it names
 * never changes and needs no invalidation; only the versions whose tasks are
 * being read end up here, a handful in the life of a process. A failed load
 * is not kept, so the next read tries again.
 */
const ruleSets = new Map<string, Promise<RuleSet>>()

/**
 * The full explanation of a task: a stored full one as it is, a compact one
 * expanded with its own rule-set version. Undefined when the stored value is
 * neither (a hand-made task), for the caller to show what it has.
 */
export async function explanationForTask(
  db: Kysely<Tables>,
  task: StoredTaskExplanation,
): Promise<RecommendationExplanation | undefined> {
  const stored = task.explanation
  if (isFullExplanation(stored)) return stored
  if (!isCompact(stored)) return undefined
  return expandExplanation(stored, await ruleSetOfVersion(db, task.ruleSetVersion))
}

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
  if (!row) throw new StoredExplanationError(`rule set ${version} is not stored`)
  // The files passed every check when the rule set ran; rebuilt without the
  // reference data, so a task type retired since does not stop them loading.
  const ruleSet = ruleSetFromFiles(row.files)
  if (ruleSet.version !== version) {
    throw new StoredExplanationError(`the files stored as rule set ${version} are version ${ruleSet.version}`)
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
