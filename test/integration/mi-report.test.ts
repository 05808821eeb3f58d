import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { frozenClock } from '../../src/clock.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  addMiTestUsers,
  buildMiFixture,
  finishedMiDownloads,
  MI_HEADERS,
  type MiFixture,
  parseCsv,
  readWorkbook,
  rowsUnderHeader,
  rowValues,
} from '../support/mi.ts'
import { addTestUser, startTestApp, type TestApp, titleOf, WebClient } from '../support/web.ts'

const JULY = { from: '2026-07-01', to: '2026-07-05' }
const REASON_COLUMNS = MI_HEADERS.slice(22, 34)

describe('MI report download', () => {
  let database: TestDatabase
  let web: TestApp
  let fixture: MiFixture

  before(async () => {
    database = await openTestDatabase()
    await addMiTestUsers(database)
    await addTestUser(database, { id: 'author', roles: ['RULE_AUTHOR'], regions: 'all' })
    fixture = await buildMiFixture(database.db)
    web = await startTestApp(database, {
      clock: frozenClock(new Date('2026-08-01T09:00:00Z')),
      env: { IPIC_MI_MAX_DAYS: '31' },
    })
  })
  after(async () => {
    await web.close()
    await database.close()
  })

  async function signedIn(userId: string): Promise<WebClient> {
    const client = new WebClient(web.app)
    await client.signIn(userId)
    return client
  }

  /** Rows keyed by "person status", for events that share a timestamp. */
  function byPersonAndStatus(rows: readonly (readonly unknown[])[]) {
    return new Map(rows.map((row) => [`${row[0]} ${row[19]}`, row]))
  }

  it('shows the form in the navigation’s "MI report" section', async () => {
    const client = await signedIn('cw1')
    const page = await client.get(paths.miReport())
    assert.equal(page.statusCode, 200)
    assert.equal(titleOf(page.body), 'MI report – Identify and prioritise immigration cases – GOV.UK')
    assert.match(page.body, /name="from-day"/)
    assert.match(page.body, /name="to-year"/)
    assert.match(page.body, /Create and download report/)
    assert.match(page.body, /href="\/mi" aria-current="page"/)
    // One region: no choice to make, the region is named.
    assert.doesNotMatch(page.body, /name="region"/)
    assert.match(page.body, /London and South East/)
  })

  it('lets a national role choose one region or all of them', async () => {
    const page = await (await signedIn('lead')).get(paths.miReport())
    assert.match(page.body, /<select[^>]*name="region"/)
    assert.match(page.body, /All regions/)
    assert.match(page.body, /Midlands and East/)
  })

  it('refuses users whose role has no MI', async () => {
    const page = await (await signedIn('author')).get(paths.miReportFile('csv', JULY))
    assert.equal(page.statusCode, 403)
  })

  it('sends the form to the file, dates in ISO form', async () => {
    const client = await signedIn('cw1')
    const response = await client.get(
      `${paths.miDownload()}?from-day=1&from-month=7&from-year=2026&to-day=5&to-month=7&to-year=2026&format=csv`,
    )
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, paths.miReportFile('csv', JULY))
  })

  it('writes the Excel file: header A–AI, frozen and filtered, one row per status update', async () => {
    const before = (await finishedMiDownloads(database.db)).length
    const response = await (await signedIn('cw1')).get(paths.miReportFile('xlsx', JULY))
    assert.equal(response.statusCode, 200)
    assert.equal(
      response.headers['content-type'],
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    assert.equal(
      response.headers['content-disposition'],
      'attachment; filename="ipic-mi-LSE-2026-07-01-to-2026-07-05.xlsx"',
    )
    const sheet = await readWorkbook(response.rawPayload)
    assert.deepEqual(rowValues(sheet, 1), [...MI_HEADERS])
    assert.equal(sheet.getCell('AI1').value, 'Rejection Explanation')
    assert.equal(sheet.views[0]?.state, 'frozen')
    assert.equal((sheet.views[0] as { ySplit?: number }).ySplit, 1)
    assert.equal(sheet.autoFilter, 'A1:AI1')
    // Seven updates in LSE; P4's recommendation is in MEE.
    assert.equal(sheet.actualRowCount, 1 + 7)
    const rows = rowsUnderHeader(sheet)
    const find = byPersonAndStatus(rows)
    const accepted = find.get('P1 Accepted')
    assert.ok(accepted)
    assert.equal(accepted[0], 'P1')
    assert.equal(accepted[1], 'HO/P1')
    assert.equal(accepted[2], 'Failed-to-report follow-up')
    assert.equal(accepted[3], 'Grace Okafor')
    assert.deepEqual(accepted[6], new Date('1990-05-17T00:00:00Z'))
    assert.equal(accepted[7], 36)
    assert.deepEqual(accepted[8], new Date('2026-07-10T00:00:00Z'))
    assert.deepEqual(accepted[9], new Date('2026-07-24T00:00:00Z'))
    assert.equal(accepted[10], undefined)
    assert.equal(accepted[11], 'Twice weekly')
    assert.equal(accepted[15], 'Returns Preparation')
    assert.deepEqual(accepted[16], new Date('2026-07-01T00:00:00Z'))
    assert.equal(accepted[17], 'mi-v1')
    assert.equal(accepted[18], 'Y')
    // London time, not UTC: 00:30 on 4 July.
    assert.deepEqual(accepted[20], new Date('2026-07-04T00:30:00Z'))
    assert.equal(accepted[21], 'cw1')
    const row2 = sheet.getRow(2)
    assert.equal(row2.getCell(7).numFmt, 'dd/mm/yyyy')
    assert.equal(row2.getCell(21).numFmt, 'dd/mm/yyyy hh:mm:ss')

    const rejected = find.get('P2 Rejected')
    assert.ok(rejected)
    assert.equal(rejected[7], 25, 'age when the task was generated, not today')
    assert.equal(rejected[22 + 3], 'Y', 'Medical')
    assert.equal(rejected[22 + 4], 'Y', 'Source data incorrect')
    assert.equal(rejected.slice(22, 34).filter((value) => value === 'Y').length, 2)
    assert.equal(rejected[34], 'Date of birth is wrong in CID, and he is in hospital')

    const audit = await finishedMiDownloads(database.db)
    assert.equal(audit.length, before + 1)
    const last = audit.at(-1)
    assert.equal(last?.user_id, 'cw1')
    assert.equal(last?.format, 'xlsx')
    assert.equal(last?.from_date, '2026-07-01')
    assert.equal(last?.to_date, '2026-07-05')
    assert.deepEqual(last?.regions, ['LSE'])
    assert.equal(last?.all_regions, false)
    assert.equal(last?.outcome, 'COMPLETED')
    assert.equal(last?.rows, 7)
    assert.deepEqual(last?.started_at, new Date('2026-08-01T09:00:00Z'))
  })

  it('writes the same rows as CSV, dates as DD/MM/YYYY text and current flags on the latest update only', async () => {
    const response = await (await signedIn('cw1')).get(paths.miReportFile('csv', JULY))
    assert.equal(response.statusCode, 200)
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8')
    assert.equal(
      response.headers['content-disposition'],
      'attachment; filename="ipic-mi-LSE-2026-07-01-to-2026-07-05.csv"',
    )
    assert.ok(response.body.startsWith('\uFEFF'), 'a byte-order mark for Excel')
    const [header, ...rows] = parseCsv(response.body.slice(1))
    assert.deepEqual(header, [...MI_HEADERS])
    assert.equal(rows.length, 7)
    for (const row of rows) assert.equal(row.length, 35)
    // Ordered by when each update happened.
    assert.deepEqual(
      rows.map((row) => row[20]),
      [
        '01/07/2026 09:00:00',
        '01/07/2026 09:00:00',
        '01/07/2026 09:00:00',
        '02/07/2026 10:30:00',
        '03/07/2026 11:00:00',
        '04/07/2026 00:30:00',
        '05/07/2026 09:00:00',
      ],
    )
    const find = byPersonAndStatus(rows)
    assert.deepEqual([...find.entries()].map(([key, row]) => `${key} ${row[18]}`).sort(), [
      'P1 Accepted Y',
      'P1 On hold N',
      'P1 Recommended N',
      'P2 Recommended N',
      'P2 Rejected Y',
      'P3 Recommended N',
      'P3 Withdrawn Y',
    ])
    const p1 = find.get('P1 Accepted') ?? []
    assert.equal(p1[6], '17/05/1990')
    assert.equal(p1[7], '36')
    assert.equal(p1[8], '10/07/2026')
    assert.equal(p1[9], '24/07/2026')
    assert.equal(p1[10], '')
    assert.equal(p1[16], '01/07/2026')
    const p2 = find.get('P2 Rejected') ?? []
    assert.equal(p2[3], 'Ana Díaz')
    assert.equal(p2[4], 'M')
    assert.equal(p2[5], 'Albania')
    assert.deepEqual(
      REASON_COLUMNS.filter((_, index) => p2[22 + index] === 'Y'),
      ['Medical', 'Source data incorrect'],
    )
    assert.equal(p2[34], 'Date of birth is wrong in CID, and he is in hospital')
    assert.equal((find.get('P2 Recommended') ?? [])[34], '', 'no explanation on other updates')
    assert.equal((find.get('P3 Withdrawn') ?? [])[21], 'IPIC rules')
    assert.equal((find.get('P1 On hold') ?? [])[21], 'cw1')
    assert.equal((find.get('P1 On hold') ?? [])[12], 'London and South East')
    assert.equal((find.get('P1 On hold') ?? [])[14], 'Becket House')
  })

  it('counts days in London time at both ends of the range', async () => {
    const client = await signedIn('cw1')
    // 3 July in London ends before P1's acceptance (00:30 on 4 July London, 23:30 on 3 July UTC).
    const third = parseCsv(
      (await client.get(paths.miReportFile('csv', { from: '2026-07-03', to: '2026-07-03' }))).body.slice(1),
    )
    assert.deepEqual(
      third.slice(1).map((row) => `${row[0]} ${row[19]}`),
      ['P2 Rejected'],
    )
    const fourth = parseCsv(
      (await client.get(paths.miReportFile('csv', { from: '2026-07-04', to: '2026-07-04' }))).body.slice(1),
    )
    assert.deepEqual(
      fourth.slice(1).map((row) => `${row[0]} ${row[19]} ${row[18]}`),
      ['P1 Accepted Y'],
    )
    // A range with no updates still has its header row.
    const empty = parseCsv(
      (await client.get(paths.miReportFile('csv', { from: '2026-06-01', to: '2026-06-30' }))).body.slice(1),
    )
    assert.deepEqual(empty, [[...MI_HEADERS]])
  })

  it('marks an older update N even when the range ends before the later one', async () => {
    const rows = parseCsv(
      (
        await (await signedIn('cw1')).get(paths.miReportFile('csv', { from: '2026-07-02', to: '2026-07-02' }))
      ).body.slice(1),
    ).slice(1)
    assert.deepEqual(
      rows.map((row) => `${row[0]} ${row[19]} ${row[18]}`),
      ['P1 On hold N'],
    )
  })

  it('gives a national role every region, or the one chosen', async () => {
    const client = await signedIn('lead')
    const all = await client.get(paths.miReportFile('csv', JULY))
    assert.equal(
      all.headers['content-disposition'],
      'attachment; filename="ipic-mi-ALL-2026-07-01-to-2026-07-05.csv"',
    )
    const allRows = parseCsv(all.body.slice(1)).slice(1)
    assert.equal(allRows.length, 8)
    const east = await client.get(paths.miReportFile('csv', { ...JULY, region: 'MEE' }))
    assert.equal(
      east.headers['content-disposition'],
      'attachment; filename="ipic-mi-MEE-2026-07-01-to-2026-07-05.csv"',
    )
    const eastRows = parseCsv(east.body.slice(1)).slice(1)
    assert.deepEqual(
      eastRows.map((row) => `${row[0]} ${row[12]} ${row[14]}`),
      ['P4 Midlands and East Sandford House'],
    )
    const audit = (await finishedMiDownloads(database.db)).at(-1)
    assert.deepEqual(audit?.regions, ['MEE'])
    assert.equal(audit?.rows, 1)
  })

  it('never gives a caseworker another region’s rows', async () => {
    const east = await signedIn('cw3')
    const rows = parseCsv((await east.get(paths.miReportFile('csv', JULY))).body.slice(1)).slice(1)
    assert.deepEqual(
      rows.map((row) => row[0]),
      ['P4'],
    )
    const before = (await finishedMiDownloads(database.db)).length
    const refused = await (await signedIn('cw1')).get(paths.miReportFile('csv', { ...JULY, region: 'MEE' }))
    assert.equal(refused.statusCode, 400)
    assert.doesNotMatch(refused.headers['content-type'] ?? '', /csv/)
    assert.match(titleOf(refused.body), /^Error: MI report/)
    assert.match(refused.body, /Select a region you work in/)
    assert.doesNotMatch(refused.body, /HO\/P4/)
    assert.equal(
      (await finishedMiDownloads(database.db)).length,
      before,
      'a refused request is not a download',
    )
  })

  describe('bad input: the form again with the error summary, and no file', () => {
    const cases: { name: string; url: () => string; field: string; message: RegExp }[] = [
      {
        name: 'missing dates',
        url: () => paths.miReportFile('xlsx', { from: '', to: '' }),
        field: 'from-day',
        message: /Enter the date the report starts from/,
      },
      {
        name: 'an impossible date',
        url: () => paths.miReportFile('xlsx', { from: '2026-02-30', to: '2026-03-02' }),
        field: 'from-day',
        message: /Date the report starts from must be a real date/,
      },
      {
        name: 'reversed dates',
        url: () => paths.miReportFile('csv', { from: '2026-07-05', to: '2026-07-01' }),
        field: 'to-day',
        message: /must be the same as or after the date it starts from/,
      },
      {
        name: 'a range over the maximum',
        url: () => paths.miReportFile('csv', { from: '2026-06-01', to: '2026-07-02' }),
        field: 'to-day',
        message: /at most 31 days/,
      },
      {
        name: 'a region that does not exist',
        url: () => paths.miReportFile('csv', { ...JULY, region: 'ATLANTIS' }),
        field: 'region',
        message: /Select a region you work in/,
      },
      {
        name: 'a part-filled date in the form',
        url: () =>
          `${paths.miDownload()}?from-day=1&from-month=&from-year=2026&to-day=5&to-month=7&to-year=2026&format=csv`,
        field: 'from-day',
        message: /Date the report starts from must include a month/,
      },
      {
        name: 'letters in a date in the form',
        url: () =>
          `${paths.miDownload()}?from-day=one&from-month=7&from-year=2026&to-day=5&to-month=7&to-year=2026&format=csv`,
        field: 'from-day',
        message: /Date the report starts from must be a real date/,
      },
      {
        name: 'no format chosen in the form',
        url: () =>
          `${paths.miDownload()}?from-day=1&from-month=7&from-year=2026&to-day=5&to-month=7&to-year=2026`,
        field: 'format',
        message: /Select the format of the report/,
      },
    ]
    for (const { name, url, field, message } of cases) {
      it(name, async () => {
        const before = (await finishedMiDownloads(database.db)).length
        const response = await (await signedIn('lead')).get(url())
        assert.equal(response.statusCode, 400)
        assert.match(response.headers['content-type'] ?? '', /^text\/html/)
        assert.equal(response.headers['content-disposition'], undefined)
        assert.match(titleOf(response.body), /^Error: MI report/)
        assert.match(response.body, /govuk-error-summary/)
        assert.match(response.body, new RegExp(`href="#${field}"`))
        assert.match(response.body, message)
        assert.equal((await finishedMiDownloads(database.db)).length, before)
      })
    }
  })

  it('keeps the fixture’s task IDs distinct (guards the fixture itself)', () => {
    assert.equal(new Set(Object.values(fixture.tasks)).size, 4)
  })
})
