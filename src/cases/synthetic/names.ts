/**
 * Pools of en-GB family and given names for synthetic persons, drawn once
 * from faker's en_GB locale (which adds double-barrelled family names to the
 * English lists). The generator then picks from the pools with its own seeded
 * stream: asking faker for every person would tie each name to faker's single
 * global sequence, and cost a few seconds per million persons.
 *
 * The pools come from a fixed faker seed, so they are the same on every run
 * for a given faker version. Only the en_GB locale is loaded: faker's main
 * entry point loads every locale, which would double the generator's heap.
 * That locale's faker instance is shared, so it is seeded here once, the
 * first time the pools are needed, and the pools are kept.
 */
import { faker } from '@faker-js/faker/locale/en_GB'

export interface NamePools {
  readonly familyNames: readonly string[]
  readonly givenNames: { readonly female: readonly string[]; readonly male: readonly string[] }
  readonly middleNames: { readonly female: readonly string[]; readonly male: readonly string[] }
}

const POOL_SEED = 20_240_101
const FAMILY_NAMES = 6_000
const GIVEN_NAMES = 3_000
const MIDDLE_NAMES = 600

let pools: NamePools | undefined

export function namePools(): NamePools {
  if (pools) return pools
  faker.seed(POOL_SEED)
  const draw = (size: number, name: () => string) => Array.from({ length: size }, name)
  pools = {
    familyNames: draw(FAMILY_NAMES, () => faker.person.lastName()),
    givenNames: {
      female: draw(GIVEN_NAMES, () => faker.person.firstName('female')),
      male: draw(GIVEN_NAMES, () => faker.person.firstName('male')),
    },
    middleNames: {
      female: draw(MIDDLE_NAMES, () => faker.person.middleName('female')),
      male: draw(MIDDLE_NAMES, () => faker.person.middleName('male')),
    },
  }
  return pools
}
