/**
 * The decisions behind the dashboard's figures: the evidence of review's
 * users and rule versions link to a list of their decisions in the same
 * range and regions, with what was opened before each and how soon it was
 * decided; bad addresses are refused with a way back to the dashboard.
 *
 * The MI fixture's cw1 places P1 on hold, rejects P2 and accepts P1 (LSE),
 * opening no case page; here cw1 then opens P2's barriers and changes it to
 * accepted ten seconds later, and cw3 accepts P4 (MEE) without opening it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { recordAuditEvent } from '../../src/audit/events.ts'
import { frozenClock } from '../../src/clock.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { addMiTestUsers, buildMiFixture, JULY_FORM } from '../support/mi.ts'
import { signedInClient, startTestApp, type TestApp, textOf } from '../support/web.ts'

describe('the decisions behind the MI dashboard’s figures', () => {
  let database: TestDatabase
  let web: TestApp
  let tasks: Record<'P1' | 'P2' | 'P3' | 'P4', number>

  before(async () => {
    database = await openTestDatabase()
    await addMiTestUsers(database)
    const fixture = await buildMiFixture(database.db)
    const { clock } = fixture
    tasks = fixture.tasks
    await recordAuditEvent(database.db, {
      kind: 'case-viewed',
      at: new Date('2026-07-06T10:00:00Z'),
      userId: 'cw1',
      personId: 'P2',
      taskId: tasks.P2,
      section: 'barriers',
    })
    clock.set(new Date('2026-07-06T10:00:10Z'))
    const accept = { status: 'ACCEPTED', checksConfirmed: true } as const
    const lse = { id: 'cw1', regions: { all: false as const, codes: ['LSE'] } }
    const mee = { id: 'cw3', regions: { all: false as const, codes: ['MEE'] } }
    for (const [taskId, expectedVersion, user] of [
      [tasks.P2, 2, lse],
      [tasks.P4, 1, mee],
    ] as const) {
      const result = await decideTask(database.db, { taskId, expectedVersion, decision: accept, user, clock })
      assert.equal(result.kind, 'decided')
    }
    web = await startTestApp(database, { clock: frozenClock(new Date('2026-08-01T09:00:00Z')) })
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })

  const signedIn = (userId: string) => signedInClient(web.app, userId)

  /** The addresses a page links to, as the browser reads them. */
  const links = (html: string) =>
    [...html.matchAll(/href="([^"]*)"/g)].map((match) => (match[1] ?? '').replace(/&#38;|&amp;/g, '&'))

  it('links each user and rule version of the evidence of review to its decisions, in the dashboard’s range', async () => {
    const page = await (await signedIn('mgr')).get(paths.miDashboard(JULY_FORM))
    assert.equal(page.statusCode, 200)
    assert.ok(links(page.body).includes(paths.miDecisions({ ...JULY_FORM, user: 'cw1' })))
    assert.ok(links(page.body).includes(paths.miDecisions({ ...JULY_FORM, ruleVersion: 'mi-v1' })))
  })

  it('lists a user’s decisions, most recent first, with the sections not opened and the time from opening', async () => {
    const page = await (await signedIn('mgr')).get(paths.miDecisions({ ...JULY_FORM, user: 'cw1' }))
    assert.equal(page.statusCode, 200)
    const text = textOf(page.body)
    assert.match(text, /Decisions by Casey Worker \(cw1\)/)
    assert.match(
      text,
      /4 decisions from 1 July 2026 to 31 July 2026, your regions, all task types, most recent first/,
    )
    const rows = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((match) =>
      textOf(match[1] ?? ''),
    )
    assert.deepEqual(
      rows.slice(1).map((row) => row.replace(/^.* on \d+ July 2026 /, '')),
      [
        'P2 Failed-to-report follow-up Accepted 10 seconds Vulnerability, Family status',
        'P1 Failed-to-report follow-up Accepted Not opened Barriers, Vulnerability, Family status',
        'P2 Failed-to-report follow-up Rejected Not opened Barriers, Vulnerability, Family status',
        'P1 Failed-to-report follow-up Placed on hold Not opened Barriers, Vulnerability, Family status',
      ],
    )
    // A manager may open the cases, and comes back to this list from them.
    const self = paths.miDecisions({ ...JULY_FORM, user: 'cw1' })
    assert.ok(links(page.body).includes(paths.task(tasks.P2, self)))
    assert.ok(
      links(page.body).includes(paths.miDashboard(JULY_FORM)),
      'the way back to the dashboard as it was',
    )
  })

  it('lists a rule version’s decisions with who took each, and keeps to the regions of the user', async () => {
    const mgr = await signedIn('mgr')
    const version = textOf((await mgr.get(paths.miDecisions({ ...JULY_FORM, ruleVersion: 'mi-v1' }))).body)
    assert.match(version, /Decisions on tasks of rule version mi-v1/)
    assert.match(version, /4 decisions from/)
    assert.match(version, /Decided by/)
    assert.doesNotMatch(version, /Mo East/, 'MEE’s decision is outside the manager’s regions')
    const outside = await mgr.get(paths.miDecisions({ ...JULY_FORM, user: 'cw3' }))
    assert.equal(outside.statusCode, 200)
    assert.match(textOf(outside.body), /0 decisions from .* No decisions in this period/)
    // The page's words, not its markup: a CSRF token may hold any two characters.
    assert.doesNotMatch(textOf(outside.body), /\bP4\b/)

    // The national analyst sees MEE's decision, but may not open cases: the person is not a link.
    const national = await (await signedIn('lead')).get(paths.miDecisions({ ...JULY_FORM, user: 'cw3' }))
    assert.match(textOf(national.body), /Decisions by Mo East \(cw3\) 1 decision from .*all regions/)
    assert.match(textOf(national.body), /P4 Failed-to-report follow-up Accepted Not opened/)
    assert.doesNotMatch(national.body, /href="\/tasks\//)
  })

  it('narrows to a task type and a range, counting only what is in them', async () => {
    const mgr = await signedIn('mgr')
    const safeguarding = await mgr.get(
      paths.miDecisions({ ...JULY_FORM, taskType: 'SAFEGUARDING', user: 'cw1' }),
    )
    assert.match(textOf(safeguarding.body), /0 decisions .* Safeguarding referral/)
    const early = { ...JULY_FORM, 'to-day': '3' }
    assert.match(
      textOf((await mgr.get(paths.miDecisions({ ...early, user: 'cw1' }))).body),
      /2 decisions from/,
    )
  })

  it('refuses an address that does not say whose decisions, or whose filters cannot be read, changing nothing', async () => {
    const mgr = await signedIn('mgr')
    for (const query of [
      { ...JULY_FORM },
      { ...JULY_FORM, user: 'cw1', ruleVersion: 'mi-v1' },
      { ...JULY_FORM, user: '   ' },
      { ...JULY_FORM, user: 'x'.repeat(101) },
    ]) {
      const page = await mgr.get(paths.miDecisions(query))
      assert.equal(page.statusCode, 400, JSON.stringify(query))
      assert.match(
        textOf(page.body),
        /There is a problem Choose a user or a rule version on the MI dashboard/,
      )
      assert.match(page.body, /<title>Error: /)
    }
    for (const query of [
      { ...JULY_FORM, 'to-day': '32', user: 'cw1' },
      { ...JULY_FORM, taskType: 'NO_SUCH_TYPE', user: 'cw1' },
    ]) {
      const page = await mgr.get(paths.miDecisions(query))
      assert.equal(page.statusCode, 400, JSON.stringify(query))
      assert.match(textOf(page.body), /Choose the dates and task type again on the MI dashboard/)
    }
    const caseworker = await (await signedIn('cw1')).get(paths.miDecisions({ ...JULY_FORM, user: 'cw1' }))
    assert.equal(caseworker.statusCode, 403)
  })
})
