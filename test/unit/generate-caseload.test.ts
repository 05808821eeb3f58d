/**
 * generateCaseRecords gives a plausible caseload: every region and reporting
 * location used, reporting dates scheduled as the frequency says, and a mix
 * of ages, compliance, barriers, offending and vulnerability. The shares are
 * the stress profile's, kept as they were; the realistic profile's are
 * checked through the rules themselves (caseload-profiles.test.ts).
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { CaseRecord } from '../../src/cases/extract.ts'
import { daysBetween, type IsoDate } from '../../src/dates.ts'
import type { ReferenceData } from '../../src/db/reference-data.ts'
import {
  ageOf,
  assertBetween,
  checkedSample,
  openBarriers,
  readTestReference,
  SAMPLE_SIZE,
  shareOf,
  TODAY,
} from '../support/generated-sample.ts'

let reference: ReferenceData
let sample: CaseRecord[]

const share = (predicate: (person: CaseRecord) => boolean) => shareOf(sample, predicate)

before(async () => {
  reference = await readTestReference()
  sample = checkedSample(reference, 'stress')
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
