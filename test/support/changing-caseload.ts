/**
 * A generated caseload as a source system sends it over a series of
 * extracts, with every kind of change the importer accepts: a person's data
 * changed, their reporting alone, their lists, a move to another region, a
 * person left out of a full extract (absent) and sent again (back), and new
 * persons. It keeps what the service should hold after each extract, so a
 * test can import that state into a fresh database and compare.
 *
 * Changed values come from the same person's record in other generated
 * caseloads (other seeds and profiles), so they are as plausible and as
 * varied as the generator makes them, and every line is valid.
 */
import fc from 'fast-check'
import type { CaseRecordInput } from '../../src/cases/extract.ts'
import { type CaseloadProfileName, generateCaseRecords } from '../../src/cases/generate.ts'
import type { IsoDate } from '../../src/dates.ts'
import type { ReferenceData } from '../../src/db/reference-data.ts'
import { type EditableRecord, RECORD_TODAY } from './case-record.ts'

/**
 * What an extract does to one person:
 *   - unchanged: sent as the service holds it;
 *   - data: every value but identity, region and lists replaced;
 *   - reporting: only the reporting block (dates, missed events), which
 *     tends to move a task's priority or reporting date rather than the task;
 *   - lists: barriers, offences, children, indicators and referrals replaced;
 *   - moved: another ROM region, with a reporting location in it;
 *   - left-out: not in the extract (absent after a full one; nothing otherwise).
 * A person the service does not hold yet is new; one it holds as absent is back.
 */
export const CHANGE_KINDS = ['unchanged', 'data', 'reporting', 'lists', 'moved', 'left-out'] as const
export type ChangeKind = (typeof CHANGE_KINDS)[number]

export interface PersonChange {
  /** Which person of the caseload: those past its first `persons` are new until first sent. */
  readonly slot: number
  readonly kind: ChangeKind
  /** Which other caseload the changed values come from. */
  readonly donor: number
}

export interface ExtractPlan {
  /** A full extract holds everyone present but those left out, and marks those it does not hold absent. */
  readonly full: boolean
  readonly changes: readonly PersonChange[]
}

/** The other caseloads changed values are drawn from: other seeds, and both profiles. */
const DONORS: readonly { seed: number; profile: CaseloadProfileName }[] = [
  { seed: 101, profile: 'stress' },
  { seed: 102, profile: 'realistic' },
  { seed: 103, profile: 'stress' },
]

export function extractPlan(slots: number): fc.Arbitrary<ExtractPlan> {
  const change = fc.record({
    slot: fc.nat(slots - 1),
    kind: fc.constantFrom(...CHANGE_KINDS),
    donor: fc.nat(DONORS.length - 1),
  })
  return fc.record({ full: fc.boolean(), changes: fc.array(change, { minLength: 1, maxLength: 8 }) })
}

interface HeldPerson {
  readonly record: CaseRecordInput
  readonly present: boolean
}

const LIST_PATHS = [
  ['barriers'],
  ['harm', 'offences'],
  ['family', 'children'],
  ['vulnerability', 'indicators'],
  ['referrals'],
] as const

/** Who the person is and where they report: what a change of their data leaves alone. */
const IDENTITY_FIELDS = [
  'personId',
  'homeOfficeReference',
  'familyName',
  'givenNames',
  'romRegion',
  'iceRegion',
]

export class ChangingCaseload {
  /** What the service should hold, by person ID, once the extracts so far are imported. */
  private readonly held = new Map<string, HeldPerson>()

  private readonly originals: readonly CaseRecordInput[]
  /** The same persons in the other caseloads: where changed values come from. */
  private readonly donors: readonly (readonly CaseRecordInput[])[]
  /** Active reporting locations by ROM region, for a person who moves. */
  private readonly locationsByRegion: ReadonlyMap<string, readonly string[]>
  private readonly initialPersons: number

  private constructor(parts: {
    originals: readonly CaseRecordInput[]
    donors: readonly (readonly CaseRecordInput[])[]
    locationsByRegion: ReadonlyMap<string, readonly string[]>
    initialPersons: number
  }) {
    this.originals = parts.originals
    this.donors = parts.donors
    this.locationsByRegion = parts.locationsByRegion
    this.initialPersons = parts.initialPersons
  }

  /** `persons` sent in the first extract, and `newcomers` more the later ones may add. */
  static generate(
    reference: ReferenceData,
    options: { persons: number; newcomers: number; seed: number; profile: CaseloadProfileName },
  ): ChangingCaseload {
    const caseload = (seed: number, profile: CaseloadProfileName) => [
      ...generateCaseRecords({
        persons: options.persons + options.newcomers,
        seed,
        today: RECORD_TODAY as IsoDate,
        reference,
        profile,
      }),
    ]
    const locationsByRegion = new Map<string, string[]>()
    for (const location of reference.locations.reportingLocations) {
      if (!location.active) continue
      locationsByRegion.set(location.romRegion, [
        ...(locationsByRegion.get(location.romRegion) ?? []),
        location.code,
      ])
    }
    return new ChangingCaseload({
      originals: caseload(options.seed, options.profile),
      donors: DONORS.map((donor) => caseload(donor.seed, donor.profile)),
      locationsByRegion,
      initialPersons: options.persons,
    })
  }

  get slots(): number {
    return this.originals.length
  }

  /** The slot of a person of the caseload, for a test that plans an extract by hand. */
  slotOf(personId: string): number {
    const slot = this.originals.findIndex((record) => record.personId === personId)
    if (slot < 0) throw new RangeError(`${personId} is not in the caseload`)
    return slot
  }

  /** The first extract: the first `persons` of the caseload, as generated. */
  firstExtract(): CaseRecordInput[] {
    const lines = this.originals.slice(0, this.initialPersons)
    for (const record of lines) this.held.set(record.personId, { record, present: true })
    return lines
  }

  /**
   * The lines of the next extract, and what the service holds once it is
   * imported; undefined (and nothing held changes) when the extract would be
   * empty, which the importer refuses. A person's first change in the plan
   * counts; later ones are ignored.
   */
  nextExtract(plan: ExtractPlan): CaseRecordInput[] | undefined {
    const sent = new Map<string, CaseRecordInput>()
    const leftOut = new Set<string>()
    for (const change of plan.changes) {
      const original = this.originals[change.slot]!
      const id = original.personId
      if (sent.has(id) || leftOut.has(id)) continue
      if (change.kind === 'left-out') {
        leftOut.add(id)
        continue
      }
      const current = this.held.get(id)?.record ?? original
      sent.set(id, this.changed(current, change))
    }
    if (plan.full) {
      for (const [id, person] of this.held) {
        if (person.present && !sent.has(id) && !leftOut.has(id)) sent.set(id, person.record)
      }
    }
    if (sent.size === 0) return undefined
    if (plan.full) {
      for (const [id, person] of this.held) {
        if (!sent.has(id)) this.held.set(id, { ...person, present: false })
      }
    }
    for (const [id, record] of sent) this.held.set(id, { record, present: true })
    return [...sent.values()]
  }

  /** Every person the service should hold as present, as last sent: what a fresh database imports. */
  presentRecords(): CaseRecordInput[] {
    return [...this.held.values()].filter((person) => person.present).map((person) => person.record)
  }

  private changed(current: CaseRecordInput, change: PersonChange): CaseRecordInput {
    const record: EditableRecord = structuredClone(current)
    const donor: EditableRecord = structuredClone(this.donors[change.donor]![change.slot]!)
    switch (change.kind) {
      case 'unchanged':
      case 'left-out':
        return current
      case 'data': {
        for (const field of IDENTITY_FIELDS) donor[field] = record[field]
        donor.reporting.location = record.reporting.location
        for (const path of LIST_PATHS) setAt(donor, path, getAt(record, path))
        return donor as CaseRecordInput
      }
      case 'reporting':
        record.reporting = { ...donor.reporting, location: record.reporting.location }
        return record as CaseRecordInput
      case 'lists':
        for (const path of LIST_PATHS) setAt(record, path, getAt(donor, path))
        return record as CaseRecordInput
      case 'moved': {
        const regions = [...this.locationsByRegion.keys()]
          .filter((region) => region !== record.romRegion)
          .sort()
        const region = regions[change.donor % regions.length]!
        record.romRegion = region
        record.reporting.location = this.locationsByRegion.get(region)![0]
        return record as CaseRecordInput
      }
    }
  }
}

function getAt(record: EditableRecord, path: readonly string[]): unknown {
  return path.reduce((value: EditableRecord, key) => value[key], record)
}

function setAt(record: EditableRecord, path: readonly string[], value: unknown): void {
  const parent = path.slice(0, -1).reduce((object: EditableRecord, key) => object[key], record)
  parent[path.at(-1)!] = structuredClone(value)
}
