/**
 * One synthetic person, as the source system would send them: a plausible
 * case record whose parts agree with each other (an open asylum claim goes
 * with a pending status, a deportation order with a conviction, reporting
 * dates with the frequency, a missed event with the compliance status).
 *
 * The proportions are chosen so that the caseload looks like a reporting
 * population (mostly compliant adults, a sizeable asylum backlog, a minority
 * of foreign national offenders) and so that each task type in the domain
 * brief, and each global safeguard, applies to a visible minority of people.
 * Nationality is drawn independently of everything else, as it must never
 * drive a rule.
 *
 * Each person draws from a random stream of their own (seed and position),
 * in a fixed order: reordering the calls below changes every extract.
 */
import type { CaseRecordInput } from '../extract.ts'
import { barriers } from './barriers.ts'
import { documentation } from './documentation.ts'
import { type Draft, yearsInDays } from './draft.ts'
import { family } from './family.ts'
import { harm } from './harm.ts'
import {
  AGE_RANGE,
  ageGroup,
  caseTypeForAdult,
  caseTypeForChild,
  fullName,
  gender,
  homeOfficeReference,
  redNoticeForOffender,
  redNoticeForOthers,
  STATUS_BY_CASE_TYPE,
  statusForChild,
} from './identity.ts'
import { ICE_REGION_DIFFERS, type Population } from './population.ts'
import { Random } from './random.ts'
import { referrals } from './referrals.ts'
import { identifiedForRemoval, voluntaryReturnDeclinedOn } from './removal.ts'
import { reporting } from './reporting.ts'
import { vulnerability } from './vulnerability.ts'

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

/** When the source system last changed the record: after its latest event, before today. */
function sourceUpdatedAt(draft: Draft): string {
  const { random } = draft
  const days = random.int(1, Math.max(1, Math.min(draft.mostRecentEvent, 7)))
  const time = `${pad2(random.int(6, 20))}:${pad2(random.int(0, 59))}:${pad2(random.int(0, 59))}`
  return `${draft.calendar.on(-days)}T${time}Z`
}

/** The person at position `index` (1-based) of the extract. */
export function synthesisePerson(population: Population, index: number): CaseRecordInput {
  const random = new Random(population.seed, index)
  const { calendar } = population

  const group = ageGroup(random)
  const child = group === 'MINOR' || group === 'DISPUTED'
  const caseType = (child ? caseTypeForChild : caseTypeForAdult)(random)
  const [youngest, oldest] = AGE_RANGE[group]
  // A foreign national offender was sentenced as an adult, so is at least twenty.
  const years =
    caseType === 'FNO'
      ? random.int(Math.max(20, youngest), Math.max(20, oldest))
      : random.int(youngest, oldest)
  // Whole years plus part of one; leap days are counted so the age stays `years`.
  const daysOld = yearsInDays(years) + random.int(0, 360)
  const sex = gender(random)
  const draft: Draft = {
    random,
    calendar,
    profile: population.profile,
    daysOld,
    age: years,
    child,
    gender: sex,
    caseType,
    status: child ? statusForChild(random) : STATUS_BY_CASE_TYPE[caseType](random),
    mostRecentEvent: Number.POSITIVE_INFINITY,
  }

  const personId = `P${String(index).padStart(7, '0')}`
  const homeOfficeRef = homeOfficeReference(
    population.referenceOffset,
    population.calendar.today,
    random,
    index,
  )
  const name = fullName(population.names, random, sex)
  const nationality = population.nationality(random)
  const romRegion = population.romRegion(random)
  const iceRegion =
    population.iceRegions.includes(romRegion) && !random.chance(ICE_REGION_DIFFERS)
      ? romRegion
      : random.pick(population.iceRegions)
  const location = (population.locationIn.get(romRegion) as (random: Random) => string)(random)

  const documents = documentation(draft)
  const vulnerable = vulnerability(draft)
  const offender = harm(draft)
  const redNotice = (offender.foreignNationalOffender ? redNoticeForOffender : redNoticeForOthers)(random)
  const obstacles = barriers(draft, documents, vulnerable)
  const removal = identifiedForRemoval(
    draft,
    documents,
    obstacles.filter((b) => b.resolvedOn === null),
  )
  const declined = voluntaryReturnDeclinedOn(draft)
  const report = reporting(draft, location, offender, vulnerable)
  const relations = family(draft)
  const referredBy = referrals(draft, population.businessAreas, vulnerable)
  // Last: every event of the record is known by now.
  const updatedAt = sourceUpdatedAt(draft)

  return {
    personId,
    homeOfficeReference: homeOfficeRef,
    familyName: name.family,
    givenNames: name.given,
    dateOfBirth: calendar.on(-daysOld),
    ageDisputed: group === 'DISPUTED',
    gender: sex,
    nationality,
    romRegion,
    iceRegion,
    redNotice,
    caseType,
    immigrationStatus: draft.status,
    identifiedForRemoval: removal,
    voluntaryReturnDeclinedOn: declined,
    documentation: documents,
    reporting: report,
    barriers: obstacles,
    harm: offender,
    family: relations,
    vulnerability: vulnerable,
    referrals: referredBy,
    sourceUpdatedAt: updatedAt,
  }
}
