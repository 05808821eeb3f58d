/**
 * Placing the recommended tasks ticked on a list on hold, with one note:
 * each task is its own version-guarded decision, and the summary names each
 * task left as it was and why. Nothing ticked, too many or a note that
 * cannot be kept changes nothing.
 */
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import { frozenClock } from '../../src/clock.ts'
import { assignTask } from '../../src/tasks/assignment.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { paths } from '../../src/web/paths.ts'
import { reviewPagesHarness, SEARCH, tableCheckboxesOf } from '../support/review-pages.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { addTestUser, csrfTokenIn, textOf } from '../support/web.ts'

const clock = frozenClock(new Date('2026-03-02T09:00:00Z'))
const LSE = { all: false, codes: ['LSE'] } as const

describe('placing ticked tasks on hold', () => {
  const app = reviewPagesHarness()
  const { signedIn } = app
  let ids: number[] = []

  beforeEach(async () => {
    await addTestUser(app.database, { id: 'lse.other', name: 'Ola Other', regions: ['LSE'] })
    ids = await insertReviewTasks(app.database.db, [
      { personId: 'H1', priority: 30, person: { given_names: 'Ann', family_name: 'Held' } },
      { personId: 'H2', priority: 20, person: { given_names: 'Ben', family_name: 'Decided' } },
      { personId: 'H3', priority: 10, person: { given_names: 'Cal', family_name: 'Assigned' } },
    ])
  })

  const statuses = () => app.database.db.selectFrom('tasks').select(['id', 'status']).orderBy('id').execute()

  it('holds each ticked task on its own version, with the note, and names those left as they were', async () => {
    const client = await signedIn('lse.worker')
    const list = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
    assert.match(list.body, /formaction="\/review-tasks\/LSE\/hold"/)
    const ticked = tableCheckboxesOf(list.body)
    // Meanwhile: Ben is accepted by someone else, and Cal is given to Ola.
    await decideTask(app.database.db, {
      taskId: ids[1]!,
      expectedVersion: 1,
      decision: { status: 'ACCEPTED', checksConfirmed: true },
      user: { id: 'lse.other', regions: LSE },
      clock,
    })
    await assignTask(app.database.db, {
      taskId: ids[2]!,
      expectedVersion: 1,
      change: { kind: 'assign', assignee: 'lse.other' },
      user: { id: 'lse.other', regions: LSE, mayAssignOthers: false },
      clock,
    })
    const response = await client.post(paths.reviewHold('LSE'), {
      _csrf: csrfTokenIn(list.body),
      task: ticked,
      note: 'Waiting for the reporting centre to confirm the address',
      returnTo: paths.reviewList('LSE', 'recommended', SEARCH),
    })
    assert.equal(response.statusCode, 409)
    const text = textOf(response.body)
    assert.match(text, /1 task placed on hold\./)
    assert.match(text, /2 tasks not changed/)
    assert.match(
      text,
      /Ben Decided ?: It was changed by someone else after the list was shown: it is now accepted/,
    )
    assert.match(
      text,
      /Cal Assigned ?: It was changed by someone else after the list was shown: it is now recommended/,
    )
    assert.deepEqual(
      (await statuses()).map((row) => row.status),
      ['ON_HOLD', 'ACCEPTED', 'RECOMMENDED'],
    )
    const event = await app.database.db
      .selectFrom('task_events')
      .select(['status', 'note', 'user_id'])
      .where('task_id', '=', ids[0]!)
      .executeTakeFirstOrThrow()
    assert.deepEqual(event, {
      status: 'ON_HOLD',
      note: 'Waiting for the reporting centre to confirm the address',
      user_id: 'lse.worker',
    })
  })

  it('says so when every ticked task is held', async () => {
    const client = await signedIn('lse.worker')
    const list = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
    const response = await client.post(paths.reviewHold('LSE'), {
      _csrf: csrfTokenIn(list.body),
      task: tableCheckboxesOf(list.body),
    })
    assert.equal(response.statusCode, 200)
    assert.match(textOf(response.body), /3 tasks placed on hold\./)
    assert.deepEqual(
      (await statuses()).map((row) => row.status),
      ['ON_HOLD', 'ON_HOLD', 'ON_HOLD'],
    )
  })

  it('changes nothing for nothing ticked, too many, a note too long, or a task of another region', async () => {
    const client = await signedIn('lse.worker')
    const list = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
    const csrf = csrfTokenIn(list.body)
    const ticked = tableCheckboxesOf(list.body)
    const cases: [Record<string, string | string[]>, RegExp][] = [
      [{}, /Select the tasks to place on hold/],
      [{ task: Array.from({ length: 101 }, (_, n) => `${n + 1}:1`) }, /Select 100 tasks or fewer at once/],
      [{ task: ticked, note: 'x'.repeat(1001) }, /Note must be 1,000 characters or fewer/],
    ]
    for (const [form, message] of cases) {
      const response = await client.post(paths.reviewHold('LSE'), { _csrf: csrf, ...form })
      assert.equal(response.statusCode, 400)
      assert.match(textOf(response.body), message)
    }
    assert.equal(
      (await client.post(paths.reviewHold('LSE'), { _csrf: csrf, task: 'nonsense' })).statusCode,
      400,
    )
    assert.equal((await client.post(paths.reviewHold('MEE'), { _csrf: csrf, task: ticked })).statusCode, 404)
    assert.deepEqual(
      (await statuses()).map((row) => row.status),
      ['RECOMMENDED', 'RECOMMENDED', 'RECOMMENDED'],
    )
  })
})
