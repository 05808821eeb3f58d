/**
 * Who the person is: age, gender, names, case type, immigration status,
 * Home Office reference.
 */
import type { IsoDate } from '../../dates.ts'
import type { CaseType, ImmigrationStatus, Input } from './draft.ts'
import type { NamePools } from './names.ts'
import { Random, weighted } from './random.ts'

type AgeGroup = 'MINOR' | 'DISPUTED' | 'YOUNG' | 'ADULT' | 'MIDDLE' | 'OLDER' | 'ELDERLY'
export const ageGroup = weighted<AgeGroup>([
  ['MINOR', 1.5],
  ['DISPUTED', 2],
  ['YOUNG', 18],
  ['ADULT', 45],
  ['MIDDLE', 27.5],
  ['OLDER', 3.5],
  ['ELDERLY', 2.5],
])
export const AGE_RANGE: Record<AgeGroup, readonly [number, number]> = {
  MINOR: [14, 17],
  // Claims to be a child, or only just an adult; the Home Office disputes it.
  DISPUTED: [15, 19],
  YOUNG: [18, 24],
  ADULT: [25, 39],
  MIDDLE: [40, 59],
  OLDER: [60, 64],
  ELDERLY: [65, 85],
}

export const gender = weighted<Input['gender']>([
  ['M', 73],
  ['F', 25],
  ['X', 0.5],
  ['U', 1.5],
])

export const caseTypeForAdult = weighted<CaseType>([
  ['ASYLUM', 34],
  ['NON_ASYLUM', 46],
  ['FNO', 20],
])
export const caseTypeForChild = weighted<CaseType>([
  ['ASYLUM', 90],
  ['NON_ASYLUM', 10],
])

export const STATUS_BY_CASE_TYPE: Record<CaseType, (random: Random) => ImmigrationStatus> = {
  ASYLUM: weighted([
    ['ASYLUM_CLAIM_PENDING', 26],
    ['APPEAL_PENDING', 12],
    ['APPEAL_RIGHTS_EXHAUSTED', 62],
  ]),
  NON_ASYLUM: weighted([
    ['OVERSTAYER', 52],
    ['ILLEGAL_ENTRANT', 26],
    ['LEAVE_CURTAILED', 11],
    ['APPEAL_PENDING', 5],
    ['APPEAL_RIGHTS_EXHAUSTED', 6],
  ]),
  FNO: weighted([
    ['DEPORTATION_ORDER_SIGNED', 44],
    ['APPEAL_PENDING', 12],
    ['APPEAL_RIGHTS_EXHAUSTED', 20],
    ['OVERSTAYER', 14],
    ['ILLEGAL_ENTRANT', 10],
  ]),
}
export const statusForChild = weighted<ImmigrationStatus>([
  ['ASYLUM_CLAIM_PENDING', 60],
  ['APPEAL_PENDING', 25],
  ['APPEAL_RIGHTS_EXHAUSTED', 15],
])

export const redNoticeForOffender = weighted<Input['redNotice']>([
  ['NONE', 96],
  ['SUBJECT', 2],
  ['UNVERIFIED', 2],
])
export const redNoticeForOthers = weighted<Input['redNotice']>([
  ['NONE', 99.2],
  ['SUBJECT', 0.3],
  ['UNVERIFIED', 0.5],
])

/** Home Office references are numbered in a space of ten million. */
const HO_REFERENCE_SPACE = 10_000_000
/** Coprime with the space, so that index → number is one-to-one below ten million persons. */
const HO_REFERENCE_STRIDE = 7_368_787
const HO_REFERENCE_LETTERS = [...'ABDGKMRSTX']

/** Where a seed's references start in the space, so that each seed spreads them differently. */
export function referenceOffsetFor(seed: number): number {
  return Math.floor(new Random(seed, 0).next() * HO_REFERENCE_SPACE)
}

/** The reference of the person at `index`; an older style one is dated in the years before `today`. */
export function homeOfficeReference(
  referenceOffset: number,
  today: IsoDate,
  random: Random,
  index: number,
): string {
  const number = String((index * HO_REFERENCE_STRIDE + referenceOffset) % HO_REFERENCE_SPACE)
  const digits = number.padStart(7, '0')
  if (random.chance(0.6)) return `H${digits}`
  // The older style: a letter, seven digits and the year the file was opened.
  const year = Number(today.slice(2, 4)) - random.int(0, 15)
  return `${random.pick(HO_REFERENCE_LETTERS)}${digits}/${String((year + 100) % 100).padStart(2, '0')}`
}

/** en-GB names; someone of another or unknown gender takes a name from either list. */
export function fullName(
  names: NamePools,
  random: Random,
  sex: Input['gender'],
): { family: string; given: string } {
  const pool = sex === 'F' || (sex !== 'M' && random.chance(0.5)) ? 'female' : 'male'
  const first = random.pick(names.givenNames[pool])
  const given = random.chance(0.25) ? `${first} ${random.pick(names.middleNames[pool])}` : first
  return { family: random.pick(names.familyNames), given }
}
