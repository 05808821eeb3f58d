/**
 * The pull feed's cursor: a position in the feed, opaque to clients and
 * signed with a key of the service's (derived from its secret for this use
 * alone), so that a cursor changed by hand, cut short or made up is refused
 * as such rather than read from a guessed position.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { FeedPosition } from './event-types.ts'

const PURPOSE = 'ipic decision-event feed cursor v1'

export interface EventCursors {
  issue(position: FeedPosition): string
  /** The position; undefined for a cursor this service did not issue. */
  read(cursor: string): FeedPosition | undefined
}

export function eventCursors(secret: string): EventCursors {
  const key = createHmac('sha256', secret).update(PURPOSE).digest()
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest()
  return {
    issue({ pass, eventId }) {
      const payload = `${pass}.${eventId}`
      return `${payload}.${sign(payload).toString('base64url')}`
    },
    read(cursor) {
      const match = /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(cursor)
      if (!match) return undefined
      const [, pass, eventId, signature] = match as unknown as [string, string, string, string]
      const expected = sign(`${pass}.${eventId}`)
      const given = Buffer.from(signature, 'base64url')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
      return { pass: Number(pass), eventId: Number(eventId) }
    },
  }
}
