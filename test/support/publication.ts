/**
 * Publishing a rule set in a test, as `ipic rules publish` would have
 * before its first run: rule runs refuse a version nobody published
 * (src/rules/publication.ts). The impact report is an empty one; the tests
 * of publishing itself (rules-publish.test.ts) go through the real checks.
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../../src/clock.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import type { Tables } from '../../src/db/tables.ts'
import type { RuleSetSource } from '../../src/rules/compiled-matches.ts'
import { impactReport } from '../../src/rules/impact.ts'
import { ruleTaskTypes } from '../../src/rules/live-rules.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import { recordPublication } from '../../src/rules/publication.ts'
import { type RunSummary, runCompiledRules } from '../../src/tasks/rule-run.ts'
import { REFERENCE_DIR } from './database.ts'
import { standInRuleSet } from './tasks.ts'

/** Records the rule set as published (again is fine: the first record stands). */
export async function publishForTest(db: Kysely<Tables>, ruleSet: RuleSetSource): Promise<void> {
  await recordPublication(db, {
    version: ruleSet.version,
    files: ruleSet.files,
    publishedAt: new Date(),
    publishedFrom: 'test',
    publishedBy: null,
    notes: 'Published for a test.',
    impact: impactReport(
      [],
      { liveVersion: null, draftVersion: ruleSet.version, today: '2026-03-02' },
      { marginPoints: 5, smallGroup: 30 },
    ),
  })
}

/** Publishes the rule set in a directory (the live rules of a test's configuration). */
export async function publishRulesIn(db: Kysely<Tables>, directory: string): Promise<void> {
  const reference = await readReferenceData(REFERENCE_DIR)
  const ruleSet = await loadRuleSet(directory, { taskTypes: ruleTaskTypes(reference) })
  await publishForTest(db, ruleSet)
}

/** Publishes the stand-in rule set of `version` (support/tasks.ts) and runs it by hand, as `ipic rules run` would. */
export async function runStandInRules(
  db: Kysely<Tables>,
  clock: Clock,
  version = 'stand-in-v1',
): Promise<RunSummary> {
  const { ruleSet, compiled } = standInRuleSet(version)
  await publishForTest(db, ruleSet)
  return runCompiledRules(db, { ruleSet, compiled, clock, trigger: 'manual' })
}
