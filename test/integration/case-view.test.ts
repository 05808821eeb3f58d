import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { CLAIM_MINUTES } from '../../src/review/claims.ts'
import { CASE_SECTIONS } from '../../src/web/case/sections.ts'
import { paths } from '../../src/web/paths.ts'
import { runStandInRules, seedLseAndMeeTasks } from '../support/case-tasks.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { changePerson, type ManualClock, manualClock } from '../support/tasks.ts'
import { addTestUser, signedInClient, startTestApp, type TestApp, textOf, titleOf } from '../support/web.ts'

const MINUTE = 60_000

describe('the case view', () => {
  let database: TestDatabase
  let web: TestApp
  let clock: ManualClock
  let lseTask: number
  let meeTask: number

  before(async () => {
    database = await openTestDatabase()
    clock = manualClock()
    web = await startTestApp(database, { clock })
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })

  beforeEach(async () => {
    await database.reset()
    clock.set(new Date('2026-03-02T09:00:00Z'))
    await addTestUser(database, { id: 'cw1', name: 'Casey Worker', regions: ['LSE'] })
    await addTestUser(database, { id: 'cw2', name: 'Sam Other', regions: ['LSE'] })
    await addTestUser(database, { id: 'mee', name: 'Mo East', regions: ['MEE'] })
    await addTestUser(database, { id: 'analyst', name: 'Ann Alyst', roles: ['MI_ANALYST'], regions: ['LSE'] })
    ;({ lseTask, meeTask } = await seedLseAndMeeTasks(database.db, clock))
    clock.advance(MINUTE)
  })

  const signedIn = (userId: string) => signedInClient(web.app, userId)

  async function count(table: 'case_openings' | 'task_events'): Promise<number> {
    const rows = await database.db.selectFrom(table).select('id').execute()
    return rows.length
  }

  /** Pages of a case audited as seen (signing in is audited too, and not counted here). */
  async function casePagesSeen(): Promise<number> {
    const rows = await database.db
      .selectFrom('audit_events')
      .select('id')
      .where('kind', '=', 'case-viewed')
      .execute()
    return rows.length
  }

  it('opens a task on its person details, keeping the way back to the results', async () => {
    const client = await signedIn('cw1')
    const back = '/review-tasks/LSE/recommended?taskType=FAILED_TO_REPORT&page=3'
    const response = await client.get(paths.task(lseTask, back))
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, paths.taskSection(lseTask, 'person-details', back))

    const page = await client.get(paths.taskSection(lseTask, 'person-details', back))
    assert.equal(page.statusCode, 200)
    assert.equal(
      titleOf(page.body),
      'Person details – Grace Okafor – Identify and prioritise immigration cases – GOV.UK',
    )
    const text = textOf(page.body)
    assert.match(text, /Back to recommended cases/)
    assert.ok(
      page.body.includes(`href="${back.replace(/&/g, '&amp;')}"`),
      'the back link goes to the same page of results',
    )
    assert.match(text, /Task type recommended Failed-to-report follow-up/)
    assert.match(text, /Home Office reference HO\/P1/)
    assert.match(text, /Full name Grace Okafor/)
    assert.match(text, /Date of birth 17 May 1990/)
    assert.match(text, /Gender Female/)
    assert.match(text, /Voluntary return declined on Not recorded/)
    assert.match(text, /You have this case open/)
    for (const label of ['Accept task', 'Reject task', 'Place on hold']) assert.match(text, new RegExp(label))
    // The sub-navigation marks the current section, and its links carry the way back.
    assert.match(
      page.body,
      new RegExp(
        `aria-current="page" href="${paths.taskSection(lseTask, 'person-details', back).replace(/[?&]/g, (c) => (c === '?' ? '\\?' : '&amp;'))}"`,
      ),
    )
  })

  it('shows every section on its own URL, and audits each page shown', async () => {
    const client = await signedIn('cw1')
    for (const section of CASE_SECTIONS) {
      const page = await client.get(paths.taskSection(lseTask, section.slug))
      assert.equal(page.statusCode, 200, section.slug)
      assert.equal(
        titleOf(page.body),
        `${section.title} – Grace Okafor – Identify and prioritise immigration cases – GOV.UK`,
      )
      assert.equal(
        (page.body.match(/aria-current="page"/g) ?? []).length,
        1,
        `${section.slug}: one current item`,
      )
    }
    const views = await database.db
      .selectFrom('audit_events')
      .select(['kind', 'user_id', 'task_id', 'person_id', 'details'])
      .where('kind', '=', 'case-viewed')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      views,
      CASE_SECTIONS.map((s) => ({
        kind: 'case-viewed',
        user_id: 'cw1',
        task_id: lseTask,
        person_id: 'P1',
        details: { section: s.slug },
      })),
    )
    assert.equal(await count('case_openings'), CASE_SECTIONS.length)
  })

  it('shows the sections’ content in words', async () => {
    const client = await signedIn('cw1')
    const reporting = textOf((await client.get(paths.taskSection(lseTask, 'reporting-details'))).body)
    assert.match(reporting, /Reporting frequency Monthly/)
    assert.match(reporting, /Next reporting dates 10 March 2026/)
    assert.match(reporting, /Missed reporting events in the last 90 days 2/)
    const barriers = textOf((await client.get(paths.taskSection(lseTask, 'barriers'))).body)
    assert.match(barriers, /No barriers are recorded\./)
    const why = textOf((await client.get(paths.taskSection(lseTask, 'why-recommended'))).body)
    assert.match(why, /Rule FAILED_TO_REPORT/)
    assert.match(why, /Rule set version stand-in-v1/)
    assert.match(why, /Person's data last changed 8:00am on 2 March 2026/)
    // A stand-in rule set has no files to derive an explanation from: said, never made up (why-recommended.test.ts).
    assert.match(why, /The explanation of this recommendation cannot be shown: rule set version stand-in-v1/)
    const history = textOf((await client.get(paths.taskSection(lseTask, 'history'))).body)
    assert.match(history, /Recommended by the rules 9:00am on 2 March 2026/)
  })

  it('shows each list of the record on its own section', async () => {
    const db = database.db
    await db
      .insertInto('barriers')
      .values({
        person_id: 'P1',
        position: 1,
        type: 'JUDICIAL_REVIEW',
        suspensive: true,
        raised_on: '2025-11-03',
        resolved_on: null,
        owning_team: 'Litigation Unit',
      })
      .execute()
    await db
      .insertInto('offences')
      .values({
        person_id: 'P1',
        position: 1,
        category: 'FRAUD',
        convicted_on: '2019-04-12',
        sentence_months: 8,
      })
      .execute()
    await db
      .insertInto('children')
      .values({ person_id: 'P1', position: 1, date_of_birth: '2017-09-01', british: true, lives_with: true })
      .execute()
    await db
      .insertInto('vulnerability_indicators')
      .values({
        person_id: 'P1',
        position: 1,
        type: 'TORTURE_VICTIM',
        identified_on: '2025-06-20',
        response_recorded: false,
      })
      .execute()
    await db
      .insertInto('referrals')
      .values({
        person_id: 'P1',
        position: 1,
        business_area: 'RETURNS_PREPARATION',
        referred_on: '2026-01-15',
      })
      .execute()
    const client = await signedIn('cw1')
    const expected = {
      barriers: /Judicial review Yes 3 November 2025 Not resolved Litigation Unit/,
      harm: /Fraud 12 April 2019 8/,
      'family-status': /1 September 2017 Yes Yes/,
      vulnerability: /Victim of torture 20 June 2025 No/,
      'person-details': /Returns Preparation 15 January 2026/,
    } as const
    for (const [section, pattern] of Object.entries(expected)) {
      const page = await client.get(paths.taskSection(lseTask, section as keyof typeof expected))
      assert.match(textOf(page.body), pattern, section)
    }
  })

  it('ignores a back link that would leave the service', async () => {
    const client = await signedIn('cw1')
    const page = await client.get(paths.taskSection(lseTask, 'harm', '//evil.example/phish'))
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, /evil\.example/)
    assert.ok(page.body.includes(`href="${paths.reviewTasks()}"`))
  })

  it('answers 404, and records nothing, for a task in another region, no task, or a malformed ID', async () => {
    const client = await signedIn('cw1')
    for (const url of [
      paths.taskSection(meeTask, 'person-details'),
      paths.taskSection(meeTask, 'history'),
      paths.task(meeTask),
      paths.taskSection(999_999, 'person-details'),
      '/tasks/abc/person-details',
      '/tasks/0/person-details',
      `/tasks/${lseTask}/no-such-section`,
      paths.taskDecision(meeTask, 'accept'),
      paths.taskDecided(meeTask, 'accept'),
    ]) {
      const response = await client.get(url)
      assert.equal(response.statusCode, 404, url)
      assert.match(response.body, /Page not found/, url)
    }
    assert.equal(await casePagesSeen(), 0)
    assert.equal(await count('case_openings'), 0)
    // The other region's caseworker sees it.
    const east = await signedIn('mee')
    assert.equal((await east.get(paths.taskSection(meeTask, 'person-details'))).statusCode, 200)
  })

  it('hides a task whose person has moved to a region the user may not see, and records nothing', async () => {
    await changePerson(database.db, 'P1', { rom_region: 'MEE', ice_region: 'MEE' }, clock.now())
    const client = await signedIn('cw1')
    for (const url of [paths.taskSection(lseTask, 'person-details'), paths.taskDecision(lseTask, 'accept')]) {
      assert.equal((await client.get(url)).statusCode, 404, url)
    }
    assert.equal(await casePagesSeen(), 0)
    assert.equal(await count('case_openings'), 0)
  })

  it('refuses users who do not review cases', async () => {
    const client = await signedIn('analyst')
    assert.equal((await client.get(paths.taskSection(lseTask, 'person-details'))).statusCode, 403)
    assert.equal(await casePagesSeen(), 0)
  })

  it('tells a second caseworker who has the case open, and lets them read it', async () => {
    const first = await signedIn('cw1')
    await first.get(paths.taskSection(lseTask, 'person-details'))
    clock.advance(5 * MINUTE)
    const second = await signedIn('cw2')
    const page = await second.get(paths.taskSection(lseTask, 'person-details'))
    assert.equal(page.statusCode, 200)
    assert.match(textOf(page.body), /Casey Worker has this case open \(since 9:01am on 2 March 2026\)/)
    assert.match(textOf(page.body), /Full name Grace Okafor/)
    // The first still holds it…
    assert.match(
      textOf((await first.get(paths.taskSection(lseTask, 'harm'))).body),
      /You have this case open/,
    )
    // …until they have been away long enough.
    clock.advance((CLAIM_MINUTES + 1) * MINUTE)
    const later = await second.get(paths.taskSection(lseTask, 'harm'))
    assert.match(textOf(later.body), /You have this case open/)
    const openings = await database.db.selectFrom('case_openings').select(['user_id']).orderBy('id').execute()
    assert.deepEqual(
      openings.map((o) => o.user_id),
      ['cw1', 'cw2', 'cw1', 'cw2'],
    )
  })

  it('releases the case once it is decided', async () => {
    const first = await signedIn('cw1')
    const form = await first.get(paths.taskDecision(lseTask, 'accept'))
    clock.advance(MINUTE)
    await first.post(paths.taskDecision(lseTask, 'accept'), {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '',
      version: '1',
      checksConfirmed: 'yes',
    })
    clock.advance(MINUTE)
    const second = await signedIn('cw2')
    const page = textOf((await second.get(paths.taskSection(lseTask, 'person-details'))).body)
    assert.match(page, /You have this case open/)
    assert.match(page, /Accepted by Casey Worker at 9:02am on 2 March 2026\. You can change this decision\./)
    assert.doesNotMatch(page, /Accept task/)
    assert.match(page, /Reject task/)
  })

  it('shows a withdrawn task with nothing to decide', async () => {
    await changePerson(database.db, 'P1', { missed_events_90_days: 0 }, clock.now())
    await runStandInRules(database.db, clock)
    const client = await signedIn('cw1')
    const page = textOf((await client.get(paths.taskSection(lseTask, 'history'))).body)
    assert.match(
      page,
      /The rules withdrew this recommendation at 9:01am on 2 March 2026: there is nothing to decide\./,
    )
    assert.doesNotMatch(page, /Accept task|Reject task|Place on hold/)
    assert.match(page, /Withdrawn by the rules/)
  })
})
