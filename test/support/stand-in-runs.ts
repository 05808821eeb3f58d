/**
 * Full runs of the stand-in rule set over a test database, a caseworker's
 * decisions, and the tasks and events they leave: what the rule-run tests
 * share. The database and clock are read when called, as each test starts
 * with a fresh clock.
 */
import type { Kysely } from 'kysely'
import type { Tables } from '../../src/db/tables.ts'
import { type Decision, decideTask } from '../../src/tasks/decisions.ts'
import { runCompiledRules } from '../../src/tasks/rule-run.ts'
import { CASEWORKER } from './caseworker.ts'
import { publishForTest } from './publication.ts'
import { type ManualClock, standInRuleSet } from './tasks.ts'

const MINUTE = 60_000

export function standInRuns(dbOf: () => Kysely<Tables>, clockOf: () => ManualClock) {
  return {
    /** A caseworker's decision on a task still at its first version. */
    decide(taskId: number, decision: Decision) {
      return decideTask(dbOf(), { taskId, expectedVersion: 1, decision, user: CASEWORKER, clock: clockOf() })
    },

    // Full runs, so that their counts cover every person: an incremental run
    // counts only the persons it evaluated (rule-run-incremental.test.ts).
    async run(version = 'stand-in-v1', options: { failedToReportMinimum?: number } = {}) {
      const { ruleSet, compiled } = standInRuleSet(version, options)
      const clock = clockOf()
      clock.advance(MINUTE)
      await publishForTest(dbOf(), ruleSet)
      return runCompiledRules(dbOf(), { ruleSet, compiled, clock, trigger: 'manual', full: true })
    },

    tasks() {
      return dbOf().selectFrom('tasks').selectAll().orderBy('id').execute()
    },

    events(taskId?: number) {
      let query = dbOf().selectFrom('task_events').selectAll().orderBy('id')
      if (taskId !== undefined) query = query.where('task_id', '=', taskId)
      return query.execute()
    },

    /** The person's latest task of the type. */
    taskOf(personId: string, taskType: string) {
      return dbOf()
        .selectFrom('tasks')
        .selectAll()
        .where('person_id', '=', personId)
        .where('task_type', '=', taskType)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    },
  }
}
