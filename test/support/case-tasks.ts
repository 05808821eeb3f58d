/**
 * The two cases the case-view and decision suites start from: a task made by
 * a real (stand-in) rule run for Grace Okafor in LSE and one for a person in
 * MEE, so region scoping can be checked against the other.
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../../src/clock.ts'
import type { Tables } from '../../src/db/tables.ts'
import { runCompiledRules } from '../../src/tasks/rule-run.ts'
import { publishForTest } from './publication.ts'
import { insertPersons, standInRuleSet } from './tasks.ts'

/** Runs the stand-in rule set, as a manual run at the clock's time. */
export async function runStandInRules(db: Kysely<Tables>, clock: Clock) {
  const { ruleSet, compiled } = standInRuleSet()
  await publishForTest(db, ruleSet)
  return runCompiledRules(db, { ruleSet, compiled, clock, trigger: 'manual' })
}

/** Inserts P1 (Grace Okafor, LSE) and P2 (MEE), runs the rules, and returns their task IDs. */
export async function seedLseAndMeeTasks(
  db: Kysely<Tables>,
  clock: Clock,
): Promise<{ lseTask: number; meeTask: number }> {
  await insertPersons(db, [
    { person_id: 'P1', given_names: 'Grace', family_name: 'Okafor', missed_events_90_days: 2 },
    { person_id: 'P2', rom_region: 'MEE', ice_region: 'MEE', missed_events_90_days: 1 },
  ])
  await runStandInRules(db, clock)
  const tasks = await db.selectFrom('tasks').select(['id', 'person_id']).execute()
  const idOf = (personId: string) => {
    const id = tasks.find((t) => t.person_id === personId)?.id
    if (id === undefined) throw new Error(`the stand-in rules made no task for ${personId}`)
    return id
  }
  return { lseTask: idOf('P1'), meeTask: idOf('P2') }
}
