import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { runStandInRules, seedLseAndMeeTasks } from '../support/case-tasks.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { changePerson, type ManualClock, manualClock } from '../support/tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
  titleOf,
  type WebClient,
} from '../support/web.ts'

const MINUTE = 60_000
const CONFIRMED = { checksConfirmed: 'yes' }

describe('deciding a task over HTTP', () => {
  let database: TestDatabase
  let web: TestApp
  let clock: ManualClock
  let taskId: number
  let otherRegionTask: number

  before(async () => {
    database = await openTestDatabase()
    clock = manualClock()
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

  async function task() {
    return database.db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow()
  }

  async function events() {
    return database.db
      .selectFrom('task_events')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('id')
      .execute()
  }

  it('accepts: a reminder, an unticked confirmation, Submit, then "Case accepted" with both links', async () => {
    const client = await signedIn('cw1')
    const back = '/review-tasks/LSE/recommended?page=2'
    const form = await client.get(paths.taskDecision(taskId, 'accept', back))
    assert.equal(
      titleOf(form.body),
      'Accept task – Grace Okafor – Identify and prioritise immigration cases – GOV.UK',
    )
    assert.match(textOf(form.body), /You must record any updates to this case in CID\./)
    assert.match(textOf(form.body), /I have checked barriers, vulnerability and family circumstances/)
    assert.doesNotMatch(form.body, /checked>/, 'nothing is pre-ticked')
    assert.match(form.body, /<input type="hidden" name="version" value="1">/)

    const response = await submit(client, 'accept', CONFIRMED, back)
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, paths.taskDecided(taskId, 'accept', back))
    const done = await client.get(response.headers.location as string)
    assert.equal(done.statusCode, 200)
    assert.equal(titleOf(done.body), 'Case accepted – Identify and prioritise immigration cases – GOV.UK')
    assert.match(done.body, /govuk-panel__title[^>]*>\s*Case accepted/)
    assert.ok(done.body.includes(`href="${back}">Back to recommended cases`))
    assert.ok(done.body.includes(`href="${paths.reviewTab('accepted')}">View accepted cases`))

    const stored = await task()
    assert.equal(stored.status, 'ACCEPTED')
    assert.equal(stored.version, 2)
    assert.equal(stored.status_changed_by, 'cw1')
    const last = (await events()).at(-1)
    assert.equal(last?.status, 'ACCEPTED')
    assert.equal(last?.checks_confirmed, true)
  })

  it('refuses to accept without the confirmation, and writes nothing', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'accept', {})
    assert.equal(response.statusCode, 400)
    assert.match(titleOf(response.body), /^Error: Accept task/)
    assert.match(
      response.body,
      /href="#checksConfirmed">Confirm that you have checked barriers, vulnerability and family circumstances/,
    )
    assert.equal((await task()).status, 'RECOMMENDED')
    assert.equal((await events()).length, 1)
  })

  it('rejects with reasons and details, then "Rejected" with links back and to the rejected cases', async () => {
    const client = await signedIn('cw1')
    const form = await client.get(paths.taskDecision(taskId, 'reject'))
    const text = textOf(form.body)
    assert.match(text, /Why do you want to reject this\? Select all that apply\./)
    assert.match(text, /Legal or suspensive barrier outstanding/)
    assert.match(text, /Other \(explanation required\)/)
    assert.match(text, /Details Explain your reason\(s\)\./)
    assert.match(form.body, /maxlength|data-maxlength="1000"/)
    assert.match(text, /You must record any updates to this case in CID\./)
    assert.doesNotMatch(form.body, /checked>/, 'nothing is pre-ticked')

    const response = await submit(client, 'reject', {
      reasons: ['MEDICAL', 'FAMILY_CHILD'],
      details: 'In hospital until April.',
      ...CONFIRMED,
    })
    assert.equal(response.statusCode, 303)
    const done = await client.get(response.headers.location as string)
    assert.match(done.body, /govuk-panel__title[^>]*>\s*Rejected/)
    assert.ok(done.body.includes(`href="${paths.reviewTasks()}">Back to recommended cases`))
    assert.ok(done.body.includes(`href="${paths.reviewTab('rejected')}">View rejected cases`))
    const last = (await events()).at(-1)
    assert.deepEqual(last?.reasons, ['MEDICAL', 'FAMILY_CHILD'])
    assert.equal(last?.details, 'In hospital until April.')
    assert.equal(last?.checks_confirmed, true)
  })

  it('lists every missing answer of a rejection, and writes nothing', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'reject', { details: '   ' })
    assert.equal(response.statusCode, 400)
    const text = textOf(response.body)
    assert.match(text, /There is a problem/)
    assert.match(response.body, /href="#reasons">Select why you want to reject this task/)
    assert.match(response.body, /href="#details">Explain your reasons for rejecting this task/)
    assert.match(response.body, /href="#checksConfirmed">Confirm that you have checked/)
    assert.equal((await events()).length, 1)
  })

  it('keeps the reasons ticked and the details typed when something else is missing', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'reject', {
      reasons: ['OTHER', 'MEDICAL'],
      details: 'Seen at <clinic>',
    })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /value="OTHER" checked/)
    assert.match(response.body, /value="MEDICAL" checked/)
    assert.doesNotMatch(response.body, /value="DUPLICATE" checked/)
    assert.match(textOf(response.body), /You have this case open/)
    assert.match(response.body, /Seen at &lt;clinic&gt;<\/textarea>/)
    assert.equal((await events()).length, 1)
  })

  it('refuses "Other" without details', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'reject', { reasons: 'OTHER', ...CONFIRMED })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /href="#details">Explain your reasons/)
    assert.equal((await task()).status, 'RECOMMENDED')
  })

  it('refuses 10,000 characters of details, keeping them, and writes nothing', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'reject', {
      reasons: 'MEDICAL',
      details: 'x'.repeat(10_000),
      ...CONFIRMED,
    })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /href="#details">Details must be 1,000 characters or fewer/)
    assert.ok(response.body.includes('x'.repeat(10_000)))
    assert.equal((await events()).length, 1)
  })

  it('refuses reasons that are not in the reference data', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'reject', {
      reasons: ['MEDICAL', 'MADE_UP'],
      details: 'Forged',
      ...CONFIRMED,
    })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /href="#reasons">Select reasons from the list/)
    assert.equal((await events()).length, 1)
  })

  it('places on hold with an optional note, then "Task placed on hold" with links back and to the tasks on hold', async () => {
    const client = await signedIn('cw1')
    const form = await client.get(paths.taskDecision(taskId, 'hold'))
    assert.match(textOf(form.body), /Note \(optional\)/)
    const response = await submit(client, 'hold', { note: '' })
    assert.equal(response.statusCode, 303)
    const done = await client.get(response.headers.location as string)
    assert.match(done.body, /govuk-panel__title[^>]*>\s*Task placed on hold/)
    assert.ok(done.body.includes(`href="${paths.reviewTab('on-hold')}">View tasks on hold`))
    const last = (await events()).at(-1)
    assert.equal(last?.status, 'ON_HOLD')
    assert.equal(last?.note, null)
  })

  it('refuses a note that is too long', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'hold', { note: 'n'.repeat(1001) })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /href="#note">Note must be 1,000 characters or fewer/)
    assert.equal((await task()).status, 'RECOMMENDED')
  })

  it('changes a decision from hold to accept to reject, and the history shows every step', async () => {
    const client = await signedIn('cw1')
    assert.equal((await submit(client, 'hold', { note: 'Ask the GP' })).statusCode, 303)
    clock.advance(MINUTE)
    assert.equal((await submit(client, 'accept', CONFIRMED)).statusCode, 303)
    clock.advance(MINUTE)
    const manager = await signedIn('mgr')
    assert.equal(
      (await submit(manager, 'reject', { reasons: 'DUPLICATE', details: 'Already with RP', ...CONFIRMED }))
        .statusCode,
      303,
    )
    assert.deepEqual(
      (await events()).map((e) => [e.task_version, e.status, e.user_id]),
      [
        [1, 'RECOMMENDED', null],
        [2, 'ON_HOLD', 'cw1'],
        [3, 'ACCEPTED', 'cw1'],
        [4, 'REJECTED', 'mgr'],
      ],
    )
    const history = textOf((await client.get(paths.taskSection(taskId, 'history'))).body)
    const expected = [
      'Rejected by Mandy Manager 9:03am on 2 March 2026 Reasons: Duplicate or already in progress Details: Already with RP',
      'Accepted by Casey Worker 9:02am on 2 March 2026 Confirmed that barriers, vulnerability and family circumstances were checked',
      'Placed on hold by Casey Worker 9:01am on 2 March 2026 Note: Ask the GP',
      'Recommended by the rules 9:00am on 2 March 2026',
    ]
    let from = 0
    for (const step of expected) {
      const at = history.indexOf(step, from)
      assert.ok(at >= 0, `history shows "${step}" in order:\n${history}`)
      from = at + step.length
    }
  })

  it('refuses a stale decision with who changed the task and when, and overwrites nothing', async () => {
    const first = await signedIn('cw1')
    const second = await signedIn('cw2')
    const firstForm = await first.get(paths.taskDecision(taskId, 'accept'))
    const secondForm = await second.get(paths.taskDecision(taskId, 'reject'))
    const rejected = await second.post(paths.taskDecision(taskId, 'reject'), {
      _csrf: csrfTokenIn(secondForm.body),
      version: '1',
      reasons: 'MEDICAL',
      details: 'In hospital',
      ...CONFIRMED,
    })
    assert.equal(rejected.statusCode, 303)
    clock.advance(MINUTE)
    const refused = await first.post(paths.taskDecision(taskId, 'accept'), {
      _csrf: csrfTokenIn(firstForm.body),
      version: '1',
      ...CONFIRMED,
    })
    assert.equal(refused.statusCode, 409)
    assert.ok(
      textOf(refused.body).includes(
        'This task was rejected by Sam Other at 9:01am on 2 March 2026. Check the case again before you decide.',
      ),
      textOf(refused.body),
    )
    assert.match(titleOf(refused.body), /^Error: /)
    // What the caseworker ticked is still there; the status shown is the task's now.
    assert.match(refused.body, /value="yes" checked/)
    assert.match(textOf(refused.body), /Status Rejected/)
    const stored = await task()
    assert.equal(stored.status, 'REJECTED')
    assert.equal(stored.status_changed_by, 'cw2')
    assert.equal((await events()).length, 2)
  })

  it('says so when the task is already in the status asked for', async () => {
    const client = await signedIn('cw1')
    const form = await client.get(paths.taskDecision(taskId, 'accept'))
    assert.equal(
      (
        await client.post(paths.taskDecision(taskId, 'accept'), {
          _csrf: csrfTokenIn(form.body),
          version: '1',
          ...CONFIRMED,
        })
      ).statusCode,
      303,
    )
    const again = await client.post(paths.taskDecision(taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      version: '2',
      ...CONFIRMED,
    })
    assert.equal(again.statusCode, 409)
    assert.match(
      textOf(again.body),
      /This task is already accepted\. Check the case again before you decide\./,
    )
    assert.equal((await events()).length, 2)
    // The form is not offered for what the task already is.
    const reopened = await client.get(paths.taskDecision(taskId, 'accept'))
    assert.equal(reopened.statusCode, 303)
    assert.equal(reopened.headers.location, paths.task(taskId))
  })

  it('refuses a decision on a withdrawn task with a clear message', async () => {
    const client = await signedIn('cw1')
    const form = await client.get(paths.taskDecision(taskId, 'accept'))
    await changePerson(database.db, 'P1', { missed_events_90_days: 0 }, clock.now())
    await runStandInRules(database.db, clock)
    clock.advance(MINUTE)
    const refused = await client.post(paths.taskDecision(taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      version: '1',
      ...CONFIRMED,
    })
    assert.equal(refused.statusCode, 409)
    assert.match(textOf(refused.body), /This task was withdrawn by the rules at 9:01am on 2 March 2026\./)
    assert.equal((await task()).status, 'WITHDRAWN')
    const withdrawnVersion = (await task()).version
    const again = await client.post(paths.taskDecision(taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      version: String(withdrawnVersion),
      ...CONFIRMED,
    })
    assert.equal(again.statusCode, 409)
    assert.equal((await task()).status, 'WITHDRAWN')
  })

  it('refuses a missing or forged CSRF token, and writes nothing', async () => {
    const client = await signedIn('cw1')
    await client.get(paths.taskDecision(taskId, 'accept'))
    const missing = await client.post(paths.taskDecision(taskId, 'accept'), { version: '1', ...CONFIRMED })
    assert.equal(missing.statusCode, 403)
    const forged = await client.post(paths.taskDecision(taskId, 'accept'), {
      _csrf: 'forged-token',
      version: '1',
      ...CONFIRMED,
    })
    assert.equal(forged.statusCode, 403)
    assert.equal((await events()).length, 1)
  })

  it('answers 400 to a tampered or missing version, and writes nothing', async () => {
    const client = await signedIn('cw1')
    for (const version of ['abc', '', '-1', '1.5', '99999999999']) {
      const form = await client.get(paths.taskDecision(taskId, 'accept'))
      const response = await client.post(paths.taskDecision(taskId, 'accept'), {
        _csrf: csrfTokenIn(form.body),
        version,
        ...CONFIRMED,
      })
      assert.equal(response.statusCode, 400, `version "${version}"`)
    }
    const form = await client.get(paths.taskDecision(taskId, 'accept'))
    const none = await client.post(paths.taskDecision(taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      ...CONFIRMED,
    })
    assert.equal(none.statusCode, 400)
    // A version from another time is not tampering but staleness: refused the same way as any stale decision.
    const old = await client.post(paths.taskDecision(taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      version: '7',
      ...CONFIRMED,
    })
    assert.equal(old.statusCode, 409)
    assert.equal((await events()).length, 1)
  })

  it('answers 404 to a decision on a task in another region or no task, and writes nothing', async () => {
    const client = await signedIn('cw1')
    const form = await client.get(paths.taskDecision(taskId, 'accept'))
    for (const id of [otherRegionTask, 987_654]) {
      const response = await client.post(paths.taskDecision(id, 'accept'), {
        _csrf: csrfTokenIn(form.body),
        version: '1',
        ...CONFIRMED,
      })
      assert.equal(response.statusCode, 404, `task ${id}`)
    }
    const other = await database.db
      .selectFrom('tasks')
      .select(['status', 'version'])
      .where('id', '=', otherRegionTask)
      .executeTakeFirstOrThrow()
    assert.deepEqual(other, { status: 'RECOMMENDED', version: 1 })
  })

  it('shows the case, not a confirmation, when the task is not in the confirmed status', async () => {
    const client = await signedIn('cw1')
    const response = await client.get(paths.taskDecided(taskId, 'accept'))
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, paths.task(taskId))
  })
})
