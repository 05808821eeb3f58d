/**
 * Fixtures for tests of rule runs and decisions: persons written straight to
 * the table (no importer needed), a clock the test moves by hand, and a small
 * hand-written "compiled rule set" so the task lifecycle is tested apart from
 * the rule language.
 */
import { type Insertable, type Kysely, type RawBuilder, sql } from 'kysely'
import type { Clock } from '../../src/clock.ts'
import { londonDateOf } from '../../src/clock.ts'
import { refreshPersonFacts } from '../../src/db/person-facts.ts'
import type { PersonRow, Tables } from '../../src/db/tables.ts'
import type { PinnedRuleMatch } from '../../src/rules/compile.ts'
import type { CompiledMatches, RuleSetSource } from '../../src/rules/compiled-matches.ts'

export const FIXTURE_TODAY = '2026-03-02'

/** A clock that stands still until the test moves it. */
export interface ManualClock extends Clock {
  advance(milliseconds: number): Date
  set(instant: Date): void
}

export function manualClock(start = new Date(`${FIXTURE_TODAY}T09:00:00Z`)): ManualClock {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    today: () => londonDateOf(current),
    advance: (milliseconds) => {
      current = new Date(current.getTime() + milliseconds)
      return new Date(current)
    },
    set: (instant) => {
      current = new Date(instant)
    },
  }
}

export type PersonFixture = Partial<Insertable<PersonRow>> & { person_id: string }

/** A present, compliant person in LSE with no missed events: matches none of the stand-in rules. */
export function personRow(fixture: PersonFixture): Insertable<PersonRow> {
  return {
    home_office_reference: `HO/${fixture.person_id}`,
    family_name: 'Okafor',
    given_names: 'Grace',
    date_of_birth: '1990-05-17',
    age_disputed: false,
    gender: 'F',
    nationality: 'NGA',
    rom_region: 'LSE',
    ice_region: 'LSE',
    red_notice: 'NONE',
    case_type: 'NON_ASYLUM',
    immigration_status: 'OVERSTAYER',
    identified_for_removal: false,
    voluntary_return_declined_on: null,
    travel_document: 'NONE',
    travel_document_held_by: null,
    travel_document_expiry: null,
    etd_status: 'NOT_STARTED',
    identity_status: 'VERIFIED',
    reporting_location: 'BECKET_HOUSE',
    reporting_type: 'IN_PERSON',
    reporting_frequency: 'MONTHLY',
    next_reporting_date: '2026-03-10',
    next_reporting_date_2: null,
    next_reporting_date_3: null,
    last_attended: '2026-02-10',
    missed_events_90_days: 0,
    consecutive_missed: 0,
    compliance: 'COMPLIANT',
    ever_out_of_contact: false,
    whereabouts: 'KNOWN',
    residence_condition: true,
    electronic_monitoring: 'NONE',
    curfew: false,
    em_last_reviewed: null,
    foreign_national_offender: false,
    longest_sentence_months: null,
    harm_level: 'LOW',
    deportation_order: false,
    on_licence: false,
    relationship: 'SINGLE',
    primary_carer: false,
    family_case: false,
    adult_at_risk_level: 0,
    nrm_status: 'NONE',
    self_harm_risk: false,
    care_leaver: false,
    pregnant: false,
    em_contraindicated: false,
    source_updated_at: null,
    content_hash: `hash-${fixture.person_id}`,
    first_imported_at: new Date(`${FIXTURE_TODAY}T08:00:00Z`),
    data_changed_at: new Date(`${FIXTURE_TODAY}T08:00:00Z`),
    present: true,
    ...fixture,
  }
}

/** Writes the persons, and their facts rows as an import would. */
export async function insertPersons(db: Kysely<Tables>, fixtures: readonly PersonFixture[]): Promise<void> {
  for (let start = 0; start < fixtures.length; start += 500) {
    const slice = fixtures.slice(start, start + 500)
    await db.insertInto('persons').values(slice.map(personRow)).execute()
    await refreshPersonFacts(db, { personIds: slice.map((fixture) => fixture.person_id) })
  }
}

/** What an import does to a person whose record changed: new values, and data_changed_at moves on. */
export async function changePerson(
  db: Kysely<Tables>,
  personId: string,
  changes: Partial<Insertable<PersonRow>>,
  changedAt: Date,
): Promise<void> {
  await db
    .updateTable('persons')
    .set({ ...changes, data_changed_at: changedAt })
    .where('person_id', '=', personId)
    .execute()
  await refreshPersonFacts(db, { personIds: [personId] })
}

/**
 * Two hand-written rules standing in for a compiled rule set:
 *   FAILED_TO_REPORT — one or more missed events in 90 days; priority 10 per consecutive miss;
 *   SAFEGUARDING     — a self-harm risk; priority 50.
 * `extraCondition` narrows FAILED_TO_REPORT, to make a "draft" that differs.
 */
export function standInRuleSet(
  version = 'stand-in-v1',
  options: { failedToReportMinimum?: number } = {},
): { ruleSet: RuleSetSource; compiled: CompiledMatches } {
  const minimum = options.failedToReportMinimum ?? 1
  // Pinned to the person's facts version, as a compiled rule set's matches are.
  const matchesOf = (scope: RawBuilder<unknown>) => sql<PinnedRuleMatch>`
    select 'FAILED_TO_REPORT'::text as task_type, p.person_id, p.rom_region,
      p.next_reporting_date as reporting_date, p.consecutive_missed * 10 as priority, f.facts_version::text as facts_version
    from persons p left join person_facts f using (person_id)
    where p.present and p.missed_events_90_days >= ${minimum}::int${scope}
    union all
    select 'SAFEGUARDING'::text, p.person_id, p.rom_region, p.next_reporting_date, 50, f.facts_version::text
    from persons p left join person_facts f using (person_id)
    where p.present and p.self_harm_risk${scope}
  `
  return {
    ruleSet: { version, files: [{ name: 'stand-in.yaml', content: `# ${version}\n` }] },
    compiled: {
      version,
      matches: matchesOf(sql``),
      // Narrowed as compile.ts narrows, so that runs after the first are incremental as in service.
      forPersonsIn: (table) =>
        matchesOf(sql` and p.person_id in (select person_id from ${sql.table(table)})`),
    },
  }
}
