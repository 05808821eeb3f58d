/**
 * Decision events to deliver: persons in LSE and MEE, the stand-in rules'
 * recommendations for them, and caseworkers' decisions on some, as the
 * decision-event suites need. Also the service address a subscriber's URL
 * is checked against.
 */
import assert from 'node:assert/strict'
import { type Kysely, sql } from 'kysely'
import type { Clock } from '../../src/clock.ts'
import type { Tables } from '../../src/db/tables.ts'
import { sequenceEvents } from '../../src/events/sequencer.ts'
import type { ServiceAddress } from '../../src/events/subscriber-url.ts'
import { addSubscriber, type Subscriber } from '../../src/events/subscribers.ts'
import { decideContest, recordContest } from '../../src/tasks/contests.ts'
import { type Decision, decideTask } from '../../src/tasks/decisions.ts'
import { runStandInRules } from './case-tasks.ts'
import { insertPersons } from './tasks.ts'
import { until, type WebhookReceiver } from './webhook-receiver.ts'

export const SERVICE: ServiceAddress = {
  port: 3000,
  localHosts: ['ipic-test-host'],
  publicOrigin: 'https://ipic.example.gov.uk',
}

export const NATIONAL_CASEWORKER = { id: 'cw-events', regions: { all: true as const } }

const ACCEPT: Decision = { status: 'ACCEPTED', checksConfirmed: true }
const REJECT: Decision = {
  status: 'REJECTED',
  reasons: ['MEDICAL'],
  details: 'In hospital.',
  checksConfirmed: true,
}
const HOLD: Decision = { status: 'ON_HOLD', note: 'Awaiting a medical report.' }

/** Adds the caseworker who decides, and `count` persons (alternately LSE and MEE) whom the rules recommend. */
export async function seedRecommendations(
  db: Kysely<Tables>,
  clock: Clock,
  count: number,
  prefix = 'E',
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: NATIONAL_CASEWORKER.id,
      name: 'Nat Ional',
      roles: ['CASEWORKER'],
      all_regions: true,
      password_hash: null,
    })
    .onConflict((oc) => oc.doNothing())
    .execute()
  await insertPersons(
    db,
    Array.from({ length: count }, (_, i) => ({
      person_id: `${prefix}${i + 1}`,
      rom_region: i % 2 === 0 ? 'LSE' : 'MEE',
      ice_region: i % 2 === 0 ? 'LSE' : 'MEE',
      missed_events_90_days: 1,
    })),
  )
  await runStandInRules(db, clock)
}

/**
 * Decides every open task once (accept, reject or hold in turn), and then
 * accepts the ones put on hold: two changes in a row for those tasks, whose
 * order must survive delivery. Returns how many decisions were made.
 */
export async function decideEveryOpenTask(db: Kysely<Tables>, clock: Clock): Promise<number> {
  const open = await db
    .selectFrom('tasks')
    .select(['id', 'version'])
    .where('status', '=', 'RECOMMENDED')
    .orderBy('id')
    .execute()
  let made = 0
  const held: { id: number; version: number }[] = []
  for (const [index, task] of open.entries()) {
    const decision = [ACCEPT, REJECT, HOLD][index % 3] as Decision
    const result = await decideTask(db, {
      taskId: task.id,
      expectedVersion: task.version,
      decision,
      user: NATIONAL_CASEWORKER,
      clock,
    })
    if (result.kind !== 'decided')
      throw new Error(`task ${task.id} was not decided: ${JSON.stringify(result)}`)
    made++
    if (decision.status === 'ON_HOLD') held.push({ id: task.id, version: result.task.version })
  }
  for (const task of held) {
    const result = await decideTask(db, {
      taskId: task.id,
      expectedVersion: task.version,
      decision: ACCEPT,
      user: NATIONAL_CASEWORKER,
      clock,
    })
    if (result.kind !== 'decided')
      throw new Error(`held task ${task.id} was not accepted: ${JSON.stringify(result)}`)
    made++
  }
  return made
}

export const REVIEWER = { id: 'cw-reviewer', regions: { all: true as const } }

/**
 * Records a contest of a decided task (by the caseworker who decided it),
 * and, with an outcome, has another caseworker decide it: upheld, or the
 * decision changed (accepted becomes rejected and the other way round).
 */
export async function contestTask(
  db: Kysely<Tables>,
  clock: Clock,
  taskId: number,
  outcome?: 'UPHELD' | 'CHANGED',
): Promise<number> {
  const [year, month, day] = clock.today().split('-')
  const recorded = await recordContest(db, {
    taskId,
    contest: {
      receivedOn: { day: String(Number(day)), month: String(Number(month)), year: year ?? '' },
      channel: 'LETTER',
      madeBy: 'REPRESENTATIVE',
      summary: 'The family circumstances have changed.',
      assignTo: '',
    },
    user: NATIONAL_CASEWORKER,
    clock,
  })
  if (recorded.kind !== 'recorded')
    throw new Error(`task ${taskId} was not contested: ${JSON.stringify(recorded)}`)
  if (outcome === undefined) return recorded.contestId
  await db
    .insertInto('users')
    .values({
      id: REVIEWER.id,
      name: 'Rev Iewer',
      roles: ['MANAGER'],
      all_regions: true,
      password_hash: null,
    })
    .onConflict((oc) => oc.doNothing())
    .execute()
  const task = await db
    .selectFrom('tasks')
    .select('version')
    .where('id', '=', taskId)
    .executeTakeFirstOrThrow()
  const decided = await decideContest(db, {
    contestId: recorded.contestId,
    outcome: {
      outcome,
      reasons: outcome === 'UPHELD' ? 'The decision stands.' : 'The circumstances were not known.',
      taskVersion: task.version,
      rejectionReasons: ['MEDICAL'],
      checksConfirmed: true,
    },
    user: REVIEWER,
    clock,
  })
  if (decided.kind !== 'decided')
    throw new Error(`contest of ${taskId} was not decided: ${JSON.stringify(decided)}`)
  return recorded.contestId
}

/** The IDs (as webhook-ids) of every event written since the feed began, in ID order. */
export async function eventIdsWritten(db: Kysely<Tables>): Promise<string[]> {
  const { rows } = await sql<{ id: number }>`select id from feed_events order by id`.execute(db)
  return rows.map((row) => `evt_${row.id}`)
}

/**
 * Sequences until every event written so far is in the feed. The horizon is
 * the whole server's oldest running transaction, so on a PostgreSQL server
 * shared with other work a pass may have to wait for someone else's.
 */
export async function sequenceAll(db: Kysely<Tables>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await sequenceEvents(db)
    const { rows } = await sql<{ waiting: number }>`
      select count(*)::int as waiting from feed_events
      where xid >= (select horizon from event_sequencer)`.execute(db)
    if (rows[0]?.waiting === 0) return
    if (Date.now() > deadline) throw new Error(`${rows[0]?.waiting} events still not sequenced`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Adds a subscriber (as a command would) posting to `receiver`, which is given its secret. */
export async function subscribe(
  db: Kysely<Tables>,
  receiver: WebhookReceiver,
  at: Date,
): Promise<Subscriber> {
  const added = await addSubscriber(db, { url: receiver.url, name: 'Case management' }, SERVICE, {
    by: { userId: null, through: 'command', account: 'tester' },
    at,
  })
  if (added.kind !== 'added') throw new Error(`the receiver was refused: ${JSON.stringify(added.problems)}`)
  receiver.trust(added.secret)
  return added.subscriber
}

/**
 * Waits until `receiver` has accepted as many events as were written, then
 * checks it got every one of them and nothing else (once each, after
 * de-duplicating by webhook-id), each signed, and each task's in order.
 */
export async function everyEventArrives(db: Kysely<Tables>, receiver: WebhookReceiver, timeoutMs = 90_000) {
  const written = await eventIdsWritten(db)
  await until(
    () => receiver.accepted().size >= written.length,
    `${written.length} events to arrive`,
    timeoutMs,
  )
  assert.deepEqual(receiver.unverified, [], "every request is signed with the subscriber's secret")
  assert.deepEqual(
    [...receiver.accepted().keys()].sort(),
    [...written].sort(),
    'each event, and nothing else',
  )
  assert.deepEqual(receiver.orderProblems(), [])
}
