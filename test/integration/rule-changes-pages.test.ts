/**
 * The Rule changes pages: the list of publications newest first, each
 * published version's stored impact report with its flags as tags in words,
 * the link from the rules page for those who may follow it, and "page not
 * found" for anything that has no report.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import { recordPublication } from '../../src/rules/publication.ts'
import { compareRuleSets } from '../../src/rules/simulate.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { FIXTURE_TODAY, insertPersons, standInRuleSet } from '../support/tasks.ts'
import { addTestUser, startTestApp, type TestApp, textOf, titleOf, WebClient } from '../support/web.ts'

describe('rule changes pages', () => {
  let database: TestDatabase
  let web: TestApp
  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { env: { IPIC_RULES_DIR: RULES_DIR } })
  })
  after(async () => {
    await web.close()
    await database.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addTestUser(database, {
      id: 'author1',
      name: 'Rita Author',
      roles: ['RULE_AUTHOR'],
      regions: ['LSE'],
    })
    await addTestUser(database, { id: 'cw1', roles: ['CASEWORKER'], regions: ['LSE'] })
    await insertPersons(database.db, [
      { person_id: 'L1', missed_events_90_days: 1, gender: 'F' },
      { person_id: 'L2', missed_events_90_days: 2, gender: 'M' },
      { person_id: 'L3', missed_events_90_days: 3, self_harm_risk: true, gender: 'F' },
      { person_id: 'X0', missed_events_90_days: 0, gender: 'F', date_of_birth: '2000-01-01' },
    ])
  })

  /** Publishes the stand-in "draft" (1+ missed events) against "live" (2+), with the report the command would store. */
  async function publishDraft(at: string, notes: string) {
    const live = standInRuleSet('live-v1', { failedToReportMinimum: 2 })
    const draft = standInRuleSet('draft-v2', { failedToReportMinimum: 1 })
    const impact = await compareRuleSets(database.db, {
      live: live.compiled,
      draft: draft.compiled,
      today: FIXTURE_TODAY,
      settings: { marginPoints: 5, smallGroup: 3 },
    })
    await recordPublication(database.db, {
      version: 'draft-v2',
      files: draft.ruleSet.files,
      publishedAt: new Date(at),
      publishedFrom: 'ipic rules publish run by the account ops',
      publishedBy: 'author1',
      notes,
      impact,
    })
  }

  async function as(userId: string): Promise<WebClient> {
    const client = new WebClient(web.app)
    await client.signIn(userId)
    return client
  }

  it('lists every version newest first, and shows a stored report with its counts and flags', async () => {
    await sql`insert into rule_set_publications (version, basis, published_at)
      values ('old-v0', 'before-records', '2026-01-05T09:00:00Z')`.execute(database.db)
    await publishDraft('2026-03-02T10:30:00Z', 'Follow up <b>one</b> missed event, not two.')
    const author = await as('author1')

    const list = await author.get(paths.ruleChanges())
    assert.equal(list.statusCode, 200)
    assert.match(titleOf(list.body), /^Rule changes – /)
    const text = textOf(list.body)
    assert.ok(text.indexOf('Version draft-v2') < text.indexOf('Version old-v0'), 'newest first')
    assert.match(text, /10:30am on 2 March 2026/)
    assert.match(text, /Rita Author \(author1\), through ipic rules publish run by the account ops/)
    assert.match(text, /1 added, 0 withdrawn, 3 unchanged/)
    // Markup in the notes is text.
    assert.match(list.body, /Follow up &lt;b&gt;one&lt;\/b&gt; missed event/)
    assert.match(text, /Before publication records began \(first ran at 9:00am on 5 January 2026\)/)
    assert.match(list.body, new RegExp(`href="${paths.ruleChange('draft-v2')}"`))
    assert.doesNotMatch(list.body, new RegExp(`href="${paths.ruleChange('old-v0')}"`))

    const report = await author.get(paths.ruleChange('draft-v2'))
    assert.equal(report.statusCode, 200)
    const page = textOf(report.body)
    assert.match(page, /Compared with Rule set live-v1, the one the last rule run used/)
    assert.match(page, /The 4 persons present on 2 March 2026/)
    assert.match(page, /Failed-to-report follow-up 2 3 1 0 2/)
    // Everyone: 2 of 4 → 3 of 4. Women: 1 of 3 → 2 of 3, flagged, and 8.3 points above everyone's change.
    assert.match(
      page,
      /Everyone 2 of 4 \(50\.0%\) 3 of 4 \(75\.0%\) up 25\.0 points Changes by more than 5\.0 points/,
    )
    assert.match(
      page,
      /F 1 of 3 \(33\.3%\) 2 of 3 \(66\.7%\) up 33\.3 points 8\.3 points above Changes by more than 5\.0 points Differs from everyone by more than 5\.0 points/,
    )
    assert.match(report.body, /govuk-tag--red">\s*Changes by more than 5\.0 points/)
    // Men: unchanged while everyone's rate rises: apart from everyone, and a small group.
    assert.match(
      page,
      /M 1 of 1 \(100\.0%\) 1 of 1 \(100\.0%\) no change 25\.0 points below Differs from everyone by more than 5\.0 points Small group/,
    )
    assert.match(report.body, /govuk-tag--orange">\s*Differs from everyone by more than 5\.0 points/)
    assert.match(
      page,
      /recommendation rate would change by more than 5 points\. \d+ groups' change would differ/,
    )
  })

  it('links to the rule changes from the rules page only for those who may see them', async () => {
    await publishDraft('2026-03-02T10:30:00Z', 'Notes')
    const forAuthor = await (await as('author1')).get(paths.rules())
    assert.match(forAuthor.body, new RegExp(`href="${paths.ruleChanges()}"`))
    const forCaseworker = await (await as('cw1')).get(paths.rules())
    assert.doesNotMatch(forCaseworker.body, new RegExp(`href="${paths.ruleChanges()}"`))
    // The rules in force (rules/) are not published in this database: the page says they do not run.
    assert.match(textOf(forCaseworker.body), /has not been published, so it does not run/)
  })

  it('answers page not found for a version with no report, unknown or malformed', async () => {
    await sql`insert into rule_set_publications (version, basis, published_at)
      values ('old-v0', 'before-records', '2026-01-05T09:00:00Z')`.execute(database.db)
    const author = await as('author1')
    for (const version of ['old-v0', 'never-published', 'bad version!', 'x'.repeat(65)]) {
      const response = await author.get(paths.ruleChange(version))
      assert.equal(response.statusCode, 404, version)
    }
    const empty = await author.get(paths.ruleChanges())
    assert.doesNotMatch(textOf(empty.body), /View impact report/)
  })

  it('refuses a caseworker', async () => {
    const response = await (await as('cw1')).get(paths.ruleChanges())
    assert.equal(response.statusCode, 403)
  })
})
