import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { type CaseRecord, extractRecordSchema } from '../../src/cases/extract.ts'
import { extractContextFor } from '../../src/cases/extract-context.ts'
import { type GenerateOptions, generateCaseRecords, writeExtract } from '../../src/cases/generate.ts'
import { ageOn, daysBetween, type IsoDate } from '../../src/dates.ts'
import { type ReferenceData, readReferenceData } from '../../src/db/reference-data.ts'

const REFERENCE_DIR = resolve(import.meta.dirname, '../../reference')
const TODAY = '2026-03-02' as IsoDate
const SAMPLE_SIZE = 5_000

let reference: ReferenceData
let sample: CaseRecord[]

function options(persons: number, seed = 11, today = TODAY): GenerateOptions {
  return { persons, seed, today, reference }
}

function share(predicate: (person: CaseRecord) => boolean): number {
  return sample.filter(predicate).length / sample.length
}

function assertBetween(actual: number, low: number, high: number, what: string): void {
  assert.ok(
    actual >= low && actual <= high,
    `${what}: ${(actual * 100).toFixed(1)}% is outside ${low * 100}–${high * 100}%`,
  )
}

const openBarriers = (p: CaseRecord) => p.barriers.filter((b) => b.resolvedOn === null)
const ageOf = (p: CaseRecord) => ageOn(p.dateOfBirth as IsoDate, TODAY)

before(async () => {
  reference = await readReferenceData(REFERENCE_DIR)
  const schema = extractRecordSchema(extractContextFor(reference, TODAY))
  sample = [...generateCaseRecords(options(SAMPLE_SIZE))].map((input) => schema.parse(input))
})

describe('generateCaseRecords: determinism', () => {
  it('gives the same records for the same seed, date and reference data', () => {
    const first = JSON.stringify([...generateCaseRecords(options(300, 5))])
    const second = JSON.stringify([...generateCaseRecords(options(300, 5))])
    assert.equal(first, second)
  })

  it('gives different people for a different seed', () => {
    const one = [...generateCaseRecords(options(300, 5))]
    const other = [...generateCaseRecords(options(300, 6))]
    const sameName = one.filter((p, i) => p.familyName === other[i]?.familyName).length
    assert.ok(sameName < 30, `${sameName} of 300 persons kept their family name`)
    assert.notEqual(JSON.stringify(one), JSON.stringify(other))
  })

  it('gives each person the same record however many are generated', () => {
    const few = [...generateCaseRecords(options(40))]
    const many = [...generateCaseRecords(options(400))].slice(0, 40)
    assert.deepEqual(few, many)
  })

  it('generates nothing for zero persons, and refuses a negative count or seed', () => {
    assert.deepEqual([...generateCaseRecords(options(0))], [])
    assert.throws(() => [...generateCaseRecords(options(-1))], RangeError)
    assert.throws(() => [...generateCaseRecords(options(1, -3))], RangeError)
    assert.throws(() => [...generateCaseRecords(options(1.5))], RangeError)
  })
})

describe('generateCaseRecords: validity', () => {
  it('writes records that all pass the extract schema', () => {
    const schema = extractRecordSchema(extractContextFor(reference, TODAY))
    for (const input of generateCaseRecords(options(SAMPLE_SIZE, 99))) {
      const result = schema.safeParse(input)
      assert.ok(result.success, `${input.personId}: ${JSON.stringify(result.error?.issues)}`)
    }
  })

  it('numbers persons from P0000001 and gives each a distinct, plausible Home Office reference', () => {
    assert.equal(sample[0]?.personId, 'P0000001')
    assert.equal(sample.at(-1)?.personId, `P${String(SAMPLE_SIZE).padStart(7, '0')}`)
    assert.equal(new Set(sample.map((p) => p.personId)).size, SAMPLE_SIZE)
    assert.equal(new Set(sample.map((p) => p.homeOfficeReference)).size, SAMPLE_SIZE)
    for (const p of sample) assert.match(p.homeOfficeReference, /^(H\d{7}|[A-Z]\d{7}\/\d{2})$/)
    assertBetween(
      share((p) => p.homeOfficeReference.startsWith('H')),
      0.5,
      0.8,
      'H-style references',
    )
  })

  it('keeps the parts of a record consistent with each other', () => {
    for (const p of sample) {
      const open = openBarriers(p)
      if (p.caseType === 'FNO') {
        assert.ok(p.harm.offences.length > 0, `${p.personId}: offender without offences`)
        assert.ok(
          (p.harm.longestSentenceMonths ?? 0) >= 12,
          `${p.personId}: offender without a 12-month sentence`,
        )
      }
      if (p.harm.deportationOrder)
        assert.ok(p.harm.foreignNationalOffender, `${p.personId}: order without offence`)
      if (p.immigrationStatus === 'ASYLUM_CLAIM_PENDING') {
        assert.ok(
          open.some((b) => b.type === 'ASYLUM_CLAIM' && b.suspensive),
          `${p.personId}: pending claim without an open barrier`,
        )
      }
      if (p.vulnerability.nrmStatus === 'PENDING') {
        assert.ok(
          open.some((b) => b.type === 'TRAFFICKING_REFERRAL_PENDING'),
          `${p.personId}: NRM without barrier`,
        )
      }
      if (p.vulnerability.pregnant) assert.equal(p.gender, 'F')
      if (p.documentation.travelDocument === 'NONE') assert.equal(p.documentation.expiryDate, null)
      if (p.documentation.travelDocument === 'VALID_PASSPORT') {
        assert.ok((p.documentation.expiryDate ?? '') > TODAY, `${p.personId}: valid passport has expired`)
      }
      if (p.reporting.compliance === 'COMPLIANT') assert.equal(p.reporting.consecutiveMissed, 0)
      else
        assert.ok(
          p.reporting.consecutiveMissed >= 1,
          `${p.personId}: ${p.reporting.compliance} but no misses`,
        )
      for (const c of p.family.children) {
        assert.ok(
          c.dateOfBirth <= TODAY && ageOn(c.dateOfBirth as IsoDate, TODAY) < 18,
          `${p.personId}: child age`,
        )
        assert.ok(
          daysBetween(p.dateOfBirth as IsoDate, c.dateOfBirth as IsoDate) >= 16 * 365,
          `${p.personId}: parent age`,
        )
      }
      for (const o of p.harm.offences) {
        assert.ok(
          ageOn(p.dateOfBirth as IsoDate, o.convictedOn as IsoDate) >= 18,
          `${p.personId}: convicted as a child`,
        )
      }
    }
  })

  it('dates every past event before today and records the source update after all of them', () => {
    for (const p of sample) {
      const events = [
        p.reporting.lastAttended,
        p.reporting.bail.emLastReviewed,
        p.voluntaryReturnDeclinedOn,
        ...p.barriers.flatMap((b) => [b.raisedOn, b.resolvedOn]),
        ...p.harm.offences.map((o) => o.convictedOn),
        ...p.vulnerability.indicators.map((i) => i.identifiedOn),
        ...p.referrals.map((r) => r.referredOn),
      ].filter((d): d is string => d !== null)
      const updated = (p.sourceUpdatedAt ?? '').slice(0, 10)
      assert.ok(updated < TODAY, `${p.personId}: updated ${updated}`)
      for (const d of events) {
        assert.ok(d > p.dateOfBirth && d < TODAY, `${p.personId}: event on ${d}`)
        assert.ok(d <= updated, `${p.personId}: event on ${d} after the update on ${updated}`)
      }
    }
  })
})

describe('generateCaseRecords: regions and reporting', () => {
  it('uses every ROM region and every active reporting location, each in the person’s own region', () => {
    const regionOf = new Map(reference.locations.reportingLocations.map((l) => [l.code, l.romRegion]))
    for (const p of sample) assert.equal(regionOf.get(p.reporting.location), p.romRegion, p.personId)
    assert.deepEqual(
      new Set(sample.map((p) => p.romRegion)),
      new Set(reference.regions.romRegions.map((r) => r.code)),
    )
    assert.deepEqual(
      new Set(sample.map((p) => p.reporting.location)),
      new Set(reference.locations.reportingLocations.filter((l) => l.active).map((l) => l.code)),
    )
    assertBetween(
      share((p) => p.iceRegion === p.romRegion),
      0.9,
      0.99,
      'ICE region equal to ROM region',
    )
  })

  it('schedules the next three reporting dates after today, ascending, on weekdays, as often as the frequency says', () => {
    const gap: Record<string, number> = {
      WEEKLY: 7,
      FORTNIGHTLY: 14,
      MONTHLY: 28,
      TWO_MONTHLY: 56,
      QUARTERLY: 91,
      SIX_MONTHLY: 182,
    }
    for (const p of sample) {
      const dates = p.reporting.nextDates as IsoDate[]
      if (dates.length === 0) {
        assert.ok(['CUSTODY', 'LEFT_UK'].includes(p.reporting.whereabouts), `${p.personId}: no dates`)
        continue
      }
      assert.equal(dates.length, 3, p.personId)
      const [first, second, third] = dates as [IsoDate, IsoDate, IsoDate]
      assert.ok(first > TODAY, `${p.personId}: ${first} is not after today`)
      const gaps = [daysBetween(first, second), daysBetween(second, third)]
      const interval = gap[p.reporting.frequency]
      if (interval === undefined) assert.deepEqual([...gaps].sort(), [3, 4], p.personId)
      else assert.deepEqual(gaps, [interval, interval], p.personId)
      assert.ok(daysBetween(TODAY, first) <= (interval ?? 4) + 2, `${p.personId}: first date too far ahead`)
      for (const d of dates) {
        const weekday = new Date(`${d}T00:00:00Z`).getUTCDay()
        assert.ok(weekday >= 1 && weekday <= 5, `${p.personId}: ${d} is at a weekend`)
      }
    }
    // Spread over the coming weeks, not bunched on one day.
    const firstDates = new Set(sample.map((p) => p.reporting.nextDates[0]))
    assert.ok(firstDates.size >= 30, `only ${firstDates.size} distinct first reporting dates`)
    assert.equal(new Set(sample.map((p) => p.reporting.frequency)).size, 7)
  })

  it('makes most people compliant, with a minority who missed events, lost contact or absconded', () => {
    assertBetween(
      share((p) => p.reporting.compliance === 'COMPLIANT'),
      0.75,
      0.92,
      'compliant',
    )
    assertBetween(
      share((p) => p.reporting.compliance === 'FAILED_TO_REPORT'),
      0.03,
      0.15,
      'failed to report',
    )
    assertBetween(
      share((p) => p.reporting.compliance === 'ABSCONDER'),
      0.01,
      0.06,
      'absconders',
    )
    assertBetween(
      share((p) => p.reporting.missedEvents90Days > 0),
      0.05,
      0.25,
      'missed events in 90 days',
    )
    assertBetween(
      share((p) => p.reporting.whereabouts !== 'KNOWN'),
      0.03,
      0.2,
      'whereabouts not known',
    )
    assertBetween(
      share((p) => p.reporting.type !== 'IN_PERSON'),
      0.2,
      0.5,
      'telephone or digital reporting',
    )
  })
})

describe('generateCaseRecords: a realistic caseload', () => {
  it('gives mostly adults of working age, with a few children, disputed ages and elderly people', () => {
    assertBetween(
      share((p) => ageOf(p) >= 18 && ageOf(p) <= 60),
      0.85,
      0.97,
      'aged 18–60',
    )
    assertBetween(
      share((p) => ageOf(p) < 18),
      0.01,
      0.05,
      'under 18',
    )
    assertBetween(
      share((p) => p.ageDisputed),
      0.01,
      0.04,
      'age disputed',
    )
    assertBetween(
      share((p) => ageOf(p) >= 65),
      0.01,
      0.05,
      'aged 65 or more',
    )
  })

  it('spreads nationality over many countries without one dominating', () => {
    const counts = new Map<string, number>()
    for (const p of sample) counts.set(p.nationality, (counts.get(p.nationality) ?? 0) + 1)
    assert.ok(counts.size >= 100, `only ${counts.size} nationalities`)
    assert.ok(Math.max(...counts.values()) / SAMPLE_SIZE < 0.15, 'one nationality is over 15%')
  })

  it('gives a minority open, suspensive, old and resolved barriers', () => {
    assertBetween(
      share((p) => openBarriers(p).length > 0),
      0.25,
      0.55,
      'an open barrier',
    )
    assertBetween(
      share((p) => openBarriers(p).some((b) => b.suspensive)),
      0.15,
      0.4,
      'an open suspensive barrier',
    )
    assertBetween(
      share((p) => openBarriers(p).some((b) => daysBetween(b.raisedOn as IsoDate, TODAY) > 365)),
      0.03,
      0.15,
      'a barrier open for over a year',
    )
    assertBetween(
      share((p) => p.barriers.some((b) => b.resolvedOn !== null)),
      0.1,
      0.45,
      'a resolved barrier',
    )
    assert.equal(new Set(sample.flatMap((p) => p.barriers.map((b) => b.type))).size, 11, 'every barrier type')
  })

  it('includes offenders with sentences, harm levels, deportation orders and electronic monitoring', () => {
    assertBetween(
      share((p) => p.harm.foreignNationalOffender),
      0.12,
      0.28,
      'foreign national offenders',
    )
    assertBetween(
      share((p) => p.harm.harmLevel === 'HIGH'),
      0.01,
      0.1,
      'high harm',
    )
    assertBetween(
      share((p) => p.harm.deportationOrder),
      0.05,
      0.18,
      'deportation orders',
    )
    assertBetween(
      share((p) => p.harm.onLicence),
      0.01,
      0.1,
      'on licence',
    )
    const ordered = sample.filter((p) => p.harm.deportationOrder)
    const tagged = ordered.filter((p) => p.reporting.bail.electronicMonitoring === 'TAG')
    assert.ok(tagged.length / ordered.length > 0.25, 'too few deportation cases are tagged')
    assert.ok(tagged.length / ordered.length < 0.75, 'too many deportation cases are tagged')
    const monitored = sample.filter((p) => p.reporting.bail.electronicMonitoring !== 'NONE')
    assert.ok(
      monitored.filter((p) => p.reporting.bail.emLastReviewed !== null).length / monitored.length > 0.85,
    )
  })

  it('includes children, vulnerability, trafficking, pregnancy and referrals', () => {
    assertBetween(
      share((p) => p.family.children.length > 0),
      0.1,
      0.35,
      'children in the UK',
    )
    assertBetween(
      share((p) => p.vulnerability.indicators.length > 0),
      0.1,
      0.4,
      'vulnerability indicators',
    )
    assertBetween(
      share((p) => p.vulnerability.indicators.some((i) => !i.responseRecorded)),
      0.02,
      0.12,
      'an indicator without a recorded response',
    )
    assertBetween(
      share((p) => p.vulnerability.adultAtRiskLevel >= 2),
      0.03,
      0.15,
      'adults at risk level 2 or 3',
    )
    assertBetween(
      share((p) => p.vulnerability.nrmStatus !== 'NONE'),
      0.04,
      0.15,
      'an NRM referral',
    )
    assertBetween(
      share((p) => p.vulnerability.pregnant),
      0.003,
      0.03,
      'pregnant',
    )
    assertBetween(
      share((p) => p.referrals.some((r) => r.businessArea === 'RETURNS_PREPARATION')),
      0.03,
      0.07,
      'referred by Returns Preparation',
    )
    const areas = new Set(sample.flatMap((p) => p.referrals.map((r) => r.businessArea)))
    assert.deepEqual(areas, new Set(reference.businessAreas.businessAreas.map((b) => b.code)))
  })
})

/**
 * Rough sketches of the domain brief's task types and global safeguards, not
 * the rules themselves: they check that the data gives every task a
 * realistic minority of people to find.
 */
describe('generateCaseRecords: enough people for every task type', () => {
  const appealRightsExhausted = (p: CaseRecord) => p.immigrationStatus === 'APPEAL_RIGHTS_EXHAUSTED'
  const usableDocument = (p: CaseRecord) =>
    ['VALID_PASSPORT', 'EMERGENCY_TRAVEL_DOCUMENT'].includes(p.documentation.travelDocument) &&
    (p.documentation.expiryDate ?? '') > TODAY
  const openSuspensive = (p: CaseRecord) => openBarriers(p).some((b) => b.suspensive)
  const safeguarded = (p: CaseRecord) =>
    p.vulnerability.adultAtRiskLevel >= 2 ||
    p.vulnerability.pregnant ||
    ageOf(p) < 18 ||
    p.ageDisputed ||
    ['PENDING', 'POSITIVE_REASONABLE_GROUNDS', 'POSITIVE_CONCLUSIVE_GROUNDS'].includes(
      p.vulnerability.nrmStatus,
    ) ||
    openSuspensive(p)
  const enforceable = (p: CaseRecord) => !safeguarded(p)
  const daysAgo = (date: string | null) =>
    date === null ? Number.POSITIVE_INFINITY : daysBetween(date as IsoDate, TODAY)

  const sketches: Record<string, (p: CaseRecord) => boolean> = {
    REPORTING_REVIEW: (p) =>
      enforceable(p) &&
      ((p.reporting.compliance === 'COMPLIANT' &&
        p.reporting.missedEvents90Days === 0 &&
        !p.reporting.everOutOfContact &&
        !(p.harm.foreignNationalOffender && p.harm.harmLevel === 'HIGH') &&
        (p.documentation.etdStatus === 'REFUSED' ||
          openBarriers(p).some((b) => b.type === 'NO_RETURNS_ROUTE'))) ||
        p.reporting.missedEvents90Days >= 2),
    REMOTE_REPORTING: (p) =>
      enforceable(p) &&
      p.reporting.type === 'IN_PERSON' &&
      !p.harm.foreignNationalOffender &&
      p.harm.harmLevel !== 'HIGH' &&
      !p.identifiedForRemoval &&
      !p.reporting.everOutOfContact,
    DOCUMENTATION_INTERVIEW: (p) =>
      enforceable(p) &&
      appealRightsExhausted(p) &&
      !usableDocument(p) &&
      !openBarriers(p).some((b) => b.type === 'ASYLUM_CLAIM'),
    VOLUNTARY_RETURN: (p) =>
      enforceable(p) && appealRightsExhausted(p) && daysAgo(p.voluntaryReturnDeclinedOn) > 90,
    DETENTION_REVIEW: (p) =>
      enforceable(p) &&
      usableDocument(p) &&
      openBarriers(p).length === 0 &&
      p.identifiedForRemoval &&
      p.family.children.length === 0,
    EM_REVIEW: (p) =>
      enforceable(p) &&
      p.harm.deportationOrder &&
      !p.vulnerability.emContraindicated &&
      (p.reporting.bail.electronicMonitoring === 'NONE' || daysAgo(p.reporting.bail.emLastReviewed) > 91),
    FAILED_TO_REPORT: (p) =>
      enforceable(p) &&
      p.reporting.consecutiveMissed >= 1 &&
      !['HOSPITAL', 'CUSTODY', 'LEFT_UK'].includes(p.reporting.whereabouts),
    BARRIER_PROGRESSION: (p) => openBarriers(p).some((b) => daysAgo(b.raisedOn) > 365),
    SAFEGUARDING: (p) => p.vulnerability.indicators.some((i) => !i.responseRecorded),
  }

  for (const [task, sketch] of Object.entries(sketches)) {
    it(`gives ${task} a minority of people`, () => assertBetween(share(sketch), 0.01, 0.18, task))
  }

  it('lets the global safeguards hold back a visible minority', () => {
    assertBetween(share(safeguarded), 0.15, 0.45, 'safeguarded')
    // Each safeguard plays its part, not only the barriers.
    assertBetween(
      share((p) => p.vulnerability.adultAtRiskLevel >= 2),
      0.02,
      0.15,
      'adult at risk 2 or 3',
    )
    assertBetween(
      share((p) => ageOf(p) < 18 || p.ageDisputed),
      0.02,
      0.07,
      'under 18 or age disputed',
    )
  })
})

describe('writeExtract', () => {
  let folder: string
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ipic-generate-'))
  })
  after(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('writes one JSON record per line and returns the counts', async () => {
    const file = join(folder, 'extract.ndjson')
    const written = await writeExtract(file, options(250))
    const text = await readFile(file, 'utf8')
    assert.deepEqual(written, { persons: 250, bytes: (await stat(file)).size })
    assert.ok(text.endsWith('\n'))
    const lines = text.slice(0, -1).split('\n')
    assert.equal(lines.length, 250)
    assert.deepEqual(
      lines,
      [...generateCaseRecords(options(250))].map((record) => JSON.stringify(record)),
    )
  })

  it('gzips when the name ends in .gz, to the same lines', async () => {
    const plain = join(folder, 'same.ndjson')
    const packed = join(folder, 'same.ndjson.gz')
    await writeExtract(plain, options(400))
    const written = await writeExtract(packed, options(400))
    const compressed = await readFile(packed)
    assert.equal(written.persons, 400)
    assert.equal(written.bytes, compressed.length)
    assert.deepEqual(compressed.subarray(0, 2), Buffer.from([0x1f, 0x8b]))
    assert.equal(gunzipSync(compressed).toString('utf8'), await readFile(plain, 'utf8'))
  })

  it('writes byte-identical files for the same seed', async () => {
    const one = join(folder, 'one.ndjson.gz')
    const two = join(folder, 'two.ndjson.gz')
    await writeExtract(one, options(300, 42))
    await writeExtract(two, options(300, 42))
    assert.deepEqual(await readFile(one), await readFile(two))
  })

  it('writes an empty file for zero persons', async () => {
    const file = join(folder, 'empty.ndjson')
    assert.deepEqual(await writeExtract(file, options(0)), { persons: 0, bytes: 0 })
    assert.equal(await readFile(file, 'utf8'), '')
  })

  it('fails on a folder that does not exist', async () => {
    await assert.rejects(writeExtract(join(folder, 'missing', 'x.ndjson'), options(5)), { code: 'ENOENT' })
  })

  it('refuses bad options before creating the file', async () => {
    const file = join(folder, 'refused.ndjson')
    await assert.rejects(writeExtract(file, options(-1)), RangeError)
    await assert.rejects(stat(file), { code: 'ENOENT' })
  })

  it('removes the partly written file when writing fails part-way', async (t) => {
    const file = join(folder, 'broken.ndjson')
    // Fail on the 300th person, after several batches have reached the file.
    const stringify = JSON.stringify
    t.mock.method(JSON, 'stringify', (value: unknown, ...rest: never[]) => {
      if ((value as { personId?: string } | null)?.personId === 'P0000300')
        throw new Error('serialising failed')
      return stringify(value, ...rest)
    })
    try {
      await assert.rejects(writeExtract(file, options(1_000)), /serialising failed/)
    } finally {
      t.mock.restoreAll()
    }
    await assert.rejects(stat(file), { code: 'ENOENT' })
  })
})
