/**
 * Hostile text in everything the downloads carry (persons' names and
 * references, users' names, rejection explanations, IDs typed at sign-in)
 * never reaches a spreadsheet as a formula: no CSV cell of the MI report,
 * the data-quality list or the audit trail begins with =, +, -, @, a tab or
 * a carriage return unless it is a number, and no cell of the XLSX report is
 * a formula. The text is written straight to the
 * tables, as any path into them might leave it, so the writers are tested
 * on their own defence.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import ExcelJS from 'exceljs'
import fc from 'fast-check'
import { auditEventRow } from '../../src/audit/events.ts'
import { frozenClock } from '../../src/clock.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { checkProperty, FORMULA_LEADS, hostileText } from '../support/hostile-values.ts'
import {
  addMiTestUsers,
  buildMiFixture,
  JULY_FORM,
  type MiFixture,
  parseCsv,
  workbookOf,
} from '../support/mi.ts'
import { addTestUser, signedInClient, startTestApp, type TestApp, type WebClient } from '../support/web.ts'

/** Text PostgreSQL can store (no NUL, no lone surrogate), often led by a formula's first character. */
const storable = hostileText.filter((text) => text.isWellFormed() && !text.includes(String.fromCharCode(0)))
const hostileCellText = fc.oneof(
  storable,
  fc.tuple(fc.constantFrom(...FORMULA_LEADS), storable).map(([lead, text]) => lead + text),
)

const FORMULA_LEAD = /^[=+\-@\t\r]/
const NUMBER = /^-?\d+(\.\d+)?$/

/** Every cell of a CSV that a spreadsheet would run as a formula. */
function formulaCells(csv: string): string[] {
  return parseCsv(csv.replace(/^\uFEFF/, ''))
    .flat()
    .filter((cell) => FORMULA_LEAD.test(cell) && !NUMBER.test(cell))
}

/** Every cell of every sheet of a workbook that is a formula (text, however it begins, is kept as text). */
async function formulaCellsIn(bytes: Buffer): Promise<string[]> {
  const found: string[] = []
  for (const sheet of (await workbookOf(bytes)).worksheets) {
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) {
          found.push(`${sheet.name}!${cell.address}: ${String(cell.formula ?? cell.value)}`)
        }
      }),
    )
  }
  return found
}

describe('hostile text in the downloads', () => {
  let database: TestDatabase
  let web: TestApp
  let fixture: MiFixture
  let analyst: WebClient
  let auditor: WebClient

  before(async () => {
    database = await openTestDatabase()
    await addMiTestUsers(database)
    fixture = await buildMiFixture(database.db)
    await addTestUser(database, { id: 'auditor', roles: ['AUDITOR'], regions: 'all' })
    web = await startTestApp(database, { clock: frozenClock(new Date('2026-08-01T09:00:00Z')) })
    analyst = await signedInClient(web.app, 'lead')
    auditor = await signedInClient(web.app, 'auditor')
  })

  after(async () => {
    await web.close()
    await database.close()
  })

  it('keeps a formula-led name and reference out of the data-quality CSV (found by the property)', async () => {
    await database.db
      .updateTable('persons')
      .set({
        given_names: '=',
        family_name: '0',
        home_office_reference: '=HYPERLINK("http://example.org","x")',
      })
      .where('person_id', '=', 'P2')
      .execute()
    const response = await analyst.get(paths.miDataQuality('csv', JULY_FORM))
    const row = parseCsv(response.body.replace(/^\uFEFF/, ''))[1]!
    assert.equal(row[2], `'=HYPERLINK("http://example.org","x")`)
    assert.equal(row[3], "'= 0")
    assert.equal(row[8], 'cw1')
  })

  it('never puts a formula into a CSV or XLSX cell', async () => {
    const texts = fc.record({
      givenNames: hostileCellText,
      familyName: hostileCellText,
      reference: hostileCellText,
      userName: hostileCellText,
      explanation: hostileCellText,
      attemptedId: hostileCellText,
    })
    const property = fc.asyncProperty(texts, async (text) => {
      const db = database.db
      await db
        .updateTable('persons')
        .set({
          given_names: text.givenNames,
          family_name: text.familyName,
          home_office_reference: text.reference,
        })
        .where('person_id', 'in', ['P1', 'P2'])
        .execute()
      await db.updateTable('users').set({ name: text.userName }).where('id', '=', 'cw1').execute()
      // The task log only grows: the explanation arrives as a changed decision, through the decision's own checks.
      const { version } = await db
        .selectFrom('tasks')
        .select('version')
        .where('id', '=', fixture.tasks.P2)
        .executeTakeFirstOrThrow()
      await decideTask(db, {
        taskId: fixture.tasks.P2,
        expectedVersion: version,
        decision: {
          status: 'REJECTED',
          reasons: ['SOURCE_DATA_INCORRECT'],
          details: text.explanation,
          checksConfirmed: true,
        },
        user: { id: 'cw1', regions: { all: false, codes: ['LSE'] } },
        clock: fixture.clock,
      })
      const at = new Date('2026-07-03T12:00:00Z')
      await db
        .insertInto('audit_events')
        .values([
          auditEventRow({
            kind: 'sign-in-failed',
            at,
            attemptedId: text.attemptedId,
            method: 'password',
            reason: 'incorrect',
          }),
          auditEventRow({ kind: 'sign-out', at, userId: 'cw1' }),
        ])
        .execute()

      const july = { from: '2026-07-01', to: '2026-07-31' }
      const csvFiles = {
        'MI report CSV': await analyst.get(paths.miReportFile('csv', july)),
        'data-quality CSV': await analyst.get(paths.miDataQuality('csv', JULY_FORM)),
        'audit CSV': await auditor.get(paths.auditCsv()),
      }
      for (const [name, response] of Object.entries(csvFiles)) {
        assert.equal(response.statusCode, 200, `${name}: ${response.body.slice(0, 300)}`)
        assert.deepEqual(formulaCells(response.body), [], `${name} with ${JSON.stringify(text)}`)
      }
      const xlsx = await analyst.get(paths.miReportFile('xlsx', july))
      assert.equal(xlsx.statusCode, 200)
      assert.deepEqual(
        await formulaCellsIn(xlsx.rawPayload),
        [],
        `MI report XLSX with ${JSON.stringify(text)}`,
      )
    })
    await checkProperty('formula-leading text in the CSV and XLSX downloads', property, 25)
  })
})
