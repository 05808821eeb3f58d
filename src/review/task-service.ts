/**
 * What a caseworker does with one task, as one object built for the process
 * (src/services.ts): find it in their regions, open a page of its case (on
 * record, with who holds it), read the case's sections, and decide.
 *
 * A decision that commits is announced to `onTaskChanged`, which the
 * composition root points at whatever keeps per-region state (the review
 * lists' counts): the task layer knows nothing of who listens.
 */

import type { Kysely } from 'kysely'
import type { RegionScope } from '../access/region-scope.ts'
import { findSignedInUser } from '../access/sign-in.ts'
import type { User } from '../access/users.ts'
import { recordAuditEvent } from '../audit/events.ts'
import { type CaseRecordList, type CaseRecordView, findCaseRecord } from '../cases/case-record.ts'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'
import { explanationForTask, type TaskExplanation } from '../rules/stored-explanation.ts'
import {
  type Assignee,
  type AssignmentResult,
  type AssignTaskInput,
  assigneesOf,
  assignTask,
} from '../tasks/assignment.ts'
import { type DecideTaskInput, type DecisionResult, decideTask } from '../tasks/decisions.ts'
import type { TaskChangeListener } from '../tasks/task-changes.ts'
import { type CaseHolder, findCaseHolder } from './claims.ts'
import { type MyTask, myTasks } from './my-tasks.ts'
import { type OpenedCase, type OpeningUser, openCase } from './open-case.ts'
import {
  type AssignmentHistoryEvent,
  assignmentHistory,
  findTaskView,
  listRejectionReasons,
  type RejectionReason,
  type TaskHistoryEvent,
  type TaskView,
  taskHistory,
} from './task-view.ts'

/** The section a client's reading of a task is audited under: the API shows the case header and explanation. */
export const CLIENT_VIEW_SECTION = 'api'
/** The section a client's reading of a person's whole record is audited under. */
export const CLIENT_PERSON_SECTION = 'api-person'

export interface TaskServiceDependencies {
  readonly db: Kysely<Tables>
  readonly clock: Clock
  /** Told of every decision once it has committed. */
  readonly onTaskChanged: TaskChangeListener
}

/** An assignment change as the user asks for it; the service adds the time and who is told. */
export type AssignmentRequest = Omit<AssignTaskInput, 'clock' | 'onTaskChanged'>

/** A decision as the caseworker makes it; the service adds the time and who is told. */
export type DecisionRequest = Omit<DecideTaskInput, 'clock' | 'onTaskChanged'>

export class TaskService {
  readonly #db: Kysely<Tables>
  readonly #clock: Clock
  readonly #onTaskChanged: TaskChangeListener

  constructor(deps: TaskServiceDependencies) {
    this.#db = deps.db
    this.#clock = deps.clock
    this.#onTaskChanged = deps.onTaskChanged
  }

  /** The task, if it is in the user's regions: another region's task is as absent as a missing one. */
  find(taskId: number, scope: RegionScope): Promise<TaskView | undefined> {
    return findTaskView(this.#db, taskId, scope)
  }

  /**
   * The task, if it is in the client's regions, its reading audited as a
   * view of the case by the API client. No opening is recorded: a client
   * holds no case, and its views are no caseworker's evidence of review.
   */
  async viewedByClient(taskId: number, scope: RegionScope, clientId: string): Promise<TaskView | undefined> {
    const task = await findTaskView(this.#db, taskId, scope)
    if (!task) return undefined
    await recordAuditEvent(this.#db, {
      kind: 'case-viewed',
      at: this.#clock.now(),
      userId: null,
      clientId,
      personId: task.personId,
      taskId: task.id,
      section: CLIENT_VIEW_SECTION,
    })
    return task
  }

  /**
   * The person's whole record, if they are in the client's regions, its
   * reading audited as a view of the case by the API client, through no task.
   */
  async personViewedByClient(
    personId: string,
    scope: RegionScope,
    clientId: string,
  ): Promise<CaseRecordView | undefined> {
    const record = await findCaseRecord(this.#db, personId, scope)
    if (!record) return undefined
    await recordAuditEvent(this.#db, {
      kind: 'case-viewed',
      at: this.#clock.now(),
      userId: null,
      clientId,
      personId: record.person.personId,
      taskId: null,
      section: CLIENT_PERSON_SECTION,
    })
    return record
  }

  /** The user a decision made through the API names, if the account exists and is active. */
  activeUser(userId: string): Promise<User | undefined> {
    return findSignedInUser(this.#db, userId)
  }

  /**
   * Finds the task and records its opening and the page shown, in one
   * statement (see open-case.ts); undefined, with nothing recorded, when
   * not found.
   */
  open(taskId: number, user: OpeningUser, section: string): Promise<OpenedCase | undefined> {
    return openCase(this.#db, { taskId, user, section, clock: this.#clock })
  }

  /** Who has the case open now, if anyone, without recording an opening. */
  holder(task: TaskView): Promise<CaseHolder | undefined> {
    return findCaseHolder(this.#db, {
      taskId: task.id,
      statusChangedAt: task.statusChangedAt,
      clock: this.#clock,
    })
  }

  history(task: TaskView): Promise<TaskHistoryEvent[]> {
    return taskHistory(this.#db, task.id)
  }

  /** Who worked the task, change by change. */
  assignmentHistory(task: TaskView): Promise<AssignmentHistoryEvent[]> {
    return assignmentHistory(this.#db, task.id)
  }

  /** The person's record with the lists a section shows; undefined if the person is not in the user's regions. */
  caseRecord(
    task: TaskView,
    scope: RegionScope,
    lists: readonly CaseRecordList[],
  ): Promise<CaseRecordView | undefined> {
    return findCaseRecord(this.#db, task.personId, scope, { lists })
  }

  /** Why the rules recommended the task, or why that cannot be given; undefined for a task made by hand. */
  explanation(task: TaskView): Promise<TaskExplanation> {
    return explanationForTask(this.#db, task)
  }

  /** The reasons a rejection may give, in the reference data's order. */
  rejectionReasons(): Promise<RejectionReason[]> {
    return listRejectionReasons(this.#db)
  }

  /**
   * Assigns, reassigns or unassigns each task in turn, each guarded by the
   * version the user saw and in a transaction of its own (tasks/assignment.ts):
   * a task that changed meanwhile is left as it is and said so, the others
   * are changed.
   */
  async assign(requests: readonly AssignmentRequest[]): Promise<AssignmentResult[]> {
    const results: AssignmentResult[] = []
    for (const request of requests) {
      results.push(
        await assignTask(this.#db, { ...request, clock: this.#clock, onTaskChanged: this.#onTaskChanged }),
      )
    }
    return results
  }

  /** Who a manager may give the region's tasks to. */
  assignees(region: string): Promise<Assignee[]> {
    return assigneesOf(this.#db, region)
  }

  /** The open tasks assigned to the user, in the regions they may see. */
  myTasks(userId: string, scope: RegionScope): Promise<MyTask[]> {
    return myTasks(this.#db, userId, scope)
  }

  /** The names of tasks in the user's regions, for saying what a change from a list did to each. */
  async taskNames(taskIds: readonly number[], scope: RegionScope): Promise<Map<number, string>> {
    const found = await Promise.all(taskIds.map((id) => findTaskView(this.#db, id, scope)))
    return new Map(found.flatMap((task) => (task ? [[task.id, task.personName] as const] : [])))
  }

  /** Decides, guarded by the version the caseworker saw (see tasks/decisions.ts). */
  decide(request: DecisionRequest): Promise<DecisionResult> {
    return decideTask(this.#db, { ...request, clock: this.#clock, onTaskChanged: this.#onTaskChanged })
  }
}
