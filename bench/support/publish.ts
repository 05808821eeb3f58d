/**
 * A benchmark's rule set is published as an operator publishes one (rule
 * runs refuse a version nobody published): through the real publishing,
 * its tests and impact report included, before anything is timed.
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../../src/clock.ts'
import { loadConfig } from '../../src/config.ts'
import type { Tables } from '../../src/db/tables.ts'
import type { RuleSet } from '../../src/rules/model.ts'
import { publishRuleSet } from '../../src/rules/publish.ts'

export async function publishForBench(db: Kysely<Tables>, ruleSet: RuleSet, clock: Clock): Promise<void> {
  const outcome = await publishRuleSet(db, {
    ruleSet,
    notes: 'Published for a benchmark run.',
    by: undefined,
    from: 'npm run bench',
    clock,
    settings: loadConfig({}).ruleImpact,
  })
  if (outcome.kind === 'refused') {
    throw new Error(`the benchmark's rule set could not be published: ${outcome.problems.join('; ')}`)
  }
}
