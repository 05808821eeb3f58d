/**
 * The person facts table the rules read (docs/decisions/0024-person-facts.md):
 * after every kind of import change, each person's row equals a fresh
 * computation from persons and their lists; `ipic rules facts --check`
 * finds a row edited by hand and `--rebuild` mends it; a rule run does not
 * start while a rebuild holds its lock.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { sql } from 'kysely'
import pg from 'pg'
import { factsCheckOutput } from '../../src/commands/rules-facts.ts'
import { FACTS_REBUILD_LOCK_KEY } from '../../src/db/facts-lock.ts'
import {
  FACT_COLUMNS,
  factsDifferences,
  MISSING_FACTS_ROW,
  MISSING_PERSON_ROW,
  rebuildAllFacts,
} from '../../src/db/person-facts.ts'
import { runCompiledRules } from '../../src/tasks/rule-run.ts'
import { FactsRebuildingError } from '../../src/tasks/run-lock.ts'
import { type EditableRecord, validCaseRecord } from '../support/case-record.ts'
import { testDatabaseUrl } from '../support/database.ts'
import { checkProperty } from '../support/hostile-values.ts'
import { currentDatabaseUrl, importTestHarness, record } from '../support/import-harness.ts'
import { runIpic } from '../support/ipic-command.ts'
import { publishForTest } from '../support/publication.ts'
import { manualClock, standInRuleSet } from '../support/tasks.ts'

const POOL = ['P01', 'P02', 'P03', 'P04', 'P05'] as const

const pad = (n: number) => String(n).padStart(2, '0')
const isoDate = (fromYear: number, toYear: number) =>
  fc
    .tuple(
      fc.integer({ min: fromYear, max: toYear }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
    )
    .map(([year, month, day]) => `${year}-${pad(month)}-${pad(day)}`)

const barrier = fc.record({
  type: fc.constantFrom('ASYLUM_CLAIM', 'APPEAL', 'JUDICIAL_REVIEW', 'FURTHER_SUBMISSIONS', 'INJUNCTION'),
  suspensive: fc.boolean(),
  raisedOn: isoDate(2018, 2024),
  resolvedOn: fc.option(isoDate(2025, 2025), { nil: null }),
  owningTeam: fc.constantFrom('Litigation Unit', "O'Brien's team", 'Further Submissions Unit'),
})
const offence = fc.record({
  category: fc.constantFrom('VIOLENCE', 'THEFT', 'IMMIGRATION', 'DRUGS'),
  convictedOn: isoDate(2010, 2025),
  sentenceMonths: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }),
})
const child = fc.record({
  dateOfBirth: isoDate(2010, 2024),
  british: fc.boolean(),
  livesWith: fc.boolean(),
})
const indicator = fc.record({
  type: fc.constantFrom('MENTAL_HEALTH', 'PHYSICAL_HEALTH', 'DISABILITY'),
  identifiedOn: isoDate(2020, 2025),
  responseRecorded: fc.boolean(),
})
const referral = fc.record({
  businessArea: fc.constantFrom('RETURNS_PREPARATION', 'CRIMINAL_CASEWORK', 'SAFEGUARDING_HUB'),
  referredOn: isoDate(2020, 2025),
})

/** One version of a person's record: fields the rules read and every list, each with 0 to 3 items. */
const version = fc.record({
  missed: fc.integer({ min: 0, max: 6 }),
  harmLevel: fc.constantFrom('NONE', 'LOW', 'MEDIUM', 'HIGH'),
  selfHarmRisk: fc.boolean(),
  adultAtRiskLevel: fc.integer({ min: 0, max: 3 }),
  barriers: fc.array(barrier, { maxLength: 3 }),
  offences: fc.array(offence, { maxLength: 3 }),
  children: fc.array(child, { maxLength: 3 }),
  indicators: fc.array(indicator, { maxLength: 3 }),
  referrals: fc.array(referral, { maxLength: 3 }),
})
type Version = typeof version extends fc.Arbitrary<infer V> ? V : never

function recordOf(personId: string, v: Version) {
  return record(personId, (r: EditableRecord) => {
    r.reporting.missedEvents90Days = v.missed
    r.harm.harmLevel = v.harmLevel
    r.vulnerability.selfHarmRisk = v.selfHarmRisk
    r.vulnerability.adultAtRiskLevel = v.adultAtRiskLevel
    r.barriers = v.barriers
    r.harm.offences = v.offences
    r.family.children = v.children
    r.vulnerability.indicators = v.indicators
    r.referrals = v.referrals
  })
}

/**
 * One import: which persons of the pool it holds, each unchanged (the
 * version it had) or given a new version, and whether it is a full extract
 * (which marks the persons it leaves out absent).
 */
const importStep = fc.record({
  full: fc.boolean(),
  persons: fc.array(
    fc.record({ person: fc.constantFrom(...POOL), change: fc.option(version, { nil: undefined }) }),
    { minLength: 1, maxLength: 5 },
  ),
})

type ImportStep = typeof importStep extends fc.Arbitrary<infer S> ? S : never

describe('person facts', () => {
  const h = importTestHarness()

  /** Imports one step; `held` is each person's latest version, which an unchanged line repeats. */
  async function importStepOf(step: ImportStep, held: Map<string, Version | undefined>, n: number) {
    const seen = new Set<string>()
    const lines = []
    for (const { person, change } of step.persons) {
      if (seen.has(person)) continue
      seen.add(person)
      if (change) held.set(person, change)
      const current = held.get(person)
      lines.push(current ? recordOf(person, current) : validCaseRecord(person))
    }
    h.time.moveTo(`2026-03-02T${pad(10 + n)}:00:00Z`)
    const summary = await h.run(await h.extract(`step-${n}.ndjson`, lines), {
      full: step.full,
      absenceLimit: { maxPercent: 100, allowMore: true },
    })
    assert.equal(summary.rejected, 0, `step ${n}: ${summary.rejectsFile}`)
  }

  it('keeps every row equal to a fresh computation through new, changed, returning and absent persons', async () => {
    await checkProperty(
      'facts follow imports',
      fc.asyncProperty(fc.array(importStep, { minLength: 1, maxLength: 4 }), async (steps) => {
        await h.database.reset()
        const held = new Map<string, Version | undefined>()
        for (const [n, step] of steps.entries()) {
          await importStepOf(step, held, n)
          assert.deepEqual(await factsDifferences(h.database.db), [], `after import ${n + 1}`)
        }
        // What the importer kept is exactly what a rebuild writes.
        const kept = await factsRows()
        await rebuildAllFacts(h.database.db)
        assert.deepEqual(await factsRows(), kept)
      }),
      12,
    )
  })

  async function factsRows(): Promise<unknown[]> {
    const { rows } = await sql`select * from person_facts order by person_id`.execute(h.database.db)
    return rows
  }

  it('sorts each list by its date and counts its items', async () => {
    await h.run(
      await h.extract('lists.ndjson', [
        record('P01', (r) => {
          r.barriers = [
            { type: 'APPEAL', suspensive: true, raisedOn: '2024-05-01', resolvedOn: null, owningTeam: 'B' },
            {
              type: 'INJUNCTION',
              suspensive: false,
              raisedOn: '2019-01-02',
              resolvedOn: '2020-01-01',
              owningTeam: 'A',
            },
          ]
          r.referrals = []
        }),
      ]),
    )
    const { rows } = await sql<Record<string, unknown>>`
      select barriers_count, barriers_type, barriers_raised_on::text[] as raised, barriers_resolved_on::text[] as resolved,
        referrals_count, referrals_business_area
      from person_facts where person_id = 'P01'`.execute(h.database.db)
    assert.deepEqual(rows[0], {
      barriers_count: 2,
      barriers_type: ['INJUNCTION', 'APPEAL'],
      raised: ['2019-01-02', '2024-05-01'],
      resolved: ['2020-01-01', null],
      referrals_count: 0,
      referrals_business_area: null,
    })
  })

  it('has the columns the definition names, in its order', async () => {
    const { rows } = await sql<{ name: string }>`
      select column_name as name from information_schema.columns
      where table_name = 'person_facts' and table_schema = current_schema() order by ordinal_position`.execute(
      h.database.db,
    )
    assert.deepEqual(
      rows.map((row) => row.name),
      ['person_id', ...FACT_COLUMNS, 'facts_version'],
    )
  })

  it('holds no value a rule may not read', () => {
    for (const column of ['gender', 'nationality', 'family_name', 'given_names', 'home_office_reference']) {
      assert.ok(!FACT_COLUMNS.includes(column), column)
    }
  })

  it('finds rows edited by hand, a missing row and a row without its person; a rebuild mends them', async () => {
    await h.run(await h.extract('three.ndjson', [record('P01'), record('P02'), record('P03')]))
    assert.deepEqual(await factsDifferences(h.database.db), [])
    const db = h.database.db
    await sql`update person_facts set missed_events_90_days = 9, barriers_count = 0 where person_id = 'P01'`.execute(
      db,
    )
    await sql`delete from person_facts where person_id = 'P02'`.execute(db)
    await sql`update barriers set suspensive = not suspensive where person_id = 'P03'`.execute(db)
    await sql`insert into person_facts (person_id, present) values ('GONE', true)`.execute(db)
    const differences = await factsDifferences(db)
    assert.deepEqual(differences, [
      { personId: 'GONE', columns: [MISSING_PERSON_ROW] },
      { personId: 'P01', columns: ['missed_events_90_days', 'barriers_count'] },
      { personId: 'P02', columns: [MISSING_FACTS_ROW] },
      { personId: 'P03', columns: ['barriers_suspensive'] },
    ])
    const output = factsCheckOutput(differences)
    assert.equal(output.exitCode, 1)
    assert.match(output.stdout, /The facts rows of 4 persons differ/)
    assert.match(output.stdout, /^ {2}P01: missed_events_90_days, barriers_count$/m)

    assert.equal(await rebuildAllFacts(db), 3)
    assert.deepEqual(await factsDifferences(db), [])
    assert.deepEqual(factsCheckOutput([]), {
      stdout: 'Every person’s facts row matches a fresh computation.\n',
      exitCode: 0,
    })
  })

  it('refuses a rule run while a rebuild holds its lock (PostgreSQL)', async (t) => {
    const url = testDatabaseUrl()
    if (!url) return t.skip('PGlite has one session: a rebuild and a run cannot overlap')
    const other = new pg.Client({ connectionString: await currentDatabaseUrl(h.database, url) })
    await other.connect()
    try {
      await other.query('begin')
      await other.query(`select pg_advisory_xact_lock(${FACTS_REBUILD_LOCK_KEY})`)
      const { ruleSet, compiled } = standInRuleSet()
      await publishForTest(h.database.db, ruleSet)
      await assert.rejects(
        runCompiledRules(h.database.db, { ruleSet, compiled, clock: manualClock(), trigger: 'manual' }),
        (error: unknown) => error instanceof FactsRebuildingError && /being rebuilt/.test(error.message),
      )
      await other.query('rollback')
    } finally {
      await other.end()
    }
  })

  it('checks and rebuilds from the command line, exiting 1 while rows differ (PostgreSQL)', async (t) => {
    const url = testDatabaseUrl()
    if (!url)
      return t.skip('the command runs in its own process, which cannot open the test’s in-memory PGlite')
    await h.run(await h.extract('two.ndjson', [record('P01'), record('P02')]))
    await sql`update person_facts set harm_level = 'HIGH' where person_id = 'P02'`.execute(h.database.db)
    const env = { DATABASE_URL: await currentDatabaseUrl(h.database, url), IPIC_DEMO: '0' }
    const check = await runIpic(['rules', 'facts', '--check'], env)
    assert.equal(check.code, 1, check.stderr)
    assert.match(check.stdout, /^ {2}P02: harm_level$/m)
    const rebuild = await runIpic(['rules', 'facts', '--rebuild'], env)
    assert.equal(rebuild.code, 0, rebuild.stderr)
    assert.match(rebuild.stdout, /Rebuilt the facts of 2 persons in \d+\.\d s\./)
    const again = await runIpic(['rules', 'facts', '--check'], env)
    assert.equal(again.code, 0, again.stderr)
    const neither = await runIpic(['rules', 'facts'], env)
    assert.equal(neither.code, 1)
    assert.match(neither.stderr, /--rebuild or --check/)
  })
})
