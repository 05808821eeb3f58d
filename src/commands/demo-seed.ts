/**
 * Demo mode's first start: the demo users, the synthetic persons, the rule
 * set published (as `ipic rules publish` would, tests and impact report
 * included) and a rule run over them. Later starts find them and add nothing. Two instances
 * starting together on one empty PostgreSQL database take turns, so the
 * second finds what the first seeded instead of seeding it again.
 */
import { type DemoUser, seedDemoUsers } from '../access/demo-users.ts'
import { takingTurns } from '../db/session-lock.ts'
import type { RuleSet } from '../rules/model.ts'
import { publishRuleSet } from '../rules/publish.ts'
import { UserFacingError } from './errors.ts'
import { type LiveRuntime, loadRuleSetForCommand, runLiveRules } from './rules-run.ts'

/** `ruleSet`: the one the service loaded at start, for the first run; loaded from the rules directory if not given. */
export async function seedDemo(runtime: LiveRuntime, ruleSet?: RuleSet): Promise<DemoUser[]> {
  const { database, logger } = runtime
  return takingTurns(database, 'ipic:demo-seed', async () => {
    const users = await seedDemoUsers(database.db)
    const created = users.filter((user) => user.created).length
    logger.info({ demoUsers: users.length, created }, 'demo users ready')
    // Loaded only in demo mode: a server without demo data has no use for the
    // synthetic data generator and its names (about 6 MB of its memory).
    const { seedDemoPersons } = await import('./demo-persons.ts')
    const persons = await seedDemoPersons(runtime)
    logger.info(persons, 'demo persons ready')
    if (persons.seeded > 0) {
      const rules = ruleSet ?? (await loadRuleSetForCommand(runtime.config.rulesDir, runtime.reference))
      await publishDemoRules(runtime, rules)
      const run = await runLiveRules(runtime, 'start', { ruleSet: rules })
      logger.info({ runId: run.runId, ...run.totals }, 'rules evaluated over the demo persons')
    }
    return users
  })
}

/** Publishes the demo's rule set, as a rule author would before its first run; already published is fine. */
async function publishDemoRules(runtime: LiveRuntime, ruleSet: RuleSet): Promise<void> {
  const outcome = await publishRuleSet(runtime.database.db, {
    ruleSet,
    notes: 'The rule set the demo started with.',
    by: undefined,
    from: "ipic serve, seeding the demo's data",
    clock: runtime.clock,
    settings: runtime.config.ruleImpact,
  })
  if (outcome.kind === 'refused') {
    throw new UserFacingError(`the demo's rule set cannot be published: ${outcome.problems.join('; ')}`)
  }
  runtime.logger.info({ version: ruleSet.version, outcome: outcome.kind }, 'demo rule set published')
}
