/**
 * Representations and contests, and the information page for the person,
 * as one object built for the process (src/services.ts): what the pages
 * call. Writes go to src/tasks/contests.ts; reads to contest-view.ts.
 */
import type { Kysely } from 'kysely'
import type { RegionScope } from '../access/region-scope.ts'
import { recordAuditEvent } from '../audit/events.ts'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'
import type { ContestInput } from '../tasks/contest-input.ts'
import {
  type ContestUser,
  type DecideContestResult,
  decideContest,
  eligibleReviewers,
  type OutcomeInput,
  type RecordContestResult,
  recordContest,
} from '../tasks/contests.ts'
import type { TaskChangeListener } from '../tasks/task-changes.ts'
import type { RepresentationsContact } from './contest-contact.ts'
import {
  type ContestCounts,
  type ContestListFilter,
  type ContestView,
  contestsOfTask,
  countContests,
  findContest,
  listContests,
} from './contest-view.ts'
import type { TaskView } from './task-view.ts'

export interface ContestServiceDependencies {
  readonly db: Kysely<Tables>
  readonly clock: Clock
  readonly onTaskChanged: TaskChangeListener
  readonly contact: RepresentationsContact
}

/** The decision the information page reports: what it was, when, and the decider's roles (not their name). */
export interface DecisionForPerson {
  readonly status: 'ACCEPTED' | 'REJECTED' | 'ON_HOLD'
  readonly at: Date
  readonly roles: readonly string[]
}

export class ContestService {
  readonly #deps: ContestServiceDependencies

  constructor(deps: ContestServiceDependencies) {
    this.#deps = deps
  }

  get contact(): RepresentationsContact {
    return this.#deps.contact
  }

  record(taskId: number, contest: ContestInput, user: ContestUser): Promise<RecordContestResult> {
    return recordContest(this.#deps.db, { taskId, contest, user, clock: this.#deps.clock })
  }

  decide(contestId: number, outcome: OutcomeInput, user: ContestUser): Promise<DecideContestResult> {
    const { db, clock, onTaskChanged } = this.#deps
    return decideContest(db, { contestId, outcome, user, clock, onTaskChanged })
  }

  find(contestId: number, scope: RegionScope): Promise<ContestView | undefined> {
    return findContest(this.#deps.db, contestId, scope)
  }

  list(scope: RegionScope, filter: ContestListFilter, userId: string): Promise<ContestView[]> {
    return listContests(this.#deps.db, scope, filter, userId)
  }

  counts(scope: RegionScope, userId: string): Promise<ContestCounts> {
    return countContests(this.#deps.db, scope, userId)
  }

  ofTask(task: TaskView, scope: RegionScope): Promise<ContestView[]> {
    return contestsOfTask(this.#deps.db, task.id, scope)
  }

  /** Who may be assigned a contest on this task: never whoever took the decision contested. */
  reviewersFor(task: TaskView): Promise<{ id: string; name: string }[]> {
    return eligibleReviewers(this.#deps.db, task.romRegion, task.statusChangedBy?.id ?? '')
  }

  /**
   * The latest decision a person took on the task, for the information
   * page, audited as a view of the person's data (kind `case-viewed`,
   * section `information`) before the page is shown.
   */
  async informationViewed(task: TaskView, userId: string): Promise<DecisionForPerson | undefined> {
    const { db, clock } = this.#deps
    return db.transaction().execute(async (trx) => {
      await recordAuditEvent(trx, {
        kind: 'case-viewed',
        at: clock.now(),
        userId,
        personId: task.personId,
        taskId: task.id,
        section: 'information',
      })
      const row = await trx
        .selectFrom('task_events as e')
        .innerJoin('users as u', 'u.id', 'e.user_id')
        .select(['e.status', 'e.occurred_at', 'u.roles'])
        .where('e.task_id', '=', task.id)
        .where('e.user_id', 'is not', null)
        .orderBy('e.task_version', 'desc')
        .limit(1)
        .executeTakeFirst()
      if (!row || (row.status !== 'ACCEPTED' && row.status !== 'REJECTED' && row.status !== 'ON_HOLD')) {
        return undefined
      }
      return { status: row.status, at: new Date(row.occurred_at), roles: row.roles }
    })
  }
}
