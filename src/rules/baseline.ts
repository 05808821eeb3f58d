/**
 * The live rule set a draft is compared with: the one the last completed
 * rule run used, which made the recommendations caseworkers see now. Not the
 * rule files in IPIC_RULES_DIR: a release may already have put the draft
 * there, waiting to be published, and comparing it with itself would report
 * no change.
 */
import type { Kysely } from 'kysely'
import type { Tables } from '../db/tables.ts'
import { ruleSetFromFiles } from './load.ts'
import type { RuleSet } from './model.ts'

/** The rule set of the last completed run, rebuilt from its stored files; null when no run has completed. */
export async function lastRunRuleSet(db: Kysely<Tables>): Promise<RuleSet | null> {
  const row = await db
    .selectFrom('rule_runs as r')
    .innerJoin('rule_sets as s', 's.version', 'r.rule_set_version')
    .select(['s.version', 's.files'])
    .where('r.status', '=', 'COMPLETED')
    .orderBy('r.id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!row) return null
  // The files passed every check when they ran; rebuilt without the reference data, as for stored explanations.
  const ruleSet = ruleSetFromFiles(row.files)
  if (ruleSet.version !== row.version) {
    throw new Error(`the files stored as rule set ${row.version} are version ${ruleSet.version}`)
  }
  return ruleSet
}
