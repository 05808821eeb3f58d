/**
 * Representations and contests over HTTP: recording one on a decided task,
 * its review by someone other than the original decider (who is refused,
 * by the page and by a crafted post), the upheld and changed outcomes (the
 * change through the version-guarded decision path, stale refused with
 * nothing written), bad input, and the information page for the person.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { CONFIRMED, caseDecisionsHarness, MINUTE } from '../support/case-decisions.ts'
import { rowValues, workbookOf } from '../support/mi.ts'
import { csrfTokenIn, errorSummaryOf, textOf, titleOf, type WebClient } from '../support/web.ts'

const RECEIVED = { 'receivedOn-day': '2', 'receivedOn-month': '3', 'receivedOn-year': '2026' }
const CONTEST = {
  ...RECEIVED,
  channel: 'LETTER',
  madeBy: 'REPRESENTATIVE',
  summary: 'They now live with their children.',
}

describe('representations and contests', () => {
  const fixture = caseDecisionsHarness()
  const { signedIn, submit, task, events } = fixture
  const db = () => fixture.database.db

  /** cw1 accepts the LSE task (version 2), so there is a decision to contest. */
  async function acceptedByCw1() {
    assert.equal((await submit(await signedIn('cw1'), 'accept', CONFIRMED)).statusCode, 303)
    fixture.clock.advance(MINUTE)
  }

  async function record(client: WebClient, fields: Record<string, string>, taskId = fixture.taskId) {
    const form = await client.get(paths.taskRepresentations(taskId))
    return client.post(paths.taskRepresentations(taskId), { _csrf: csrfTokenIn(form.body), ...fields })
  }

  async function contestId(): Promise<number> {
    const row = await db().selectFrom('contests').select('id').executeTakeFirstOrThrow()
    return row.id
  }

  async function postOutcome(client: WebClient, id: number, fields: Record<string, string | string[]>) {
    const page = await client.get(paths.contest(id))
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '2'
    return client.post(paths.contest(id), { _csrf: csrfTokenIn(page.body), version, ...fields })
  }

  const contests = () => db().selectFrom('contests').selectAll().execute()
  const auditKinds = async () =>
    (
      await db()
        .selectFrom('audit_events')
        .select('kind')
        .where('kind', 'like', 'contest-%')
        .orderBy('id')
        .execute()
    ).map((row) => row.kind)

  it('records a contest on a decided task, assigned to someone else, and shows it on the History', async () => {
    await acceptedByCw1()
    const cw2 = await signedIn('cw2')
    const form = await cw2.get(paths.taskRepresentations(fixture.taskId))
    // The decider is not offered as a reviewer.
    assert.doesNotMatch(form.body, /<option value="cw1"/)
    assert.match(form.body, /<option value="mgr"/)
    const recorded = await record(cw2, { ...CONTEST, assignTo: 'mgr' })
    assert.equal(recorded.statusCode, 303)
    const [row] = await contests()
    assert.ok(row)
    assert.equal(recorded.headers.location, paths.contest(row.id))
    assert.equal(row.original_decider, 'cw1')
    assert.equal(row.assigned_to, 'mgr')
    assert.equal(row.contested_status, 'ACCEPTED')
    assert.equal(row.contested_version, 2)
    assert.equal(row.received_on, '2026-03-02')
    assert.deepEqual(await auditKinds(), ['contest-recorded'])
    const history = textOf((await cw2.get(paths.taskSection(fixture.taskId, 'history'))).body)
    assert.match(history, /Representations recorded by Sam Other/)
    assert.match(history, /Summary: They now live with their children\./)
    assert.match(history, /Assigned to: Mandy Manager/)
    const list = textOf((await cw2.get(paths.contests())).body)
    assert.match(list, /Open \(1\)/)
    assert.match(list, /Grace Okafor/)
    assert.match(list, /Accepted by Casey Worker/)
    const page = textOf((await cw2.get(paths.contest(row.id))).body)
    assert.match(page, /Decision contested Accepted by Casey Worker/)
  })

  it('refuses a contest on another region’s task as a page that does not exist, recording nothing', async () => {
    const cw1 = await signedIn('cw1')
    const page = await cw1.get(paths.taskRepresentations(fixture.otherRegionTask))
    assert.equal(page.statusCode, 404)
    const form = await cw1.get(paths.taskRepresentations(fixture.taskId))
    const posted = await cw1.post(paths.taskRepresentations(fixture.otherRegionTask), {
      _csrf: csrfTokenIn(form.body),
      ...CONTEST,
    })
    assert.equal(posted.statusCode, 404)
    assert.deepEqual(await contests(), [])
  })

  it('says there is nothing to contest before a decision, and refuses a post', async () => {
    const cw1 = await signedIn('cw1')
    const page = await cw1.get(paths.taskRepresentations(fixture.taskId))
    assert.match(textOf(page.body), /There is no decision on this task to contest yet/)
    const posted = await cw1.post(paths.taskRepresentations(fixture.taskId), {
      _csrf: csrfTokenIn(page.body),
      ...CONTEST,
    })
    assert.equal(posted.statusCode, 400)
    assert.deepEqual(await contests(), [])
  })

  it('refuses a future date, 31 February, a 10,000-character summary and the decider as reviewer, each by field', async () => {
    await acceptedByCw1()
    const cw2 = await signedIn('cw2')
    const future = await record(cw2, { ...CONTEST, 'receivedOn-day': '3' })
    assert.equal(future.statusCode, 400)
    assert.deepEqual(errorSummaryOf(future.body), [
      ['Date received must be today or in the past', '#receivedOn-day'],
    ])
    assert.match(
      titleOf(future.body),
      /^Error: Record representations or a contest – /,
      'one "Error: ", before the title',
    )
    const impossible = await record(cw2, { ...CONTEST, 'receivedOn-day': '31', 'receivedOn-month': '2' })
    assert.deepEqual(errorSummaryOf(impossible.body), [
      ['Date received must be a real date, like 27 3 2026', '#receivedOn-day'],
    ])
    const before = await record(cw2, { ...CONTEST, 'receivedOn-day': '1' })
    assert.deepEqual(errorSummaryOf(before.body), [
      ['Date received must be on or after the day the task was recommended', '#receivedOn-day'],
    ])
    const long = await record(cw2, { ...CONTEST, summary: 'x'.repeat(10_000) })
    assert.deepEqual(errorSummaryOf(long.body), [['Summary must be 2000 characters or fewer', '#summary']])
    const empty = await record(cw2, { ...RECEIVED, summary: '  ' })
    assert.deepEqual(
      errorSummaryOf(empty.body).map(([text]) => text),
      [
        'Select how the representations were received',
        'Select who made the representations',
        'Enter a summary of what was said',
      ],
    )
    const decider = await record(cw2, { ...CONTEST, assignTo: 'cw1' })
    assert.deepEqual(errorSummaryOf(decider.body), [
      ['Select someone in this region who did not take the decision, or leave it in the queue', '#assignTo'],
    ])
    assert.deepEqual(await contests(), [])
    assert.deepEqual(await auditKinds(), [])
  })

  it('keeps markup in a summary as text, and shows it escaped', async () => {
    await acceptedByCw1()
    const cw2 = await signedIn('cw2')
    const markup = '<script>alert(1)</script><b>bold</b>'
    assert.equal((await record(cw2, { ...CONTEST, summary: markup })).statusCode, 303)
    assert.equal((await contests())[0]?.summary, markup)
    const page = await cw2.get(paths.contest(await contestId()))
    assert.doesNotMatch(page.body, /<script>alert\(1\)<\/script>/)
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;b&gt;bold&lt;\/b&gt;/)
  })

  it('does not let the original decider review, on the page or by a crafted post', async () => {
    await acceptedByCw1()
    assert.equal((await record(await signedIn('cw2'), CONTEST)).statusCode, 303)
    const cw1 = await signedIn('cw1')
    const id = await contestId()
    const page = await cw1.get(paths.contest(id))
    assert.equal(page.statusCode, 200)
    assert.match(textOf(page.body), /You took the decision being contested, so someone else must review it\./)
    assert.doesNotMatch(page.body, /name="outcome"/)
    const crafted = await cw1.post(paths.contest(id), {
      _csrf: csrfTokenIn(page.body),
      version: '2',
      outcome: 'CHANGED',
      reasons: 'I changed my mind',
      ...CONFIRMED,
    })
    assert.equal(crafted.statusCode, 403)
    assert.match(titleOf(crafted.body), /^Error: Contest: /)
    assert.match(titleOf(page.body), /^Contest: /, 'only explaining the page, not answering a post')
    assert.match(textOf(crafted.body), /You took the decision being contested/)
    assert.equal((await contests())[0]?.outcome, null)
    assert.equal((await task()).status, 'ACCEPTED')
    assert.equal((await events()).length, 2)
  })

  it('refuses anyone but the assignee', async () => {
    await acceptedByCw1()
    assert.equal((await record(await signedIn('cw2'), { ...CONTEST, assignTo: 'mgr' })).statusCode, 303)
    const refused = await postOutcome(await signedIn('cw2'), await contestId(), {
      outcome: 'UPHELD',
      reasons: 'Fine',
    })
    assert.equal(refused.statusCode, 403)
    assert.match(textOf(refused.body), /This contest is assigned to someone else/)
    assert.equal((await contests())[0]?.outcome, null)
  })

  it('records "decision upheld" with its reasons, leaving the task as it was', async () => {
    await acceptedByCw1()
    const cw2 = await signedIn('cw2')
    assert.equal((await record(cw2, CONTEST)).statusCode, 303)
    const id = await contestId()
    const missing = await postOutcome(cw2, id, {})
    assert.equal(missing.statusCode, 400)
    assert.deepEqual(
      errorSummaryOf(missing.body).map(([text]) => text),
      ['Select whether the decision is upheld or changed', 'Enter the reasons for the outcome'],
    )
    const upheld = await postOutcome(cw2, id, {
      outcome: 'UPHELD',
      reasons: 'The children do not live with them.',
    })
    assert.equal(upheld.statusCode, 303)
    const [row] = await contests()
    assert.equal(row?.outcome, 'UPHELD')
    assert.equal(row?.decided_by, 'cw2')
    assert.equal(row?.changed_task_version, null)
    assert.equal((await task()).version, 2)
    const again = await postOutcome(cw2, id, { outcome: 'CHANGED', reasons: 'Second thoughts' })
    assert.equal(again.statusCode, 409)
    assert.deepEqual(await auditKinds(), ['contest-recorded', 'contest-decided'])
    const history = textOf((await cw2.get(paths.taskSection(fixture.taskId, 'history'))).body)
    assert.match(history, /Contest decided: decision upheld by Sam Other/)
  })

  it('records "decision changed" and changes the task through the decision path, in one go', async () => {
    await acceptedByCw1()
    const mgr = await signedIn('mgr')
    assert.equal((await record(mgr, CONTEST)).statusCode, 303)
    const id = await contestId()
    // A rejection needs its reasons and the checks, as any rejection does: nothing is written without them.
    const incomplete = await postOutcome(mgr, id, { outcome: 'CHANGED', reasons: 'Family ties' })
    assert.equal(incomplete.statusCode, 400)
    assert.equal((await task()).status, 'ACCEPTED')
    assert.equal((await contests())[0]?.outcome, null)
    const changed = await postOutcome(mgr, id, {
      outcome: 'CHANGED',
      reasons: 'Family ties',
      rejectionReasons: 'FAMILY_CHILD',
      ...CONFIRMED,
    })
    assert.equal(changed.statusCode, 303, textOf(changed.body))
    const stored = await task()
    assert.equal(stored.status, 'REJECTED')
    assert.equal(stored.version, 3)
    assert.equal(stored.status_changed_by, 'mgr')
    const last = (await events()).at(-1)
    assert.deepEqual(
      [last?.status, last?.details, last?.reasons],
      ['REJECTED', 'Family ties', ['FAMILY_CHILD']],
    )
    assert.equal((await contests())[0]?.changed_task_version, 3)
    const history = textOf((await mgr.get(paths.taskSection(fixture.taskId, 'history'))).body)
    assert.match(history, /Contest decided: decision changed by Mandy Manager/)
  })

  it('refuses a change to a task that moved on meanwhile, writing nothing', async () => {
    await acceptedByCw1()
    const mgr = await signedIn('mgr')
    assert.equal((await record(mgr, CONTEST)).statusCode, 303)
    const id = await contestId()
    const page = await mgr.get(paths.contest(id))
    // Someone else decides the task again (cw2 places it on hold) after the reviewer looked.
    assert.equal((await submit(await signedIn('cw2'), 'hold', {})).statusCode, 303)
    const stale = await mgr.post(paths.contest(id), {
      _csrf: csrfTokenIn(page.body),
      version: '2',
      outcome: 'CHANGED',
      reasons: 'Family ties',
      rejectionReasons: 'FAMILY_CHILD',
      ...CONFIRMED,
    })
    assert.equal(stale.statusCode, 409)
    assert.match(
      textOf(stale.body),
      /placed on hold by Sam Other at .*Check the case again before you decide\./,
    )
    assert.equal((await task()).status, 'ON_HOLD')
    assert.equal((await events()).length, 3)
    assert.equal((await contests())[0]?.outcome, null)
    assert.deepEqual(await auditKinds(), ['contest-recorded'])
  })

  it('shows the information page for the person, in their region only, and audits it', async () => {
    await acceptedByCw1()
    const cw2 = await signedIn('cw2')
    const page = await cw2.get(paths.taskInformation(fixture.taskId))
    assert.equal(page.statusCode, 200)
    const text = textOf(page.body)
    assert.match(text, /Information about this recommendation/)
    assert.match(text, /Grace Okafor/)
    assert.match(
      text,
      /A caseworker reviewed this recommendation and agreed that the recommendation should go ahead on 2 March 2026/,
    )
    assert.doesNotMatch(text, /Casey Worker/)
    assert.match(text, /If you disagree/)
    assert.match(text, /reporting\.review@example\.gov\.uk/)
    assert.match(page.body, /media="print"/)
    const audited = await db()
      .selectFrom('audit_events')
      .select(['user_id', 'task_id', 'details'])
      .where('kind', '=', 'case-viewed')
      .where('user_id', '=', 'cw2')
      .execute()
    assert.ok(audited.some((row) => (row.details as { section?: string }).section === 'information'))
    assert.equal((await cw2.get(paths.taskInformation(fixture.otherRegionTask))).statusCode, 404)
  })

  it('counts contests, outcomes and days to outcome on the dashboard and in the MI workbook', async () => {
    await acceptedByCw1()
    const mgr = await signedIn('mgr')
    assert.equal((await record(mgr, CONTEST)).statusCode, 303)
    assert.equal(
      (await postOutcome(await signedIn('cw2'), await contestId(), { outcome: 'UPHELD', reasons: 'Fine' }))
        .statusCode,
      303,
    )
    const day = {
      'from-day': '2',
      'from-month': '3',
      'from-year': '2026',
      'to-day': '2',
      'to-month': '3',
      'to-year': '2026',
    }
    const dashboard = textOf((await mgr.get(paths.miDashboard(day))).body)
    assert.match(
      dashboard,
      /Contests, all task types Contests Recorded Open Upheld Changed Median time to outcome Longest All 1 0 100\.0% \(1 of 1\) 0\.0% \(0 of 1\) 0 days 0 days/,
    )
    assert.match(dashboard, /Failed-to-report follow-up stand-in-v1 1 0 100\.0% \(1 of 1\)/)
    const file = await mgr.get(paths.miReportFile('xlsx', { from: '2026-03-02', to: '2026-03-02' }))
    assert.equal(file.statusCode, 200)
    const workbook = await workbookOf(file.rawPayload)
    assert.deepEqual(
      workbook.worksheets.map((sheet) => sheet.name),
      ['MI report', 'Review evidence', 'Contests', 'Assignments'],
    )
    const sheet = workbook.getWorksheet('Contests') ?? assert.fail('no Contests worksheet')
    const values = (row: number) => rowValues(sheet, row)
    assert.deepEqual(values(1).slice(0, 8), [
      'Contest ID',
      'Task ID',
      'Person ID',
      'Intervention type',
      'ROM region',
      'Rule version',
      'Decision contested',
      'Decided by',
    ])
    const row = values(2)
    assert.deepEqual(row.slice(1, 8), [
      fixture.taskId,
      'P1',
      'Failed-to-report follow-up',
      'London and South East',
      'stand-in-v1',
      'Accepted',
      'cw1',
    ])
    assert.deepEqual(
      [row[9], row[10], row[14], row[17]],
      [
        'Legal representative'.replace('Legal representative', 'Letter'),
        'Their representative',
        'Decision upheld',
        0,
      ],
    )
  })
})
