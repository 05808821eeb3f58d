/**
 * The reference shown on the "problem with the service" page and written in
 * the log line with the error, so a user can read it out and support can
 * find exactly what went wrong. Short, in Crockford's base 32 (no I, L, O or
 * U), because people copy it by hand.
 */
import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

export function newErrorReference(): string {
  // 32 symbols divide 256 evenly, so every symbol is equally likely.
  const symbols = [...randomBytes(8)].map((byte) => ALPHABET[byte % ALPHABET.length])
  return `${symbols.slice(0, 4).join('')}-${symbols.slice(4).join('')}`
}
