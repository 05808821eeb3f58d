/**
 * A small seeded pseudo-random generator for synthetic data (sfc32, seeded
 * through a 32-bit integer hash). Math.random cannot be seeded, and a
 * generator of our own keeps an extract byte-identical for a given seed on
 * every machine and Node version.
 *
 * Each synthetic person draws from a stream of their own, keyed by the seed
 * and their position, so a person's record does not depend on how many
 * others were generated before them.
 */

/** An integer hash with good avalanche, used to spread seeds over the state. */
function mix32(value: number): number {
  let h = value >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad)
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97)
  return (h ^ (h >>> 15)) >>> 0
}

const TWO_TO_32 = 2 ** 32

export class Random {
  #a: number
  #b: number
  #c: number
  #d: number

  /** A stream for `seed` (any non-negative safe integer) and `stream` (e.g. a person's position). */
  constructor(seed: number, stream = 0) {
    const low = seed % TWO_TO_32
    const high = Math.floor(seed / TWO_TO_32)
    this.#a = mix32(low ^ 0x9e3779b9)
    this.#b = mix32(high + this.#a)
    this.#c = mix32((stream % TWO_TO_32) ^ this.#b)
    this.#d = mix32(Math.floor(stream / TWO_TO_32) + this.#c + 0x85ebca6b)
    // The first outputs of sfc32 still echo the seed: discard them.
    for (let i = 0; i < 12; i++) this.next()
  }

  /** A number in [0, 1). */
  next(): number {
    const a = this.#a
    const b = this.#b
    const c = this.#c
    const d = this.#d
    const t = (((a + b) | 0) + d) | 0
    this.#d = (d + 1) | 0
    this.#a = b ^ (b >>> 9)
    this.#b = (c + (c << 3)) | 0
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0
    return (t >>> 0) / TWO_TO_32
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list')
    return items[Math.floor(this.next() * items.length)] as T
  }
}

/** Choices with relative weights (they need not add up to anything in particular). */
export type Weights<T> = ReadonlyArray<readonly [T, number]>

/**
 * A picker over weighted choices, built once and used for every person:
 * cumulative weights and a binary search keep long lists (countries) cheap.
 */
export function weighted<T>(choices: Weights<T>): (random: Random) => T {
  const values: T[] = []
  const cumulative: number[] = []
  let total = 0
  for (const [value, weight] of choices) {
    if (!(weight >= 0)) throw new RangeError(`weight ${weight} is not a non-negative number`)
    if (weight === 0) continue
    total += weight
    values.push(value)
    cumulative.push(total)
  }
  if (values.length === 0) throw new RangeError('no choice has a positive weight')
  return (random) => {
    const target = random.next() * total
    let low = 0
    let high = cumulative.length - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((cumulative[middle] as number) > target) high = middle
      else low = middle + 1
    }
    return values[low] as T
  }
}
