/**
 * Publishing a rule set: the checks that refuse it (notes, publisher, the
 * rule tests), what is stored (report, notes, who, when, files), that a
 * version is published once, that a run refuses what is not published and
 * takes what is, and that versions which ran before the records began are
 * recorded as such by the migration.
 */
import assert from 'node:assert/strict'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { type Kysely, sql } from 'kysely'
import { pino } from 'pino'
import { writeExtract } from '../../src/cases/generate.ts'
import { importExtract } from '../../src/cases/import.ts'
import { UserFacingError } from '../../src/commands/errors.ts'
import { runLiveRules } from '../../src/commands/rules-run.ts'
import { loadConfig } from '../../src/config.ts'
import type { IsoDate } from '../../src/dates.ts'
import * as rulePublication from '../../src/db/migrations/0018-rule-publication.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import type { Logger } from '../../src/logger.ts'
import { ruleTaskTypes } from '../../src/rules/live-rules.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import type { RuleSet } from '../../src/rules/model.ts'
import { findPublication, listPublications } from '../../src/rules/publication.ts'
import { type PublishInput, publishRuleSet } from '../../src/rules/publish.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { FIXTURE_TODAY, manualClock } from '../support/tasks.ts'
import { addTestUser } from '../support/web.ts'

const SETTINGS = { marginPoints: 5, smallGroup: 30 }

describe('publishing a rule set', () => {
  let database: TestDatabase
  let scratch: string
  let live: RuleSet
  let failing: RuleSet
  let renamed: RuleSet
  const reference = readReferenceData(REFERENCE_DIR)

  before(async () => {
    database = await openTestDatabase()
    scratch = await mkdtemp(join(tmpdir(), 'ipic-rules-publish-'))
    const taskTypes = ruleTaskTypes(await reference)
    live = await loadRuleSet(RULES_DIR, { taskTypes })
    // The same rules with one test case expecting the opposite of what the rule does.
    const failingDir = join(scratch, 'failing')
    await cp(RULES_DIR, failingDir, { recursive: true })
    const file = join(failingDir, 'FAILED_TO_REPORT.yaml')
    const text = await readFile(file, 'utf8')
    const flipped = text.replace(
      '- name: One missed event with unknown whereabouts is followed up\n      expect: recommended',
      '- name: One missed event with unknown whereabouts is followed up\n      expect: not recommended\n      decidedBy: missedLastEvent',
    )
    assert.notEqual(flipped, text)
    await writeFile(file, flipped)
    failing = await loadRuleSet(failingDir, { taskTypes })
    // The same rules with a test case renamed: another version that recommends the same.
    const rewordedDir = join(scratch, 'reworded')
    await cp(RULES_DIR, rewordedDir, { recursive: true })
    const reworded = text.replace('is followed up\n', 'is followed up by the team\n')
    assert.notEqual(reworded, text)
    await writeFile(join(rewordedDir, 'FAILED_TO_REPORT.yaml'), reworded)
    renamed = await loadRuleSet(rewordedDir, { taskTypes })
  })
  beforeEach(async () => {
    await database.reset()
    const file = join(scratch, 'extract.ndjson')
    const clock = manualClock()
    await writeExtract(file, {
      persons: 200,
      seed: 3,
      today: FIXTURE_TODAY as IsoDate,
      reference: await reference,
    })
    await importExtract(database, { file, full: false, clock, reference: await reference })
    await addTestUser(database, {
      id: 'author1',
      name: 'Rita Author',
      roles: ['RULE_AUTHOR'],
      regions: ['LSE'],
    })
    await addTestUser(database, { id: 'cw1', name: 'Casey Worker', roles: ['CASEWORKER'], regions: ['LSE'] })
  })
  after(async () => {
    await database.close()
    await rm(scratch, { recursive: true, force: true })
  })

  const publish = (input: Partial<PublishInput> = {}) =>
    publishRuleSet(database.db, {
      ruleSet: live,
      notes: 'The rules we start with.',
      by: 'author1',
      from: 'operator',
      clock: manualClock(),
      settings: SETTINGS,
      ...input,
    })
  const stored = () => database.db.selectFrom('rule_set_publications').selectAll().execute()
  const runtime = async () => ({
    config: loadConfig({ IPIC_RULES_DIR: RULES_DIR, LOG_LEVEL: 'silent' }),
    clock: manualClock(),
    database,
    reference: await reference,
    logger: pino({ level: 'silent' }) as unknown as Logger,
  })

  it('stores the version with its impact report, notes, who and when; then it runs', async () => {
    // Refused before it is published, naming the commands to see and publish it.
    await assert.rejects(
      runLiveRules(await runtime(), 'manual'),
      (error: unknown) =>
        error instanceof UserFacingError &&
        error.message.startsWith(`rule set ${live.version} has not been published, so it does not run`) &&
        error.message.includes(`ipic rules publish ${RULES_DIR} --notes`),
    )
    const outcome = await publish({ notes: '  The rules we start with.  ' })
    assert.equal(outcome.kind, 'published')
    if (outcome.kind !== 'published') return
    const { publication } = outcome
    assert.equal(publication.version, live.version)
    assert.equal(publication.notes, 'The rules we start with.')
    assert.deepEqual(publication.publishedBy, { id: 'author1', name: 'Rita Author' })
    assert.equal(publication.publishedFrom, 'operator')
    // No run yet: compared with nothing, every match is added.
    assert.equal(publication.impact.liveVersion, null)
    assert.equal(publication.impact.persons, 200)
    assert.ok(publication.impact.totals.added > 0)
    assert.equal(publication.impact.totals.added, publication.impact.totals.draft)
    assert.ok(publication.impact.equality.some((t) => t.dimension === 'ageBand' && t.taskType === null))

    const [row] = await stored()
    assert.equal(row?.basis, 'published')
    assert.deepEqual(
      row?.files?.map((f) => f.name),
      live.files.map((f) => f.name),
    )
    // In the audit trail, in the same transaction, naming the user it was published for.
    const audited = await database.db
      .selectFrom('audit_events')
      .select(['user_id', 'details'])
      .where('kind', '=', 'rule-set-published')
      .execute()
    assert.deepEqual(
      audited.map((e) => [e.user_id, e.details]),
      [['author1', { version: live.version, publishedFrom: 'operator' }]],
    )
    const summary = await runLiveRules(await runtime(), 'manual')
    assert.equal(summary.ruleSetVersion, live.version)
    assert.equal(summary.totals.new, publication.impact.totals.draft)

    const listed = await listPublications(database.db)
    assert.equal(listed.length, 1)
    assert.equal(listed[0]?.basis === 'published' && listed[0].added, publication.impact.totals.added)
  })

  it('publishes a version once: a second time says when and by whom, and stores nothing', async () => {
    assert.equal((await publish()).kind, 'published')
    const again = await publish({ notes: 'Other notes', by: undefined })
    assert.equal(again.kind, 'already')
    assert.equal(
      again.kind === 'already' && again.publication.basis === 'published' && again.publication.notes,
      'The rules we start with.',
    )
    assert.equal((await stored()).length, 1)
    const audited = await database.db
      .selectFrom('audit_events')
      .select('id')
      .where('kind', '=', 'rule-set-published')
      .execute()
    assert.equal(audited.length, 1, 'published once, audited once')
  })

  it('compares with the rule set of the last run', async () => {
    assert.equal((await publish()).kind, 'published')
    await runLiveRules(await runtime(), 'manual')
    const outcome = await publish({ ruleSet: renamed, notes: 'Same rules, new wording' })
    assert.equal(outcome.kind, 'published')
    if (outcome.kind !== 'published') return
    assert.equal(outcome.publication.impact.liveVersion, live.version)
    assert.equal(outcome.publication.impact.totals.added, 0)
    assert.equal(outcome.publication.impact.totals.removed, 0)
    assert.equal(outcome.publication.impact.flagged, 0)
  })

  it('refuses, storing nothing, without notes, with bad notes, or for someone who is not a rule author', async () => {
    const refusals: [Partial<PublishInput>, RegExp][] = [
      [{ notes: undefined }, /^change notes are required/],
      [{ notes: '   ' }, /^change notes are required/],
      [{ notes: 'x'.repeat(2001) }, /at most 2000 are kept/],
      [{ notes: 'Bad\u0000notes' }, /control characters/],
      [{ by: 'nobody' }, /^there is no user nobody/],
      [{ by: 'cw1' }, /^user cw1 is not a rule author/],
    ]
    for (const [input, message] of refusals) {
      const outcome = await publish(input)
      assert.equal(outcome.kind, 'refused', String(message))
      assert.match(outcome.kind === 'refused' ? (outcome.problems[0] ?? '') : '', message)
    }
    assert.deepEqual(await stored(), [])
  })

  it('refuses a rule set whose own tests fail, naming each failure, and stores nothing', async () => {
    const outcome = await publish({ ruleSet: failing })
    assert.equal(outcome.kind, 'refused')
    if (outcome.kind !== 'refused') return
    assert.deepEqual(outcome.problems, ['1 rule test case failed'])
    assert.deepEqual(
      outcome.failedTests.map((t) => [t.rule, t.name]),
      [['FAILED_TO_REPORT', 'One missed event with unknown whereabouts is followed up']],
    )
    assert.deepEqual(await stored(), [])
    assert.equal(await findPublication(database.db, failing.version), undefined)
  })

  it('keeps a publication as it was: no change, no deletion', async () => {
    assert.equal((await publish()).kind, 'published')
    await assert.rejects(
      sql`update rule_set_publications set notes = 'rewritten'`.execute(database.db),
      /never changed or deleted/,
    )
    await assert.rejects(
      sql`delete from rule_set_publications`.execute(database.db),
      /never changed or deleted/,
    )
    await assert.rejects(
      sql`insert into rule_set_publications (version, basis, published_at) values ('x', 'published', now())`.execute(
        database.db,
      ),
      /check/,
    )
  })

  it('records the versions that ran before publication began as such (the migration)', async () => {
    // The migration as it runs on a database that has run two versions.
    await rulePublication.down(database.db as Kysely<unknown>)
    await database.db
      .insertInto('rule_sets')
      .values([
        { version: 'old-1', loaded_at: new Date('2026-01-05T09:00:00Z'), files: '[]' },
        { version: 'old-2', loaded_at: new Date('2026-02-05T09:00:00Z'), files: '[]' },
      ])
      .execute()
    await rulePublication.up(database.db as Kysely<unknown>)
    const rows = await stored()
    assert.deepEqual(
      rows.map((r) => [r.version, r.basis, new Date(r.published_at).toISOString(), r.notes, r.impact]),
      [
        ['old-1', 'before-records', '2026-01-05T09:00:00.000Z', null, null],
        ['old-2', 'before-records', '2026-02-05T09:00:00.000Z', null, null],
      ],
    )
    assert.deepEqual(
      (await listPublications(database.db)).map((p) => [p.version, p.basis]),
      [
        ['old-2', 'before-records'],
        ['old-1', 'before-records'],
      ],
    )
  })
})
