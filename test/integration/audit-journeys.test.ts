/**
 * Every journey leaves its audit event: signing in (and failing to), signing
 * out, the rule run that made the tasks, a page of review results, a case
 * section seen, a decision, MI and data-quality downloads. And when the audit
 * cannot be written (a trigger refuses every insert), the action fails with
 * the problem page and shows nothing of the person.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sql } from 'kysely'
import { MAX_ATTEMPTED_ID_LENGTH } from '../../src/audit/events.ts'
import { paths } from '../../src/web/paths.ts'
import { CONFIRMED, caseDecisionsHarness } from '../support/case-decisions.ts'
import { csrfTokenIn, TEST_PASSWORD, WebClient } from '../support/web.ts'

describe('audit events written by each journey', () => {
  const harness = caseDecisionsHarness()

  const events = (kind: string) =>
    harness.database.db
      .selectFrom('audit_events')
      .select(['user_id', 'person_id', 'task_id', 'subject_user_id', 'details'])
      .where('kind', '=', kind)
      .orderBy('id')
      .execute()

  it('records sign-in, failed sign-in (the ID cut short, never the password) and sign-out', async () => {
    await harness.signedIn('cw2')
    const web = new WebClient(harness.app)
    assert.equal((await web.signIn('cw1', 'not-the-password')).statusCode, 400)
    const long = `<b>${'x'.repeat(10_000)}`
    assert.equal((await web.signIn(long, 'a-secret-typed')).statusCode, 400)
    assert.equal((await web.signIn('cw1')).statusCode, 303)
    const home = await web.get(paths.home())
    assert.equal((await web.post(paths.signOut(), { _csrf: csrfTokenIn(home.body) })).statusCode, 303)

    const failed = await events('sign-in-failed')
    assert.deepEqual(
      failed.map((row) => [row.user_id, (row.details as { reason: string }).reason]),
      [
        ['cw1', 'incorrect'],
        [null, 'incorrect'],
      ],
    )
    assert.equal(
      (failed[1]?.details as { attemptedId: string } | undefined)?.attemptedId,
      long.slice(0, MAX_ATTEMPTED_ID_LENGTH),
    )
    const everything = JSON.stringify(
      await harness.database.db.selectFrom('audit_events').selectAll().execute(),
    )
    assert.doesNotMatch(everything, /not-the-password|a-secret-typed/)
    assert.ok(!everything.includes(TEST_PASSWORD))
    assert.deepEqual(
      (await events('sign-in')).map((row) => [row.user_id, row.details]),
      [
        ['cw2', { method: 'password' }],
        ['cw1', { method: 'password' }],
      ],
    )
    assert.deepEqual(
      (await events('sign-out')).map((row) => row.user_id),
      ['cw1'],
    )
  })

  it('records the rule run that made the tasks, and the first rule set', async () => {
    const runs = await events('rule-run')
    assert.equal(runs.length, 1)
    assert.equal(runs[0]?.user_id, null)
    assert.equal((runs[0]?.details as { status: string } | undefined)?.status, 'COMPLETED')
    const changes = await events('rule-set-changed')
    assert.equal(changes.length, 1)
    assert.equal((changes[0]?.details as { from: unknown } | undefined)?.from, null)
  })

  it('records the case section seen, the decision in its transaction, and the page of results after', async () => {
    const client = await harness.signedIn('cw1')
    assert.equal((await client.get(paths.taskSection(harness.taskId, 'barriers'))).statusCode, 200)
    assert.equal((await harness.submit(client, 'accept', CONFIRMED)).statusCode, 303)
    assert.equal((await client.get(paths.reviewList('LSE', 'accepted'))).statusCode, 200)

    const seen = await events('case-viewed')
    // The decision form is a page of the case too: it comes after.
    assert.deepEqual(seen.at(-2), {
      user_id: 'cw1',
      person_id: 'P1',
      task_id: harness.taskId,
      subject_user_id: null,
      details: { section: 'barriers' },
    })
    assert.deepEqual(await events('decision'), [
      {
        user_id: 'cw1',
        person_id: 'P1',
        task_id: harness.taskId,
        subject_user_id: null,
        details: { status: 'ACCEPTED', taskVersion: 2 },
      },
    ])
    assert.deepEqual(
      (await events('search')).map((row) => row.details),
      [{ region: 'LSE', tab: 'accepted', criteria: {}, page: 1, results: 1 }],
    )
  })

  it('records MI report and data-quality downloads as they start', async () => {
    const manager = await harness.signedIn('mgr')
    const range = { from: '2026-03-01', to: '2026-03-02' }
    assert.equal((await manager.get(paths.miReportFile('csv', range))).statusCode, 200)
    const dataQuality = paths.miDataQuality('csv', {
      'from-day': '1',
      'from-month': '3',
      'from-year': '2026',
      'to-day': '2',
      'to-month': '3',
      'to-year': '2026',
    })
    assert.equal((await manager.get(dataQuality)).statusCode, 200)
    const [report] = await events('mi-download')
    assert.equal(report?.user_id, 'mgr')
    assert.deepEqual(
      { ...(report?.details as object), downloadId: 0 },
      { format: 'csv', from: '2026-03-01', to: '2026-03-02', regions: ['LSE'], downloadId: 0 },
    )
    const [list] = await events('data-quality-download')
    assert.equal(list?.user_id, 'mgr')
  })

  it('fails the action with the problem page, showing nothing of the person, when the audit cannot be written', async () => {
    const client = await harness.signedIn('cw1')
    const form = await client.get(paths.taskDecision(harness.taskId, 'accept'))
    await sql`
      create function refuse_audit() returns trigger language plpgsql as $$
      begin raise exception 'the audit is unavailable'; end $$;
      create trigger refuse_audit before insert on audit_events for each row execute function refuse_audit();
    `.execute(harness.database.db)
    try {
      const page = await client.get(paths.taskSection(harness.taskId, 'person-details'))
      assert.equal(page.statusCode, 500)
      assert.match(page.body, /Sorry, there is a problem with the service/)
      assert.doesNotMatch(page.body, /Okafor/)

      const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? ''
      const decided = await client.post(paths.taskDecision(harness.taskId, 'accept'), {
        _csrf: csrfTokenIn(form.body),
        version,
        ...CONFIRMED,
      })
      assert.equal(decided.statusCode, 500)
      assert.equal((await harness.task()).status, 'RECOMMENDED')
      assert.equal((await harness.events()).length, 1)

      const list = await client.get(paths.reviewList('LSE', 'accepted'))
      assert.equal(list.statusCode, 500)

      const visitor = new WebClient(harness.app)
      const signIn = await visitor.signIn('cw2')
      assert.equal(signIn.statusCode, 500)
      assert.equal((await visitor.get(paths.reviewTasks())).statusCode, 303, 'not signed in')
    } finally {
      await sql`drop trigger refuse_audit on audit_events; drop function refuse_audit();`.execute(
        harness.database.db,
      )
    }
  })
})
