/**
 * The audit pages over HTTP: who may read them, the filters (user, person,
 * kind, days) and their errors, pages by position, the person-centred view,
 * and the CSV with a formula-leading value and markup in it.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { type AuditEvent, recordAuditEvent } from '../../src/audit/events.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { parseCsv } from '../support/mi.ts'
import {
  addTestUser,
  errorSummaryOf,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
} from '../support/web.ts'

const AT = (iso: string) => new Date(iso)
const viewed = (userId: string, personId: string, section: string, at: string): AuditEvent => ({
  kind: 'case-viewed',
  at: AT(at),
  userId,
  personId,
  taskId: 1,
  section,
})

describe('the audit pages', () => {
  let database: TestDatabase
  let web: TestApp

  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database)
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addTestUser(database, { id: 'admin', name: 'Ada Min', roles: ['ADMIN'], regions: 'all' })
    await addTestUser(database, { id: 'auditor', name: 'Audrey Tor', roles: ['AUDITOR'], regions: 'all' })
    await addTestUser(database, { id: 'cw1', name: 'Casey Worker' })
    await addTestUser(database, { id: 'cw2', name: 'Sam Other' })
    const events: AuditEvent[] = [
      viewed('cw1', 'P1', 'person-details', '2026-03-01T09:00:00Z'),
      viewed('cw1', 'P1', 'barriers', '2026-03-01T09:05:00Z'),
      viewed('cw2', 'P1', 'person-details', '2026-03-03T10:00:00Z'),
      viewed('cw2', 'P2', 'person-details', '2026-03-03T11:00:00Z'),
      { kind: 'sign-in', at: AT('2026-03-02T08:00:00Z'), userId: 'cw1', method: 'password' },
      {
        kind: 'user-changed',
        at: AT('2026-03-04T12:00:00Z'),
        userId: 'admin',
        subjectUserId: 'cw1',
        before: { name: 'Casey Worker', email: null, roles: ['CASEWORKER'], regions: ['LSE'], active: true },
        after: {
          name: 'Casey Worker',
          email: null,
          roles: ['CASEWORKER'],
          regions: ['LSE', 'MEE'],
          active: true,
        },
      },
    ]
    for (const event of events) await recordAuditEvent(database.db, event)
  })

  const client = (userId: string) => signedInClient(web.app, userId)
  /** The events table's rows as text, newest first. */
  const rowsOf = (html: string) =>
    [
      ...(/<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '').matchAll(
        /<tr[\s\S]*?<\/tr>/g,
      ),
    ].map((row) => textOf(row[0]))

  it('is for audit readers only: administrators and auditors, not caseworkers', async () => {
    assert.equal((await (await client('admin')).get(paths.audit())).statusCode, 200)
    const auditor = await client('auditor')
    const page = await auditor.get(paths.audit())
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /govuk-service-navigation__link" href="\/audit"/)
    // An auditor reads the audit and the rules, and nothing of the casework.
    assert.equal((await auditor.get(paths.reviewTasks())).statusCode, 403)
    const caseworker = await client('cw1')
    for (const url of [paths.audit(), paths.auditCsv(), paths.auditPerson('P1')]) {
      assert.equal((await caseworker.get(url)).statusCode, 403, url)
    }
    assert.doesNotMatch((await caseworker.get(paths.home())).body, /href="\/audit/)
  })

  it('lists every event newest first, and filters by user (what they did and what was done to them)', async () => {
    const admin = await client('admin')
    const all = rowsOf((await admin.get(paths.audit())).body)
    // The newest is the administrator's own sign-in, just now.
    assert.equal(all.length, 7)
    assert.match(all[0] as string, /admin Ada Min Signed in With a password$/)
    assert.match(
      all[1] as string,
      /^4 Mar 2026, 12:00:00 admin Ada Min User changed User cw1 Regions: LSE to LSE, MEE$/,
    )
    const cw1 = rowsOf((await admin.get(paths.audit({ user: 'cw1' }))).body)
    assert.deepEqual(
      cw1.map((row) => row.split(' ').slice(4, 7).join(' ')),
      ['admin Ada Min', 'cw1 Casey Worker', 'cw1 Casey Worker', 'cw1 Casey Worker'],
    )
  })

  it('filters by person, kind and London days together', async () => {
    const admin = await client('admin')
    const p1 = rowsOf((await admin.get(paths.audit({ person: 'P1' }))).body)
    assert.equal(p1.length, 3)
    const query = {
      person: 'P1',
      kind: 'case-viewed',
      'from-day': '1',
      'from-month': '3',
      'from-year': '2026',
      'to-day': '2',
      'to-month': '3',
      'to-year': '2026',
    }
    const rows = rowsOf((await admin.get(paths.audit(query))).body)
    assert.deepEqual(
      rows.map((row) => row.replace(/^.*who has seen this person’s record /, '')),
      ['Section: barriers, task 1', 'Section: person-details, task 1'],
    )
    // cw1's, and the administrator's own just now.
    const signIns = rowsOf((await admin.get(paths.audit({ kind: 'sign-in' }))).body)
    assert.equal(signIns.length, 2)
  })

  it('pages by position: 50 a page, older and newer', async () => {
    for (let minute = 0; minute < 60; minute += 1) {
      await recordAuditEvent(database.db, {
        kind: 'sign-out',
        at: new Date(Date.UTC(2026, 3, 1, 9, minute)),
        userId: 'cw2',
      })
    }
    const admin = await client('admin')
    const first = await admin.get(paths.audit({ user: 'cw2', kind: 'sign-out' }))
    assert.equal(rowsOf(first.body).length, 50)
    assert.doesNotMatch(first.body, /Newer events/)
    const older = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(
      first.body,
    )?.[1]
    assert.ok(older, 'an Older events link')
    const second = await admin.get(older.replaceAll('&amp;', '&'))
    const secondRows = rowsOf(second.body)
    assert.equal(secondRows.length, 10)
    assert.match(secondRows[0] as string, /^1 Apr 2026, 10:09:00/)
    assert.doesNotMatch(second.body, /rel="next"/)
    const newer = /href="([^"]+)" rel="prev">/.exec(second.body)?.[1]
    assert.ok(newer, 'a Newer events link')
    assert.deepEqual(rowsOf((await admin.get(newer.replaceAll('&amp;', '&'))).body), rowsOf(first.body))
  })

  it('refuses 31 February, a ten-year range and a range the wrong way round, with the GOV.UK error summary', async () => {
    const admin = await client('admin')
    const cases: [Record<string, string>, string, string][] = [
      [
        {
          'from-day': '31',
          'from-month': '2',
          'from-year': '2026',
          'to-day': '1',
          'to-month': '3',
          'to-year': '2026',
        },
        'The date to search from must be a real date',
        '#from-day',
      ],
      [
        {
          'from-day': '1',
          'from-month': '1',
          'from-year': '2016',
          'to-day': '1',
          'to-month': '1',
          'to-year': '2026',
        },
        'The date to search to must be no more than 366 days after the date to search from',
        '#to-day',
      ],
      [
        {
          'from-day': '2',
          'from-month': '3',
          'from-year': '2026',
          'to-day': '1',
          'to-month': '3',
          'to-year': '2026',
        },
        'The date to search to must be the same as or after the date to search from',
        '#to-day',
      ],
      [{ 'from-day': '2', 'from-year': '2026' }, 'The date to search from must include a month', '#from-day'],
      [{ kind: 'everything' }, 'Select a kind of event from the list', '#kind'],
    ]
    for (const [query, message, href] of cases) {
      const page = await admin.get(paths.audit(query))
      assert.equal(page.statusCode, 400, message)
      assert.deepEqual(errorSummaryOf(page.body)[0], [message, href])
      assert.match(page.body, /<title>Error: Audit/)
      assert.equal(rowsOf(page.body).length, 0)
      assert.equal((await admin.get(paths.auditCsv(query))).statusCode, 400)
    }
  })

  it('refuses a person ID of markup, SQL or 10,000 characters, and finds nothing for such a user ID, escaped', async () => {
    const admin = await client('admin')
    for (const person of ['<script>alert(1)</script>', "P1' or '1'='1", 'P'.repeat(10_000)]) {
      const page = await admin.get(paths.audit({ person }))
      assert.equal(page.statusCode, 400)
      assert.equal(errorSummaryOf(page.body)[0]?.[1], '#person')
      assert.doesNotMatch(page.body, /<script>alert/)
    }
    const markup = await admin.get(paths.audit({ user: '<script>alert(1)</script>' }))
    assert.equal(markup.statusCode, 200)
    assert.match(markup.body, /No audit events match/)
    assert.match(markup.body, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;"/)
    assert.doesNotMatch(markup.body, /<script>alert/)
    assert.equal((await admin.get(paths.audit({ user: 'u'.repeat(10_000) }))).statusCode, 400)
    assert.equal((await admin.get(paths.auditPerson('<b>'))).statusCode, 404)
  })

  it('shows who has seen a person’s record: each user’s first and last time, sections and count, then the events', async () => {
    const admin = await client('admin')
    const page = await admin.get(paths.auditPerson('P1'))
    assert.equal(page.statusCode, 200)
    const summary = /<table class="govuk-table">([\s\S]*?)<\/table>/.exec(page.body)?.[1] ?? ''
    const viewers = [...summary.matchAll(/<tbody[\s\S]*?<\/tbody>/g)].flatMap((body) =>
      [...body[0].matchAll(/<tr[\s\S]*?<\/tr>/g)].map((row) => textOf(row[0])),
    )
    assert.deepEqual(viewers, [
      'cw2 Sam Other 3 Mar 2026, 10:00:00 3 Mar 2026, 10:00:00 person-details 1',
      'cw1 Casey Worker 1 Mar 2026, 09:00:00 1 Mar 2026, 09:05:00 barriers, person-details 2',
    ])
    assert.equal(rowsOf(page.body.slice(page.body.indexOf('<h2 class="govuk-heading-m">Events'))).length, 3)
    const nobody = await admin.get(paths.auditPerson('P999'))
    assert.match(nobody.body, /Nobody has seen or decided on this person’s record/)
  })

  it('downloads the filtered events as CSV, a formula-leading value made plain text and markup kept as text', async () => {
    await recordAuditEvent(database.db, {
      kind: 'sign-in-failed',
      at: AT('2026-03-05T09:00:00Z'),
      attemptedId: '<img src=x onerror=alert(1)>',
      method: 'password',
      reason: 'incorrect',
    })
    await recordAuditEvent(database.db, { kind: 'sign-out', at: AT('2026-03-05T10:00:00Z'), userId: '=1+2' })
    const admin = await client('admin')
    const csv = await admin.get(paths.auditCsv({ kind: 'sign-out' }))
    assert.equal(csv.statusCode, 200)
    assert.match(String(csv.headers['content-type']), /^text\/csv/)
    assert.match(
      String(csv.headers['content-disposition']),
      /^attachment; filename="ipic-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    const [header, ...rows] = parseCsv(csv.body.replace(/^\uFEFF/, ''))
    assert.equal(header?.[2], 'User ID')
    assert.equal(rows.length, 1)
    assert.equal(rows[0]?.[2], "'=1+2")
    const failed = parseCsv(
      (await admin.get(paths.auditCsv({ kind: 'sign-in-failed' }))).body.replace(/^\uFEFF/, ''),
    )
    assert.equal(failed[1]?.[8], 'User ID tried: <img src=x onerror=alert(1)>. Reason: incorrect')
    // And on the page, the same markup is text.
    const page = await admin.get(paths.audit({ kind: 'sign-in-failed' }))
    assert.doesNotMatch(page.body, /<img src=x/)
    assert.match(page.body, /&lt;img src=x onerror=alert\(1\)&gt;/)
  })
})
