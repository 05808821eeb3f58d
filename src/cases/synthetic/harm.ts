/**
 * Convictions and harm: foreign national offenders with a custodial sentence
 * of a year or more, and a few people with minor convictions.
 */
import { type Draft, earliestFirst, eventDaysAgo, type Input, YEAR, yearsInDays } from './draft.ts'
import { weighted } from './random.ts'

type Offence = Input['harm']['offences'][number]

const offenceCategory = weighted<Offence['category']>([
  ['DRUGS', 25],
  ['VIOLENCE', 20],
  ['THEFT', 12],
  ['SEXUAL', 8],
  ['ROBBERY', 7],
  ['FRAUD', 7],
  ['WEAPONS', 6],
  ['IMMIGRATION', 6],
  ['PUBLIC_ORDER', 4],
  ['MOTORING', 3],
  ['OTHER', 2],
])
const minorOffenceCategory = weighted<Offence['category']>([
  ['THEFT', 30],
  ['PUBLIC_ORDER', 20],
  ['MOTORING', 20],
  ['IMMIGRATION', 15],
  ['FRAUD', 10],
  ['DRUGS', 5],
])
const offenceCount = weighted<number>([
  [1, 40],
  [2, 25],
  [3, 15],
  [4, 10],
  [5, 6],
  [7, 4],
])
/** The sentence that made the person a foreign national offender: 12 months or more. */
const indexSentenceBand = weighted<readonly [number, number]>([
  [[12, 23], 40],
  [[24, 47], 30],
  [[48, 119], 22],
  [[120, 300], 8],
])
const SERIOUS: ReadonlySet<Offence['category']> = new Set(['VIOLENCE', 'SEXUAL', 'ROBBERY', 'WEAPONS'])
type HarmLevel = Input['harm']['harmLevel']
const harmLevelFor = {
  seriousLong: weighted<HarmLevel>([
    ['HIGH', 70],
    ['MEDIUM', 30],
  ]),
  long: weighted<HarmLevel>([
    ['HIGH', 30],
    ['MEDIUM', 60],
    ['LOW', 10],
  ]),
  seriousMiddle: weighted<HarmLevel>([
    ['HIGH', 30],
    ['MEDIUM', 55],
    ['LOW', 15],
  ]),
  middle: weighted<HarmLevel>([
    ['HIGH', 5],
    ['MEDIUM', 55],
    ['LOW', 40],
  ]),
  seriousShort: weighted<HarmLevel>([
    ['HIGH', 10],
    ['MEDIUM', 50],
    ['LOW', 40],
  ]),
  short: weighted<HarmLevel>([
    ['MEDIUM', 30],
    ['LOW', 70],
  ]),
}
const MINOR_OFFENDER_SHARE = 0.07

export function harm(draft: Draft): Input['harm'] {
  const { random } = draft
  const none: Input['harm'] = {
    foreignNationalOffender: false,
    longestSentenceMonths: null,
    harmLevel: 'NONE',
    deportationOrder: false,
    onLicence: false,
    offences: [],
  }
  // Convictions as an adult, at least a month before the extract.
  const adultDays = draft.daysOld - yearsInDays(18)
  if (adultDays < 60) return none
  const convictedDaysAgo = () => random.int(31, Math.max(31, Math.min(adultDays, 20 * YEAR)))
  const byDate = earliestFirst<Offence>((o) => o.convictedOn)

  if (draft.caseType !== 'FNO') {
    if (!random.chance(MINOR_OFFENDER_SHARE)) return none
    const offences = Array.from({ length: random.int(1, 2) }, (): Offence => {
      return {
        category: minorOffenceCategory(random),
        convictedOn: eventDaysAgo(draft, convictedDaysAgo()),
        sentenceMonths: random.chance(0.7) ? null : random.int(1, 11),
      }
    }).sort(byDate)
    const sentences = offences.map((o) => o.sentenceMonths).filter((months) => typeof months === 'number')
    return {
      ...none,
      longestSentenceMonths: sentences.length > 0 ? Math.max(...sentences) : null,
      harmLevel: random.chance(0.75) ? 'LOW' : 'NONE',
      offences,
    }
  }

  const [shortest, longest] = indexSentenceBand(random)
  const indexOffence: Offence = {
    category: offenceCategory(random),
    convictedOn: eventDaysAgo(draft, convictedDaysAgo()),
    sentenceMonths: random.int(shortest, longest),
  }
  const offences = [indexOffence]
  for (let n = offenceCount(random) - 1; n > 0; n--) {
    offences.push({
      category: offenceCategory(random),
      convictedOn: eventDaysAgo(draft, convictedDaysAgo()),
      sentenceMonths: random.chance(0.4) ? null : random.int(1, 24),
    })
  }
  offences.sort(byDate)
  const longestSentence = Math.max(...offences.map((o) => o.sentenceMonths ?? 0))
  const serious = offences.some((o) => SERIOUS.has(o.category))
  const level =
    longestSentence >= 48
      ? (serious ? harmLevelFor.seriousLong : harmLevelFor.long)(random)
      : longestSentence >= 24
        ? (serious ? harmLevelFor.seriousMiddle : harmLevelFor.middle)(random)
        : (serious ? harmLevelFor.seriousShort : harmLevelFor.short)(random)
  const deportationOrder =
    draft.status === 'DEPORTATION_ORDER_SIGNED' ||
    (draft.status === 'APPEAL_RIGHTS_EXHAUSTED' && random.chance(0.6))
  // Released on licence part-way through a recent custodial sentence.
  const lastCustodial = offences.filter((o) => (o.sentenceMonths ?? 0) >= 12).at(-1)
  const recent = lastCustodial !== undefined && lastCustodial.convictedOn >= draft.calendar.on(-4 * YEAR)
  return {
    foreignNationalOffender: true,
    longestSentenceMonths: longestSentence,
    harmLevel: level,
    deportationOrder,
    onLicence: recent && random.chance(0.45),
    offences,
  }
}
