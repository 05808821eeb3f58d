/**
 * What the tests of deciding a task over HTTP share: a running app on a test
 * database, caseworkers and a manager in LSE, Grace Okafor's LSE task and a
 * task in MEE made by a stand-in rule run at 09:00 on 2 March 2026, a clock
 * the tests move on, and queries for what a decision wrote.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { seedLseAndMeeTasks } from './case-tasks.ts'
import { openTestDatabase, type TestDatabase } from './database.ts'
import { manualClock } from './tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  signedInClient,
  startTestApp,
  type TestApp,
  type WebClient,
} from './web.ts'

export const MINUTE = 60_000
export const CONFIRMED = { checksConfirmed: 'yes' }

/**
 * Call inside a describe: starts the app before its tests and stops it
 * after, and gives each test a fresh database with the users and the two
 * tasks, the clock a minute past the rule run.
 */
export function caseDecisionsHarness() {
  let database: TestDatabase
  let web: TestApp
  const clock = manualClock()
  let taskId: number
  let otherRegionTask: number

  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { clock })
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })

  beforeEach(async () => {
    await database.reset()
    clock.set(new Date('2026-03-02T09:00:00Z'))
    await addTestUser(database, { id: 'cw1', name: 'Casey Worker', regions: ['LSE'] })
    await addTestUser(database, { id: 'cw2', name: 'Sam Other', regions: ['LSE'] })
    await addTestUser(database, { id: 'mgr', name: 'Mandy Manager', roles: ['MANAGER'], regions: ['LSE'] })
    ;({ lseTask: taskId, meeTask: otherRegionTask } = await seedLseAndMeeTasks(database.db, clock))
    clock.advance(MINUTE)
  })

  const signedIn = (userId: string) => signedInClient(web.app, userId)

  /** Opens the form, then posts it with the page's CSRF token and version, plus `fields`. */
  async function submit(
    client: WebClient,
    action: 'accept' | 'reject' | 'hold',
    fields: Record<string, string | string[]>,
    back?: string,
  ) {
    const form = await client.get(paths.taskDecision(taskId, action, back))
    assert.equal(form.statusCode, 200, `the ${action} form opens`)
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? ''
    return client.post(paths.taskDecision(taskId, action, back), {
      _csrf: csrfTokenIn(form.body),
      version,
      ...fields,
    })
  }

  /** The LSE task as stored. */
  async function task() {
    return database.db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow()
  }

  /** The LSE task's events, oldest first. */
  async function events() {
    return database.db
      .selectFrom('task_events')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('id')
      .execute()
  }

  return {
    get database() {
      return database
    },
    /** The app itself, for a client of a test's own. */
    get app() {
      return web.app
    },
    clock,
    /** Grace Okafor's task in LSE, the region every user here works in. */
    get taskId() {
      return taskId
    },
    /** A task in MEE, which none of the users may see. */
    get otherRegionTask() {
      return otherRegionTask
    },
    signedIn,
    submit,
    task,
    events,
  }
}
