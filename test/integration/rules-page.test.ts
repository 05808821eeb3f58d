import assert from 'node:assert/strict'
import { appendFile, cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { describeRule } from '../../src/rules/explanation.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import type { RuleSet } from '../../src/rules/model.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { addTestUser, startTestApp, type TestApp, titleOf, WebClient } from '../support/web.ts'

/** What Nunjucks' autoescape makes of a text. */
function escaped(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

describe('rules page', () => {
  let database: TestDatabase
  let web: TestApp
  let ruleSet: RuleSet
  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { env: { IPIC_RULES_DIR: RULES_DIR } })
    const taskTypes = await database.db.selectFrom('task_types').select(['code', 'enforcement']).execute()
    ruleSet = await loadRuleSet(RULES_DIR, {
      taskTypes: new Map(taskTypes.map((t) => [t.code, { enforcement: t.enforcement }])),
    })
  })
  after(async () => {
    await web.close()
    await database.close()
  })
  beforeEach(() => database.reset())

  async function signedIn(): Promise<WebClient> {
    await addTestUser(database, { id: 'cw1', regions: ['NW'] })
    const client = new WebClient(web.app)
    await client.signIn('cw1')
    return client
  }

  it('needs a signed-in user', async () => {
    const response = await new WebClient(web.app).get(paths.rules())
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, paths.signIn(paths.rules()))
  })

  it('shows every task type, and each rule’s safeguards, conditions and priority in plain English', async () => {
    const client = await signedIn()
    const response = await client.get(paths.rules())
    assert.equal(response.statusCode, 200)
    const html = response.body
    assert.match(titleOf(html), /^Business rules – /)
    assert.ok(html.includes(ruleSet.version), 'the rule-set version')
    const taskTypes = await database.db
      .selectFrom('task_types')
      .select(['code', 'name'])
      .where('active', '=', true)
      .execute()
    for (const taskType of taskTypes) assert.ok(html.includes(escaped(taskType.name)), taskType.name)
    assert.ok(ruleSet.rules.length > 0)
    for (const rule of ruleSet.rules) {
      const described = describeRule(rule)
      for (const line of [...described.safeguards, ...described.eligibility, ...described.priority]) {
        assert.ok(html.includes(escaped(line.text)), `${rule.code}: ${line.text}`)
      }
    }
    assert.match(html, /The rules have not run yet\./)
    // Available from every page, once signed in.
    assert.ok(html.includes(`href="${paths.rules()}"`))
  })

  it('shows the last run with its counts per task type and region', async () => {
    const client = await signedIn()
    const code = ruleSet.rules[0]!.code
    await database.db
      .insertInto('rule_sets')
      .values({ version: ruleSet.version, loaded_at: new Date('2018-07-25T08:00:00Z'), files: '[]' })
      .execute()
    await database.db
      .insertInto('rule_runs')
      .values({
        rule_set_version: ruleSet.version,
        trigger: 'import',
        started_at: new Date('2018-07-25T08:00:00Z'),
        finished_at: new Date('2018-07-25T08:00:04Z'),
        status: 'COMPLETED',
        persons_evaluated: 123456,
        counts: JSON.stringify([
          { taskType: code, romRegion: 'NW', new: 1234, unchanged: 56, withdrawn: 7, suppressed: 8 },
        ]),
      })
      .execute()
    const html = (await client.get(paths.rules())).body
    assert.match(html, /9:00am on 25 July 2018/)
    assert.match(html, /After an import/)
    assert.match(html, /123,456/)
    assert.match(
      html,
      /North West<\/t[hd]>\s*<td[^>]*>\s*1,234\s*<\/td>\s*<td[^>]*>\s*56\s*<\/td>\s*<td[^>]*>\s*7\s*<\/td>\s*<td[^>]*>\s*8\s*<\/td>/,
    )
    assert.doesNotMatch(html, /The rules have not run yet/)
  })

  it('lists the problems when the rule set in force cannot be loaded', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'ipic-broken-rules-'))
    await writeFile(join(broken, 'NOT_A_TASK.yaml'), 'code: [unclosed\n')
    const brokenWeb = await startTestApp(database, { env: { IPIC_RULES_DIR: broken } })
    try {
      await addTestUser(database, { id: 'cw2' })
      const client = new WebClient(brokenWeb.app)
      await client.signIn('cw2')
      const response = await client.get(paths.rules())
      assert.equal(response.statusCode, 200)
      assert.match(response.body, /The rule set in force cannot be loaded/)
      assert.match(response.body, /NOT_A_TASK\.yaml/)
      assert.equal((await brokenWeb.app.inject({ url: paths.info() })).json().ruleSetVersion, null)
    } finally {
      await brokenWeb.close()
      await rm(broken, { recursive: true, force: true })
    }
  })

  it('shows the rule set loaded at start, the one /info names, even after its files change', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'ipic-live-rules-'))
    await cp(RULES_DIR, copy, { recursive: true })
    const liveWeb = await startTestApp(database, { env: { IPIC_RULES_DIR: copy } })
    try {
      await addTestUser(database, { id: 'cw3' })
      const client = new WebClient(liveWeb.app)
      await client.signIn('cw3')
      const [first] = (await readdir(copy)).filter((name) => name.endsWith('.yaml'))
      await appendFile(join(copy, first!), '# an edit after the start\n')
      const html = (await client.get(paths.rules())).body
      assert.ok(html.includes(ruleSet.version))
      assert.equal((await liveWeb.app.inject({ url: paths.info() })).json().ruleSetVersion, ruleSet.version)
    } finally {
      await liveWeb.close()
      await rm(copy, { recursive: true, force: true })
    }
  })
})
