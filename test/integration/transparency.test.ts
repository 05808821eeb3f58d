/**
 * The public transparency record over a generated caseload that the real
 * importer, rule run and decisions wrote: open without signing in, counts
 * and rules but nobody's data, and a reference file with gaps or problems
 * shown as such — on the page, in the files and by the command.
 */
import assert from 'node:assert/strict'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { writeExtract } from '../../src/cases/generate.ts'
import { importExtract } from '../../src/cases/import.ts'
import { runLiveRules } from '../../src/commands/rules-run.ts'
import { transparencyOutput } from '../../src/commands/transparency.ts'
import { loadConfig } from '../../src/config.ts'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import type { Logger } from '../../src/logger.ts'
import { recordContest } from '../../src/tasks/contests.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { serviceFacts } from '../../src/transparency/service-facts.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { runIpic } from '../support/ipic-command.ts'
import { publishRulesIn } from '../support/publication.ts'
import { FIXTURE_TODAY, manualClock } from '../support/tasks.ts'
import { startTestApp, type TestApp } from '../support/web.ts'

const PERSONS = 150
const DECIDER = { id: 'cw.transparency', name: 'Dana Decider', regions: { all: true as const } }

describe('the public transparency record', () => {
  let database: TestDatabase
  let scratch: string
  let referenceDir: string
  let demoFile: string
  let web: TestApp
  const clock = manualClock()

  before(async () => {
    database = await openTestDatabase()
    scratch = await mkdtemp(join(tmpdir(), 'ipic-transparency-'))
    referenceDir = join(scratch, 'reference')
    await cp(REFERENCE_DIR, referenceDir, { recursive: true })
    demoFile = await readFile(join(REFERENCE_DIR, 'transparency.yaml'), 'utf8')
    const reference = await readReferenceData(REFERENCE_DIR)
    const file = join(scratch, 'extract.ndjson')
    await writeExtract(file, { persons: PERSONS, seed: 5, today: FIXTURE_TODAY as IsoDate, reference })
    await importExtract(database, { file, full: false, clock, reference })
    await publishRulesIn(database.db, RULES_DIR)
    await runLiveRules(
      {
        config: loadConfig({ IPIC_RULES_DIR: RULES_DIR, LOG_LEVEL: 'silent' }),
        clock,
        database,
        reference,
        logger: pino({ level: 'silent' }) as unknown as Logger,
      },
      'manual',
    )
    await database.db
      .insertInto('users')
      .values({
        id: DECIDER.id,
        name: DECIDER.name,
        roles: ['CASEWORKER'],
        all_regions: true,
        password_hash: null,
      })
      .execute()
    const tasks = await database.db
      .selectFrom('tasks')
      .select(['id', 'version'])
      .orderBy('id')
      .limit(3)
      .execute()
    const decisions = [
      { status: 'ACCEPTED', checksConfirmed: true },
      { status: 'ACCEPTED', checksConfirmed: true },
      { status: 'REJECTED', reasons: ['FAMILY_CHILD'], details: 'Cares for a child.', checksConfirmed: true },
    ] as const
    for (const [i, task] of tasks.entries()) {
      clock.advance(60_000)
      const decided = await decideTask(database.db, {
        taskId: task.id,
        expectedVersion: task.version,
        decision: decisions[i] as (typeof decisions)[number],
        user: DECIDER,
        clock,
      })
      assert.equal(decided.kind, 'decided')
    }
    const rejected = tasks[2]
    assert.ok(rejected)
    const contest = await recordContest(database.db, {
      taskId: rejected.id,
      contest: {
        receivedOn: { day: '2', month: '3', year: '2026' },
        channel: 'LETTER',
        madeBy: 'REPRESENTATIVE',
        summary: 'The family circumstances have changed.',
        assignTo: '',
      },
      user: DECIDER,
      clock,
    })
    assert.equal(contest.kind, 'recorded')
    web = await startTestApp(database, { clock, env: { IPIC_REFERENCE_DIR: referenceDir } })
  })
  after(async () => {
    await web?.close()
    await database?.close()
    await rm(scratch, { recursive: true, force: true })
  })

  const get = (url: string) => web.app.inject({ method: 'GET', url })
  const useFile = (text: string) => writeFile(join(referenceDir, 'transparency.yaml'), text)

  it('is open to anyone, from every page’s footer, with the rules and the service’s own figures', async () => {
    await useFile(demoFile)
    const page = await get(paths.transparency())
    assert.equal(page.statusCode, 200)
    assert.match(
      page.body,
      /<h1 class="govuk-heading-l">Identify and prioritise immigration cases \(IPIC\)<\/h1>/,
    )
    assert.match(page.body, /Model specification: Safeguarding referral/)
    assert.match(page.body, /Recommendations and decisions each month/)
    assert.doesNotMatch(page.body, /N\/A|not complete/)
    const signIn = await get(paths.signIn())
    assert.match(signIn.body, /href="\/transparency"[^>]*>\s*Algorithmic transparency record\s*</)
  })

  it('counts the decisions people made, by rule and version', async () => {
    const facts = await serviceFacts(database.db, clock.now())
    const totals = facts.rates.reduce((sum, r) => ({ a: sum.a + r.accepted, r: sum.r + r.rejected }), {
      a: 0,
      r: 0,
    })
    assert.deepEqual(totals, { a: 2, r: 1 })
    assert.equal(facts.personsHeld, PERSONS)
    assert.deepEqual(
      facts.contests.map((c) => [c.received, c.open, c.upheld, c.changed, c.medianDaysToOutcome]),
      [[1, 1, 0, 0, null]],
    )
    const json = JSON.parse((await get(paths.transparencyFile('json'))).body)
    assert.match(json.fields.human_decisions_and_review, /\| Share accepted \|/)
    assert.equal(json.models.length, 9)
    assert.match(json.fields.appeals_and_review, /One representation or contest has been recorded/)
  })

  it('names nobody: no person’s ID, reference, name or date of birth, and no user', async () => {
    await useFile(demoFile)
    const persons = await database.db
      .selectFrom('persons')
      .select(['person_id', 'home_office_reference', 'given_names', 'family_name', 'date_of_birth'])
      .execute()
    assert.equal(persons.length, PERSONS)
    const published = [
      (await get(paths.transparency())).body,
      (await get(paths.transparencyFile('json'))).body,
      (await get(paths.transparencyFile('md'))).body,
    ].join('\n')
    const leaks = persons.flatMap((p) =>
      [
        p.person_id,
        p.home_office_reference,
        `${p.given_names} ${p.family_name}`,
        String(p.date_of_birth),
      ].filter((value) => published.includes(value)),
    )
    assert.deepEqual(leaks, [])
    assert.ok(!published.includes(DECIDER.id) && !published.includes(DECIDER.name))
  })

  it('lists the fields still to be provided, without "N/A"', async () => {
    await useFile(demoFile.replace(/^senior_responsible_owner:.*$/m, 'senior_responsible_owner: ""'))
    const page = await get(paths.transparency())
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /This record is not complete/)
    assert.match(page.body, /<li>Senior responsible owner \(2\.1\.3\)<\/li>/)
    assert.doesNotMatch(page.body, /N\/A/)
    const json = JSON.parse((await get(paths.transparencyFile('json'))).body)
    assert.deepEqual(json.missing, ['senior_responsible_owner'])
  })

  it('shows markup in the file as text', async () => {
    await useFile(demoFile.replace(/^team:.*$/m, 'team: "<script>alert(1)</script><b>Team</b>"'))
    const page = await get(paths.transparency())
    assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;Team&lt;/b&gt;'))
    assert.ok(!page.body.includes('<script>alert'))
  })

  it('is unavailable, not wrong, while the file has problems, which go to the log', async () => {
    await useFile(
      `${demoFile}\ncontact_email: nobody\nsenior_owner: Someone\n`.replace(/^contact_email: ipic.*$/m, ''),
    )
    for (const url of [paths.transparency(), paths.transparencyFile('json'), paths.transparencyFile('md')]) {
      const answer = await get(url)
      assert.equal(answer.statusCode, 503, url)
    }
    assert.match(
      (await get(paths.transparency())).body,
      /The transparency record is not available at the moment/,
    )
    const logged = web.logs.lines.find((line) => line.msg === 'the transparency reference file has problems')
    assert.match(
      JSON.stringify(logged?.problems),
      /contact_email: must be an email address.*senior_owner: the transparency record has no such field/,
    )
  })

  describe('ipic transparency', { skip: Boolean(process.env.DATABASE_URL) && 'covered on PGlite' }, () => {
    const ipic = (args: string[]) =>
      runIpic(['transparency', ...args], {
        IPIC_DATA_DIR: join(scratch, 'cli-data'),
        IPIC_REFERENCE_DIR: referenceDir,
        DATABASE_URL: '',
      })

    it('prints a record with gaps but exits 1 naming them', async () => {
      await useFile(demoFile.replace(/^senior_responsible_owner:.*$/m, ''))
      const gaps = await ipic(['--format', 'json'])
      assert.equal(gaps.code, 1)
      assert.equal(JSON.parse(gaps.stdout).fields.organisation_or_department, 'Home Office')
      assert.match(
        gaps.stderr,
        /not complete[\s\S]*senior_responsible_owner \(2\.1\.3 Senior responsible owner\)/,
      )
    })
  })

  it('prints a complete record and exits 0; HTML keeps the file’s markup as text; problems replace the record', async () => {
    await useFile(demoFile)
    const file = join(referenceDir, 'transparency.yaml')
    const complete = transparencyOutput(await web.services.transparency.record(), 'markdown', { file })
    assert.equal(complete.exitCode, 0)
    assert.equal(complete.stderr, '')
    assert.match(complete.stdout, /^# Identify and prioritise/)
    await useFile(demoFile.replace(/^team:.*$/m, 'team: "<i>Team</i>"'))
    const html = transparencyOutput(await web.services.transparency.record(), 'html', { file })
    assert.equal(html.exitCode, 0)
    assert.match(html.stdout, /^<!DOCTYPE html>/)
    assert.ok(html.stdout.includes('&lt;i&gt;Team&lt;/i&gt;') && !html.stdout.includes('<i>Team'))
    await useFile('team: [1, 2]\n')
    const broken = transparencyOutput(await web.services.transparency.record(), 'markdown', { file })
    assert.deepEqual(broken, {
      stdout: '',
      stderr: `${file} has problems:\n  team: must be text\n`,
      exitCode: 1,
    })
  })
})
