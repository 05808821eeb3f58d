/**
 * Demo mode's first start: the demo users, the synthetic persons and a rule
 * run over them. Later starts find them and add nothing. Two instances
 * starting together on one empty PostgreSQL database take turns, so the
 * second finds what the first seeded instead of seeding it again.
 */
import { type DemoUser, seedDemoUsers } from '../access/demo-users.ts'
import { takingTurns } from '../db/session-lock.ts'
import type { RuleSet } from '../rules/model.ts'
import { type LiveRuntime, runLiveRules } from './rules-run.ts'

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
      const run = await runLiveRules(runtime, 'start', ruleSet ? { ruleSet } : {})
      logger.info({ runId: run.runId, ...run.totals }, 'rules evaluated over the demo persons')
    }
    return users
  })
}
