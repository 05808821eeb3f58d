/**
 * The Help page: every task type in force with what it means and how its
 * rule scores it, each tab with how long it keeps tasks (from the
 * configuration in force), and whom to ask; linked from every signed-in
 * page's footer, and for signed-in users only.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  addTestUser,
  referenceDataIn,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
  WebClient,
} from '../support/web.ts'

describe('the Help page', () => {
  let database: TestDatabase
  let web: TestApp

  before(async () => {
    database = await openTestDatabase()
    await addTestUser(database, { id: 'cw', name: 'Casey Worker' })
    web = await startTestApp(database, {
      env: { IPIC_RETENTION_ACCEPTED_DAYS: '7', IPIC_RETENTION_REJECTED_DAYS: '1' },
    })
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })

  it('explains every task type, each tab’s retention as configured, priority and whom to contact', async () => {
    const client = await signedInClient(web.app, 'cw')
    const page = await client.get(paths.help())
    assert.equal(page.statusCode, 200)
    const text = textOf(page.body)
    const reference = await referenceDataIn(web.config.referenceDir)
    for (const type of reference.taskTypes.taskTypes.filter((one) => one.active)) {
      assert.ok(text.includes(`${type.name} ${type.description}`), `${type.name} is explained`)
    }
    assert.match(
      text,
      /Accepted Tasks someone accepted.* Accepted tasks stay on this tab for 7 days after the decision/,
    )
    assert.match(text, /Rejected tasks stay on this tab for 1 day after the decision/)
    assert.match(text, /On hold .* until someone accepts or rejects them/)
    // Each task type's factors as its rule in force gives them.
    assert.match(text, /How priority is worked out .* Failed-to-report follow-up [^.]*: \d+ points/)
    assert.match(text, /Who to contact .* your manager/)
  })

  it('is linked from the footer of signed-in pages, and asks anyone else to sign in', async () => {
    const client = await signedInClient(web.app, 'cw')
    const home = await client.get(paths.home())
    assert.match(home.body, /<a class="govuk-footer__link" href="\/help">\s*Help\s*<\/a>/)
    const visitor = await new WebClient(web.app).get(paths.help())
    assert.equal(visitor.statusCode, 303)
    assert.match(String(visitor.headers.location), /^\/sign-in\?returnTo=%2Fhelp$/)
  })
})
