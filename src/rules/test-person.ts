/**
 * Turns a rule-file test person ("the person's relevant fields") into rows
 * of persons and its list tables.
 *
 * A test names only what matters to it; everything else comes from an
 * ordinary person: 35 years old, an overstayer with no travel document,
 * reporting monthly in person and compliant, next reporting date in 7 days,
 * last attended 28 days ago, no barriers, offences, children, vulnerability
 * indicators or referrals, harm level none, adult-at-risk level 0. Region,
 * reporting location, ICE region, nationality and referring business area
 * are the first in the reference data: no rule can read nationality, and no
 * rule here reads the others unless a test sets them.
 *
 * Derived fields are turned back into the columns they come from, so a test
 * may say `person.age: 17` or a barrier's `ageInDays: 400`.
 */
import { type Kysely, sql } from 'kysely'
import { addDays, type IsoDate } from '../dates.ts'
import { refreshPersonFacts } from '../db/person-facts.ts'
import type { Tables } from '../db/tables.ts'
import type { FieldSource } from './field-types.ts'
import { findField, lists } from './fields.ts'
import type { TestPerson, TestValue } from './model.ts'

export interface ReferenceDefaults {
  readonly romRegion: string
  readonly iceRegion: string
  readonly reportingLocation: string
  readonly nationality: string
  readonly businessArea: string
}

/** The first usable codes of the reference data, which the foreign keys of a test person need. */
export async function referenceDefaults(db: Kysely<Tables>): Promise<ReferenceDefaults> {
  const { rows } = await sql<ReferenceDefaults>`
    select l.rom_region as "romRegion", l.code as "reportingLocation",
      (select code from ice_regions order by position limit 1) as "iceRegion",
      (select code from countries order by code limit 1) as nationality,
      (select code from business_areas order by code limit 1) as "businessArea"
    from reporting_locations l join rom_regions r on r.code = l.rom_region
    where l.active
    order by r.position, l.code
    limit 1`.execute(db)
  const defaults = rows[0]
  if (!defaults) throw new Error('the reference data has no active reporting location: run ipic migrate')
  return defaults
}

export type Row = Record<string, unknown>

export interface TestPersonRows {
  readonly person: Row
  /** Rows by table name. */
  readonly lists: Readonly<Record<string, readonly Row[]>>
}

/** Resolves "today", "today+7", "today-90" against the test's date. */
export function resolveTestDate(value: string, today: IsoDate): IsoDate {
  const match = /^today(?:([+-])(\d+))?$/.exec(value)
  if (!match) return value as IsoDate
  const days = match[2] === undefined ? 0 : Number(match[2]) * (match[1] === '-' ? -1 : 1)
  return addDays(today, days)
}

/** The date `years` whole years before `today` (28 February for a 29 February that does not exist). */
function yearsBefore(today: IsoDate, years: number): IsoDate {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const year = y - years
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate()
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}` as IsoDate
}

/** The column(s) a test value sets, undoing a derived field. */
function setColumn(row: Row, source: FieldSource<string>, value: TestValue, today: IsoDate): void {
  const column = source.column
  if (value === null) {
    row[column] = null
    return
  }
  switch (source.kind) {
    case 'column':
      row[column] = typeof value === 'string' ? resolveTestDate(value, today) : value
      return
    case 'yearsSince':
      row[column] = yearsBefore(today, value as number)
      return
    case 'daysSince':
      row[column] = addDays(today, -(value as number))
      return
    case 'daysUntil':
      row[column] = addDays(today, value as number)
      return
    case 'isNull':
      // An open barrier has no resolved date; a closed one was resolved today.
      row[column] = value === true ? null : today
      return
  }
}

function basePerson(id: string, today: IsoDate, reference: ReferenceDefaults, now: Date): Row {
  return {
    person_id: id,
    home_office_reference: `RT/${id}`,
    family_name: 'Test',
    given_names: id,
    date_of_birth: yearsBefore(today, 35),
    age_disputed: false,
    gender: 'U',
    nationality: reference.nationality,
    rom_region: reference.romRegion,
    ice_region: reference.iceRegion,
    red_notice: 'NONE',
    case_type: 'NON_ASYLUM',
    immigration_status: 'OVERSTAYER',
    identified_for_removal: false,
    voluntary_return_declined_on: null,
    travel_document: 'NONE',
    travel_document_held_by: null,
    travel_document_expiry: null,
    etd_status: 'NOT_STARTED',
    identity_status: 'ACCEPTED_UNVERIFIED',
    reporting_location: reference.reportingLocation,
    reporting_type: 'IN_PERSON',
    reporting_frequency: 'MONTHLY',
    next_reporting_date: addDays(today, 7),
    next_reporting_date_2: addDays(today, 35),
    next_reporting_date_3: addDays(today, 63),
    last_attended: addDays(today, -28),
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
    harm_level: 'NONE',
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
    content_hash: `rule-test-${id}`,
    first_imported_at: now,
    data_changed_at: now,
  }
}

function baseItem(table: string, today: IsoDate, reference: ReferenceDefaults): Row {
  switch (table) {
    case 'barriers':
      return {
        type: 'OUTSTANDING_APPLICATION',
        suspensive: false,
        raised_on: addDays(today, -30),
        resolved_on: null,
        owning_team: 'Test team',
      }
    case 'offences':
      return { category: 'OTHER', convicted_on: addDays(today, -730), sentence_months: null }
    case 'children':
      return { date_of_birth: yearsBefore(today, 10), british: false, lives_with: true }
    case 'vulnerability_indicators':
      return { type: 'OTHER', identified_on: addDays(today, -7), response_recorded: false }
    default:
      return { business_area: reference.businessArea, referred_on: addDays(today, -7) }
  }
}

export function testPersonRows(
  id: string,
  person: TestPerson,
  today: IsoDate,
  reference: ReferenceDefaults,
  now: Date,
): TestPersonRows {
  const row = basePerson(id, today, reference, now)
  for (const [name, value] of Object.entries(person.fields)) {
    const field = findField(name)
    if (field) setColumn(row, field.source, value, today)
  }
  const listRows: Record<string, Row[]> = {}
  for (const [name, items] of Object.entries(person.lists)) {
    const list = lists.get(name)
    if (!list) continue
    listRows[list.table] = items.map((item, position) => {
      const itemRow: Row = { person_id: id, position, ...baseItem(list.table, today, reference) }
      for (const [fieldName, value] of Object.entries(item)) {
        const field = list.fields.get(fieldName)
        if (field) setColumn(itemRow, field.source, value, today)
      }
      return itemRow
    })
  }
  return { person: row, lists: listRows }
}

/**
 * Writes test persons in batches (a batch stays well under the 65,535 bound
 * parameters of one statement), each with the facts row the rules read,
 * computed from those rows as the importer computes it.
 */
export async function insertTestPersons(
  db: Kysely<Tables>,
  persons: readonly TestPersonRows[],
): Promise<void> {
  const batch = 200
  for (let start = 0; start < persons.length; start += batch) {
    const slice = persons.slice(start, start + batch)
    await db
      .insertInto('persons')
      .values(slice.map((p) => p.person) as never)
      .execute()
    const byTable = new Map<string, Row[]>()
    for (const p of slice) {
      for (const [table, rows] of Object.entries(p.lists))
        byTable.set(table, [...(byTable.get(table) ?? []), ...rows])
    }
    for (const [table, rows] of byTable) {
      if (rows.length > 0)
        await db
          .insertInto(table as 'barriers')
          .values(rows as never)
          .execute()
    }
    await refreshPersonFacts(db, { personIds: slice.map((p) => String(p.person.person_id)) })
  }
}
