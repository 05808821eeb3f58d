import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import type { IsoDate } from '../../src/dates.ts'
import { refreshPersonFacts } from '../../src/db/person-facts.ts'
import { compileEvaluation, compileRuleSet, type RuleMatch } from '../../src/rules/compile.ts'
import { expandExplanation } from '../../src/rules/explanation.ts'
import { ruleSetFromFiles } from '../../src/rules/load.ts'
import type { RuleSet } from '../../src/rules/model.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { globalSafeguards, rule, type YamlObject, yamlFile } from '../support/rule-files.ts'

const TODAY = '2025-06-02' as IsoDate
const QUOTED_TEAM = "O'Brien's team; drop table persons; --"

/**
 * Two rules over a hand-built set of persons:
 *   REPORTING_REVIEW (global safeguards apply): harm High or Medium and 2+
 *   missed events, excluded by a barrier owned by a team whose name holds
 *   quotes; priority 50 for high harm plus up to 50 for missed events.
 *   SAFEGUARDING (no global safeguards): an indicator with no response.
 */
function testRuleSet(): RuleSet {
  const review: YamlObject = rule('REPORTING_REVIEW')
  review.parameters = {
    minimumMissed: { value: 2, description: 'Missed events from which the task applies.' },
    manyMissed: { value: 10, description: 'Missed events that give full points.' },
    excludedTeam: { value: QUOTED_TEAM, description: 'A team whose barriers exclude.' },
  }
  review.safeguards = [
    {
      id: 'excludedTeamBarrier',
      text: 'A barrier owned by the excluded team',
      when: {
        count: 'barriers',
        where: { field: 'owningTeam', operator: 'equals', parameter: 'excludedTeam' },
        operator: 'some',
      },
    },
    {
      id: 'familyOrPregnant',
      text: 'Children in the family, or pregnant',
      when: {
        any: [
          { count: 'children', operator: 'some' },
          { field: 'vulnerability.pregnant', operator: 'equals', value: true },
        ],
      },
    },
  ]
  review.eligibility = {
    all: [
      { id: 'harm', field: 'harm.harmLevel', operator: 'in', value: ['HIGH', 'MEDIUM'] },
      {
        id: 'missedEvents',
        field: 'reporting.missedEvents90Days',
        operator: '>=',
        parameter: 'minimumMissed',
      },
    ],
  }
  review.priority = [
    {
      name: 'highHarm',
      text: 'High harm',
      weight: 50,
      when: { field: 'harm.harmLevel', operator: 'equals', value: 'HIGH' },
    },
    {
      name: 'missed',
      text: 'Missed events',
      weight: 50,
      scale: { field: 'reporting.missedEvents90Days', upTo: 'manyMissed' },
    },
  ]
  review.tests = { cases: [{ name: 'Typical', expect: 'not recommended', decidedBy: 'harm' }] }

  const safeguarding: YamlObject = rule('SAFEGUARDING')
  safeguarding.globalSafeguards = false
  safeguarding.parameters = {}
  safeguarding.eligibility = {
    all: [
      {
        id: 'unanswered',
        count: 'vulnerabilityIndicators',
        where: { field: 'responseRecorded', operator: 'equals', value: false },
        operator: 'some',
      },
    ],
  }
  safeguarding.priority = [
    {
      name: 'selfHarm',
      text: 'Self-harm',
      weight: 10,
      when: { field: 'vulnerability.selfHarmRisk', operator: 'equals', value: true },
    },
  ]
  safeguarding.tests = { cases: [{ name: 'Typical', expect: 'not recommended', decidedBy: 'unanswered' }] }
  return ruleSetFromFiles([
    yamlFile('global-safeguards.yaml', globalSafeguards()),
    yamlFile('REPORTING_REVIEW.yaml', review),
    yamlFile('SAFEGUARDING.yaml', safeguarding),
  ])
}

async function insertPerson(database: TestDatabase, id: string, values: Record<string, unknown> = {}) {
  const { rows } = await sql<{ rom: string; location: string }>`
    select rom_region as rom, code as location from reporting_locations order by code limit 1`.execute(
    database.db,
  )
  const place = rows[0]!
  await sql`
    insert into persons (
      person_id, home_office_reference, family_name, given_names, date_of_birth, age_disputed, gender,
      nationality, rom_region, ice_region, red_notice, case_type, immigration_status, identified_for_removal,
      travel_document, etd_status, identity_status, reporting_location, reporting_type, reporting_frequency,
      next_reporting_date, missed_events_90_days, consecutive_missed, compliance, ever_out_of_contact, whereabouts,
      residence_condition, electronic_monitoring, curfew, foreign_national_offender, harm_level, deportation_order,
      on_licence, relationship, primary_carer, family_case, adult_at_risk_level, nrm_status, self_harm_risk,
      care_leaver, pregnant, em_contraindicated, content_hash, first_imported_at, data_changed_at, present
    ) values (
      ${id}, ${`HO/${id}`}, 'Test', ${id}, '1990-01-01', false, 'U',
      (select code from countries limit 1), ${place.rom}, (select code from ice_regions limit 1), 'NONE', 'NON_ASYLUM',
      'OVERSTAYER', false,
      'NONE', 'NOT_STARTED', 'VERIFIED', ${place.location}, 'IN_PERSON', 'MONTHLY',
      ${'next_reporting_date' in values ? values.next_reporting_date : '2025-06-09'}, ${values.missed ?? 0}, 0, 'COMPLIANT', false, 'KNOWN',
      true, 'NONE', false, false, ${values.harm ?? 'NONE'}, false,
      false, 'SINGLE', false, false, ${values.adultAtRisk ?? 0}, 'NONE', ${values.selfHarm ?? false},
      false, false, false, 'hash', '2025-05-01T10:00:00Z', '2025-05-20T10:00:00Z', ${values.present ?? true}
    )`.execute(database.db)
}

async function insertBarrier(database: TestDatabase, personId: string, owningTeam: string) {
  await sql`insert into barriers (person_id, position, type, suspensive, raised_on, owning_team)
    values (${personId}, 0, 'OUTSTANDING_APPLICATION', false, '2025-01-01', ${owningTeam})`.execute(
    database.db,
  )
}

async function insertIndicator(
  database: TestDatabase,
  personId: string,
  responseRecorded: boolean,
  position = 0,
) {
  await sql`insert into vulnerability_indicators (person_id, position, type, identified_on, response_recorded)
    values (${personId}, ${position}, 'MENTAL_HEALTH', '2025-05-30', ${responseRecorded})`.execute(
    database.db,
  )
}

describe('compiled rules', () => {
  let database: TestDatabase
  let ruleSet: RuleSet

  before(async () => {
    database = await openTestDatabase()
    ruleSet = testRuleSet()
    await insertPerson(database, 'P1', { harm: 'HIGH', missed: 2 })
    await insertPerson(database, 'P2', { harm: 'MEDIUM', missed: 5, next_reporting_date: null })
    await insertPerson(database, 'P3', { harm: 'HIGH', missed: 1 })
    await insertPerson(database, 'P4', { harm: 'LOW', missed: 9 })
    await insertPerson(database, 'P5', { harm: 'HIGH', missed: 3, adultAtRisk: 2 })
    await insertPerson(database, 'P6', { harm: 'HIGH', missed: 3 })
    await insertBarrier(database, 'P6', QUOTED_TEAM)
    await insertPerson(database, 'P7', { harm: 'HIGH', missed: 3 })
    await insertBarrier(database, 'P7', "O'Brien's team")
    await insertPerson(database, 'P8', { harm: 'HIGH', missed: 4, present: false })
    await insertPerson(database, 'P9', { adultAtRisk: 3, selfHarm: true })
    await insertIndicator(database, 'P9', false)
    await insertPerson(database, 'P10', { harm: 'HIGH', missed: 10, adultAtRisk: 3 })
    await insertIndicator(database, 'P10', true, 0)
    await insertIndicator(database, 'P10', false, 1)
    await insertPerson(database, 'P11')
    await insertIndicator(database, 'P11', true)
    // Written by hand rather than imported: the facts the rules read are computed as an import would.
    await refreshPersonFacts(database.db, { all: true })
  })
  after(() => database.close())

  async function matches(
    options: Parameters<typeof compileRuleSet>[1] = { today: TODAY },
  ): Promise<RuleMatch[]> {
    const { rows } = await compileRuleSet(ruleSet, options).matches.execute(database.db)
    return rows
  }

  const keys = (rows: readonly RuleMatch[]) => rows.map((r) => `${r.task_type}:${r.person_id}`).sort()

  it('selects exactly the present persons each rule matches, safeguards first', async () => {
    assert.deepEqual(keys(await matches()), [
      'REPORTING_REVIEW:P1',
      'REPORTING_REVIEW:P2',
      'REPORTING_REVIEW:P7',
      'SAFEGUARDING:P10',
      'SAFEGUARDING:P9',
    ])
  })

  it('computes each priority from its factors, so the order is right', async () => {
    const { rows } = await sql<{ person_id: string; priority: number }>`
      select m.person_id, m.priority from (${compileRuleSet(ruleSet, { today: TODAY }).matches}) m
      where m.task_type = ${'REPORTING_REVIEW'} order by m.priority desc`.execute(database.db)
    // P7: 50 + 50 × 3/10 = 65; P1: 50 + 10 = 60; P2 (medium harm): 50 × 5/10 = 25.
    assert.deepEqual(rows, [
      { person_id: 'P7', priority: 65 },
      { person_id: 'P1', priority: 60 },
      { person_id: 'P2', priority: 25 },
    ])
  })

  it('binds every value from the rule files instead of writing it into the SQL', () => {
    const compiled = compileRuleSet(ruleSet, { today: TODAY }).matches.compile(database.db)
    for (const value of [
      "O'Brien",
      'HIGH',
      'MEDIUM',
      'High harm',
      'REPORTING_REVIEW',
      TODAY,
      ruleSet.version,
    ]) {
      assert.ok(!compiled.sql.includes(value), `the SQL text contains ${value}`)
    }
    assert.ok(compiled.parameters.includes(QUOTED_TEAM))
    assert.ok(compiled.parameters.includes('{"HIGH","MEDIUM"}'))
  })

  it('handles a value with quotes as data: only the barrier of exactly that team excludes', async () => {
    const evaluated = await compileEvaluation(ruleSet, {
      today: TODAY,
      personIds: ['P6', 'P7'],
      taskTypes: ['REPORTING_REVIEW'],
    }).execute(database.db)
    const byPerson = new Map(evaluated.rows.map((r) => [r.person_id, r]))
    const excluded = (id: string) =>
      byPerson.get(id)?.explanation.safeguards.find((s) => s.id === 'excludedTeamBarrier')
    assert.equal(excluded('P6')?.held, true)
    assert.equal(excluded('P6')?.actual, 1)
    assert.equal(excluded('P7')?.held, false)
    assert.equal(byPerson.get('P6')?.matched, false)
    assert.equal(byPerson.get('P7')?.matched, true)
  })

  it('explains each match with the rule, version, actual values, safeguards, priority and reporting date', async () => {
    const p2 = (await matches()).find((m) => m.person_id === 'P2')
    assert.ok(p2)
    assert.equal(p2.reporting_date, null)
    const e = p2.explanation
    assert.deepEqual(e.rule, {
      code: 'REPORTING_REVIEW',
      name: 'Rule REPORTING_REVIEW',
      version: ruleSet.version,
    })
    assert.equal(e.evaluatedOn, TODAY)
    assert.deepEqual(
      e.conditions.map((c) => [c.id, c.field, c.operator, c.expected, c.actual, c.held, c.depth]),
      [
        ['harm', 'harm.harmLevel', 'in', ['HIGH', 'MEDIUM'], 'MEDIUM', true, 0],
        ['missedEvents', 'reporting.missedEvents90Days', '>=', 2, 5, true, 0],
      ],
    )
    assert.deepEqual(
      e.safeguards.map((s) => [s.id, s.scope, s.actual, s.held]),
      [
        ['adultAtRisk', 'global', 0, false],
        ['excludedTeamBarrier', 'rule', 0, false],
        ['familyOrPregnant', 'rule', null, false],
      ],
    )
    assert.deepEqual(
      e.safeguards[2]?.parts?.map((p) => [p.field, p.operator, p.actual, p.held]),
      [
        ['children', 'some', 0, false],
        ['vulnerability.pregnant', 'equals', false, false],
      ],
    )
    assert.deepEqual(e.priority, {
      score: 25,
      factors: [
        { name: 'highHarm', text: 'High harm', weight: 50, value: false, points: 0 },
        // A scale names the field it reads, so that its value is labelled on the page.
        {
          name: 'missed',
          text: 'Missed events',
          weight: 50,
          field: 'reporting.missedEvents90Days',
          value: 5,
          points: 25,
        },
      ],
    })
    assert.deepEqual(e.reportingDate, { field: 'reporting.nextDates[0]', value: null })
    assert.equal(new Date(e.dataChangedAt).toISOString(), '2025-05-20T10:00:00.000Z')
    const p1 = (await matches()).find((m) => m.person_id === 'P1')
    assert.equal(p1?.reporting_date, '2025-06-09')
    assert.equal(p1?.rom_region, p2.rom_region)
  })

  it('limits the evaluation to the given persons and task types', async () => {
    assert.deepEqual(keys(await matches({ today: TODAY, personIds: ['P1', 'P3', 'P9'] })), [
      'REPORTING_REVIEW:P1',
      'SAFEGUARDING:P9',
    ])
    assert.deepEqual(keys(await matches({ today: TODAY, taskTypes: ['SAFEGUARDING'] })), [
      'SAFEGUARDING:P10',
      'SAFEGUARDING:P9',
    ])
    assert.deepEqual(await matches({ today: TODAY, taskTypes: [] }), [])
    assert.deepEqual(await matches({ today: TODAY, personIds: [] }), [])
  })

  it('limits the evaluation to the persons listed in a table, as an incremental run lists them', async () => {
    await sql`create table listed_persons (person_id text)`.execute(database.db)
    try {
      await sql`insert into listed_persons values ('P1'), ('P3'), ('P9')`.execute(database.db)
      const byKey = (rows: RuleMatch[]) =>
        [...rows].sort((a, b) =>
          `${a.task_type}:${a.person_id}`.localeCompare(`${b.task_type}:${b.person_id}`),
        )
      const listed = await matches({ today: TODAY, personsIn: 'listed_persons' })
      assert.deepEqual(byKey(listed), byKey(await matches({ today: TODAY, personIds: ['P1', 'P3', 'P9'] })))
      assert.deepEqual(keys(listed), ['REPORTING_REVIEW:P1', 'SAFEGUARDING:P9'])
    } finally {
      await sql`drop table listed_persons`.execute(database.db)
    }
  })

  it('evaluates every selected person for every rule, matched or not, saying why not', async () => {
    const { rows } = await compileEvaluation(ruleSet, { today: TODAY, personIds: ['P3', 'P5'] }).execute(
      database.db,
    )
    assert.deepEqual(rows.map((r) => `${r.task_type}:${r.person_id}:${r.matched}`).sort(), [
      'REPORTING_REVIEW:P3:false',
      'REPORTING_REVIEW:P5:false',
      'SAFEGUARDING:P3:false',
      'SAFEGUARDING:P5:false',
    ])
    const p3 = rows.find((r) => r.person_id === 'P3' && r.task_type === 'REPORTING_REVIEW')
    assert.deepEqual(
      p3?.explanation.conditions.map((c) => [c.id, c.actual, c.held]),
      [
        ['harm', 'HIGH', true],
        ['missedEvents', 1, false],
      ],
    )
    const p5 = rows.find((r) => r.person_id === 'P5' && r.task_type === 'REPORTING_REVIEW')
    assert.deepEqual(p5?.explanation.safeguards[0], {
      id: 'adultAtRisk',
      text: 'Adult at risk at level 2 or 3',
      scope: 'global',
      field: 'vulnerability.adultAtRiskLevel',
      operator: '>=',
      expected: 2,
      actual: 2,
      held: true,
    })
  })

  it('is a plain SELECT that composes with other SQL and its parameters', async () => {
    const { matches: query } = compileRuleSet(ruleSet, { today: TODAY })
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from (${query}) m where m.priority > ${30} and m.task_type = ${'REPORTING_REVIEW'}`.execute(
      database.db,
    )
    assert.equal(rows[0]?.n, 2)
  })

  it('stores compact explanations that expand to exactly the full ones, for the same version only', async () => {
    const compiled = compileRuleSet(ruleSet, { today: TODAY })
    const full = (await compiled.matches.execute(database.db)).rows
    const compact = (await compiled.compactMatches.execute(database.db)).rows
    assert.equal(compact.length, full.length)
    for (const match of compact) {
      const same = full.find((m) => m.person_id === match.person_id && m.task_type === match.task_type)
      assert.equal(match.explanation.form, 'compact')
      assert.equal(match.priority, same?.priority)
      assert.deepEqual(expandExplanation(match.explanation, ruleSet), same?.explanation)
      assert.ok(JSON.stringify(match.explanation).length < JSON.stringify(same?.explanation).length / 2)
    }
    const other = { ...ruleSet, version: '000000000000' }
    assert.throws(() => expandExplanation(compact[0]!.explanation, other), /made by rule set/)
    assert.equal(expandExplanation(full[0]!.explanation, other), full[0]!.explanation)
  })

  it('evaluates on the given date: derived values move with today', async () => {
    const later = await compileEvaluation(ruleSet, {
      today: '2025-06-08' as IsoDate,
      personIds: ['P1'],
      taskTypes: ['REPORTING_REVIEW'],
    }).execute(database.db)
    assert.equal(later.rows[0]?.explanation.evaluatedOn, '2025-06-08')
  })
})
