/**
 * The pull feed's cursor: a position in the feed, opaque to clients. It
 * carries a check of its own text, so a cursor changed by hand (or cut
 * short) is refused as such rather than read from a guessed position.
 * Forging one gains nothing: it only names a place in the feed, and every
 * page is filtered by the client's own regions.
 */
import { createHash } from 'node:crypto'
import type { FeedPosition } from './event-types.ts'

const VERSION = 'c1'

function checkOf(body: string): string {
  return createHash('sha256').update(`ipic-event-cursor:${body}`).digest('base64url').slice(0, 12)
}

export function encodeCursor(position: FeedPosition): string {
  const body = `${VERSION}.${position.pass}.${position.eventId}`
  return Buffer.from(`${body}.${checkOf(body)}`).toString('base64url')
}

/** The position a cursor names; undefined for one that this service did not give out. */
export function decodeCursor(cursor: string): FeedPosition | undefined {
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const match = /^(c1)\.(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{12})$/.exec(text)
  if (!match) return undefined
  const [, version, pass, eventId, check] = match
  if (checkOf(`${version}.${pass}.${eventId}`) !== check) return undefined
  return { pass: Number(pass), eventId: Number(eventId) }
}
