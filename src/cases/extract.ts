/**
 * The case extract: one JSON object per person per line (NDJSON), as the
 * source system sends it. This schema is the contract: the importer validates
 * every record with it, the generator writes records that pass it, and
 * docs/case-extract.schema.json is produced from it.
 *
 * Codes that are reference data (regions, reporting locations, countries,
 * referring business areas) are checked against the loaded reference lists,
 * and dates of birth against today, so the schema is built for a given
 * reference set and clock.
 */
import { z } from 'zod'
import type { IsoDate } from '../dates.ts'
import { hasInvisibleCharacter, invisibleCharacterProblem } from './invisible-characters.ts'
import { quoted } from './quoted.ts'
import {
  BARRIER_TYPE,
  CASE_TYPE,
  COMPLIANCE,
  DOCUMENT_HOLDER,
  ELECTRONIC_MONITORING,
  ETD_STATUS,
  GENDER,
  HARM_LEVEL,
  IDENTITY_STATUS,
  IMMIGRATION_STATUS,
  NRM_STATUS,
  OFFENCE_CATEGORY,
  RED_NOTICE,
  RELATIONSHIP,
  REPORTING_FREQUENCY,
  REPORTING_TYPE,
  TRAVEL_DOCUMENT,
  VULNERABILITY_INDICATOR,
  WHEREABOUTS,
} from './values.ts'

/** The codes an extract may use for reference data, with the date it is checked on. */
export interface ExtractContext {
  readonly romRegions: ReadonlySet<string>
  readonly iceRegions: ReadonlySet<string>
  /** Each reporting location's code, with the ROM region it is in. */
  readonly reportingLocations: ReadonlyMap<string, string>
  readonly countries: ReadonlySet<string>
  readonly businessAreas: ReadonlySet<string>
  readonly today: IsoDate
}

export const MAX_TEXT_LENGTH = 200

/** What a person ID looks like: an importer also uses it to name the person on a line it cannot read. */
export const PERSON_ID = /^[A-Za-z0-9-]{1,20}$/

/** "is missing", or what was expected beside what was found, for a value of the wrong kind. */
function expected(what: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? 'is missing' : `must be ${what} (found ${quoted(issue.input)})`
}

// PostgreSQL text cannot hold NUL, and an unpaired surrogate (a lone "\uD800"
// escape) has no UTF-8 form: either would fail a whole batch in the database.
const storable = (value: string) => value.isWellFormed() && !value.includes('\u0000')
const UNSTORABLE = 'contains a character that cannot be stored (NUL, or an unpaired \\uD800–\\uDFFF escape)'

const text = (max = MAX_TEXT_LENGTH) =>
  z
    .string({ error: expected('text') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `is longer than ${max} characters`)
    .refine(storable, UNSTORABLE)
    // Hidden or reordering characters (invisible-characters.ts); an unstorable value has been named already.
    .refine((value) => !storable(value) || !hasInvisibleCharacter(value), {
      error: (issue) => invisibleCharacterProblem(issue.input as string),
    })

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/

// z.iso.date() already refuses dates that do not exist (31 February, 29
// February outside leap years); the message says which of the two is wrong.
// Years before 1000 are refused as implausible, and year 0000 does not exist
// in PostgreSQL.
const date = () =>
  z.iso
    .date({
      error: (issue) => {
        if (issue.input === undefined) return 'is missing'
        if (typeof issue.input !== 'string') return expected('a date written as YYYY-MM-DD')(issue)
        return DATE_SHAPE.test(issue.input)
          ? `${quoted(issue.input)} is not a real calendar date`
          : `${quoted(issue.input)} is not a date written as YYYY-MM-DD`
      },
    })
    .refine((value) => !DATE_SHAPE.test(value) || value >= '1000', {
      error: (issue) => `${quoted(issue.input)} is before the year 1000`,
    })

const optionalDate = () => date().nullable().default(null)

// PostgreSQL refuses time-zone offsets beyond ±15:59; real ones stay within ±14:00.
const OFFSET = /([+-])(\d{2}):(\d{2})$/
const plausibleInstant = (value: string) => {
  const offset = OFFSET.exec(value)
  return value >= '1000' && (!offset || Number(offset[2]) * 60 + Number(offset[3]) <= 14 * 60)
}

/** A day's grace: a source system's clock, or its time zone, may be ahead of ours. */
const latestInstant = (today: IsoDate) => Date.parse(today) + 2 * 24 * 60 * 60 * 1000

const instant = (today: IsoDate) =>
  z.iso
    .datetime({
      offset: true,
      error: (issue) =>
        issue.input === undefined
          ? 'is missing'
          : `${quoted(issue.input)} is not a date and time such as 2026-01-31T09:30:00Z`,
    })
    .refine(plausibleInstant, {
      error: (issue) =>
        `${quoted(issue.input)} is not a plausible date and time (year 1000 or later, offset within ±14:00)`,
    })
    // Also keeps out the year 9999, which the database would round into 10000.
    .refine((value) => Date.parse(value) < latestInstant(today), {
      error: (issue) => `${quoted(issue.input)} is in the future (today is ${today})`,
    })

const flag = () => z.boolean({ error: expected('true or false') })

const count = (max: number) =>
  z
    .number({ error: expected('a whole number') })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(max, `must not be more than ${max}`)

function oneOf<const T extends readonly [string, ...string[]]>(codes: T, what: string) {
  return z.enum(codes, {
    error: (issue) =>
      issue.input === undefined
        ? 'is missing'
        : `${quoted(issue.input)} is not a known ${what} (expected one of ${codes.join(', ')})`,
  })
}

function referenceCode(known: { has(code: string): boolean }, what: string) {
  return z
    .string({ error: expected(`a ${what} code`) })
    .max(40, `is longer than 40 characters`)
    .refine((code) => code.length > 40 || known.has(code), {
      error: (issue) => `${quoted(issue.input)} is not a known ${what} code`,
    })
}

/**
 * Whether a reporting location is in the person's region: region is a
 * security boundary, so a person is not seen in one region while reporting
 * in another. An unknown code is named by its own check.
 */
function locationInRegion(context: ExtractContext, location: string, romRegion: string): boolean {
  const region = context.reportingLocations.get(location)
  return region === undefined || !context.romRegions.has(romRegion) || region === romRegion
}

export function extractRecordSchema(context: ExtractContext) {
  const barrier = z
    .strictObject({
      type: oneOf(BARRIER_TYPE.codes, 'barrier type'),
      suspensive: flag(),
      raisedOn: date(),
      resolvedOn: optionalDate(),
      owningTeam: text(100),
    })
    .refine((b) => b.resolvedOn === null || b.resolvedOn >= b.raisedOn, {
      error: (issue) => {
        const b = issue.input as { raisedOn: string; resolvedOn: string }
        return `${quoted(b.resolvedOn)} is earlier than raisedOn ${quoted(b.raisedOn)}`
      },
      path: ['resolvedOn'],
    })

  const offence = z.strictObject({
    category: oneOf(OFFENCE_CATEGORY.codes, 'offence category'),
    convictedOn: date(),
    sentenceMonths: count(1200).nullable().default(null),
  })

  const child = z.strictObject({
    dateOfBirth: date(),
    british: flag(),
    livesWith: flag(),
  })

  const indicator = z.strictObject({
    type: oneOf(VULNERABILITY_INDICATOR.codes, 'vulnerability indicator'),
    identifiedOn: date(),
    responseRecorded: flag(),
  })

  const referral = z.strictObject({
    businessArea: referenceCode(context.businessAreas, 'business area'),
    referredOn: date(),
  })

  return z
    .strictObject({
      personId: z
        .string({ error: expected('text') })
        .regex(PERSON_ID, 'must be 1 to 20 letters, digits or hyphens'),
      homeOfficeReference: z
        .string({ error: expected('text') })
        .regex(/^[A-Za-z0-9/-]{1,20}$/, 'must be 1 to 20 letters, digits, hyphens or slashes'),
      familyName: text(),
      givenNames: text(),
      dateOfBirth: date().refine((value) => value <= context.today, {
        error: (issue) => `${quoted(issue.input)} is in the future (today is ${context.today})`,
      }),
      ageDisputed: flag(),
      gender: oneOf(GENDER.codes, 'gender'),
      nationality: referenceCode(context.countries, 'country (ISO 3166 alpha-3)'),
      romRegion: referenceCode(context.romRegions, 'ROM region'),
      iceRegion: referenceCode(context.iceRegions, 'ICE region'),
      redNotice: oneOf(RED_NOTICE.codes, 'red notice status'),
      caseType: oneOf(CASE_TYPE.codes, 'case type'),
      immigrationStatus: oneOf(IMMIGRATION_STATUS.codes, 'immigration status'),
      identifiedForRemoval: flag(),
      voluntaryReturnDeclinedOn: optionalDate(),
      documentation: z.strictObject({
        travelDocument: oneOf(TRAVEL_DOCUMENT.codes, 'travel document'),
        heldBy: oneOf(DOCUMENT_HOLDER.codes, 'document holder').nullable().default(null),
        expiryDate: optionalDate(),
        etdStatus: oneOf(ETD_STATUS.codes, 'ETD status'),
        identityStatus: oneOf(IDENTITY_STATUS.codes, 'identity status'),
      }),
      reporting: z.strictObject({
        location: referenceCode(context.reportingLocations, 'reporting location'),
        type: oneOf(REPORTING_TYPE.codes, 'reporting type'),
        frequency: oneOf(REPORTING_FREQUENCY.codes, 'reporting frequency'),
        nextDates: z
          .array(date(), { error: expected('a list of dates') })
          .max(3, 'must hold at most three dates')
          .refine((dates) => dates.every((d, i) => i === 0 || d > (dates[i - 1] as string)), {
            error: 'must be in date order, earliest first, without repeats',
          }),
        lastAttended: optionalDate(),
        missedEvents90Days: count(200),
        consecutiveMissed: count(200),
        compliance: oneOf(COMPLIANCE.codes, 'compliance status'),
        everOutOfContact: flag(),
        whereabouts: oneOf(WHEREABOUTS.codes, 'whereabouts'),
        bail: z.strictObject({
          residenceCondition: flag(),
          electronicMonitoring: oneOf(ELECTRONIC_MONITORING.codes, 'electronic monitoring type'),
          curfew: flag(),
          emLastReviewed: optionalDate(),
        }),
      }),
      barriers: z.array(barrier, { error: expected('a list') }).max(50, 'must hold at most 50 barriers'),
      harm: z.strictObject({
        foreignNationalOffender: flag(),
        longestSentenceMonths: count(1200).nullable().default(null),
        harmLevel: oneOf(HARM_LEVEL.codes, 'harm level'),
        deportationOrder: flag(),
        onLicence: flag(),
        offences: z.array(offence, { error: expected('a list') }).max(100, 'must hold at most 100 offences'),
      }),
      family: z.strictObject({
        relationship: oneOf(RELATIONSHIP.codes, 'relationship'),
        primaryCarer: flag(),
        familyCase: flag(),
        children: z.array(child, { error: expected('a list') }).max(30, 'must hold at most 30 children'),
      }),
      vulnerability: z.strictObject({
        adultAtRiskLevel: count(3),
        nrmStatus: oneOf(NRM_STATUS.codes, 'NRM status'),
        selfHarmRisk: flag(),
        careLeaver: flag(),
        pregnant: flag(),
        emContraindicated: flag(),
        indicators: z
          .array(indicator, { error: expected('a list') })
          .max(30, 'must hold at most 30 indicators'),
      }),
      referrals: z.array(referral, { error: expected('a list') }).max(20, 'must hold at most 20 referrals'),
      sourceUpdatedAt: instant(context.today).nullable().default(null),
    })
    .refine((p) => p.caseType !== 'FNO' || p.harm.foreignNationalOffender, {
      error: 'must be true when caseType is FNO (a foreign national offender case)',
      path: ['harm', 'foreignNationalOffender'],
    })
    .refine((p) => locationInRegion(context, p.reporting.location, p.romRegion), {
      error: (issue) => {
        const p = issue.input as { romRegion: string; reporting: { location: string } }
        const region = context.reportingLocations.get(p.reporting.location)
        return `${quoted(p.reporting.location)} is in ROM region ${region}, not in the person's romRegion ${quoted(p.romRegion)}`
      },
      path: ['reporting', 'location'],
    })
}

export type CaseRecord = z.output<ReturnType<typeof extractRecordSchema>>
/** What a source system writes: defaults may be left out. */
export type CaseRecordInput = z.input<ReturnType<typeof extractRecordSchema>>
