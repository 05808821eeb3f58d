/**
 * Travel documents, emergency travel document (ETD) progress and identity.
 */
import type { Draft, Input } from './draft.ts'
import { YEAR } from './draft.ts'
import { weighted } from './random.ts'

const travelDocument = weighted<Input['documentation']['travelDocument']>([
  ['VALID_PASSPORT', 24],
  ['EXPIRED_PASSPORT', 14],
  ['EMERGENCY_TRAVEL_DOCUMENT', 4],
  ['NONE', 58],
])
const passportHolder = weighted<NonNullable<Input['documentation']['heldBy']>>([
  ['HOME_OFFICE', 55],
  ['PERSON', 35],
  ['THIRD_PARTY', 10],
])
const identityWithDocument = weighted<Input['documentation']['identityStatus']>([
  ['VERIFIED', 85],
  ['ACCEPTED_UNVERIFIED', 15],
])
const identityWithExpiredPassport = weighted<Input['documentation']['identityStatus']>([
  ['VERIFIED', 60],
  ['ACCEPTED_UNVERIFIED', 30],
  ['DISPUTED', 5],
  ['UNKNOWN', 5],
])
const identityWithoutDocument = weighted<Input['documentation']['identityStatus']>([
  ['VERIFIED', 10],
  ['ACCEPTED_UNVERIFIED', 35],
  ['DISPUTED', 20],
  ['UNKNOWN', 35],
])

export function documentation(draft: Draft): Input['documentation'] {
  const { random, calendar } = draft
  const document = travelDocument(random)
  const etdWithoutDocument = draft.profile.etdWithoutDocument(
    draft.status === 'APPEAL_RIGHTS_EXHAUSTED' || draft.status === 'DEPORTATION_ORDER_SIGNED',
  )
  switch (document) {
    case 'VALID_PASSPORT':
      return {
        travelDocument: document,
        heldBy: passportHolder(random),
        expiryDate: calendar.on(random.int(30, 10 * YEAR)),
        etdStatus: random.chance(0.95) ? 'NOT_STARTED' : 'EXPIRED',
        identityStatus: identityWithDocument(random),
      }
    case 'EMERGENCY_TRAVEL_DOCUMENT':
      // An ETD is issued for one journey and is short-lived; the Home Office keeps it.
      return {
        travelDocument: document,
        heldBy: 'HOME_OFFICE',
        expiryDate: calendar.on(random.int(14, 180)),
        etdStatus: 'ISSUED',
        identityStatus: identityWithDocument(random),
      }
    case 'EXPIRED_PASSPORT':
      return {
        travelDocument: document,
        heldBy: passportHolder(random),
        expiryDate: calendar.on(-random.int(1, Math.min(8 * YEAR, draft.daysOld - 1))),
        etdStatus: etdWithoutDocument(random),
        identityStatus: identityWithExpiredPassport(random),
      }
    case 'NONE':
      return {
        travelDocument: document,
        heldBy: null,
        expiryDate: null,
        etdStatus: etdWithoutDocument(random),
        identityStatus: identityWithoutDocument(random),
      }
  }
}
