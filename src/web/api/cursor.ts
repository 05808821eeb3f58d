/**
 * The opaque cursor of a task search: where the next lot of tasks starts
 * in the tab's order (a sort key, list-query.ts), bound to the search it
 * was issued for, and signed with a key of the service's, so that a client
 * can neither forge a position nor carry a cursor over to another search.
 * Text, not a page number: paging goes by key, never by offset.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { SortKey } from '../../review/list-query.ts'

/** Where the cursor's key comes from: its own, so a cursor is never valid as anything else the secret signs. */
const PURPOSE = 'ipic api task-search cursor v1'

/** Where a lot of tasks starts, and its number in the paging (the first lot, without a cursor, is 1). */
export interface CursorPosition {
  readonly key: SortKey
  readonly lot: number
}

export interface CursorSigner {
  /** The cursor for `position` within the search `searchFingerprint` names. */
  issue(position: CursorPosition, searchFingerprint: string): string
  /** The position, or undefined when the cursor was altered, is not one of ours, or is for another search. */
  read(cursor: string, searchFingerprint: string): CursorPosition | undefined
}

const NUMBER = /^-?\d+(\.\d+)?$/
const DATE = /^(\d{4}-\d{2}-\d{2}|infinity)$/
const ID = /^\d{1,19}$/

export function cursorSigner(secret: string): CursorSigner {
  const key = createHmac('sha256', secret).update(PURPOSE).digest()
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest()

  return {
    issue({ key: sortKey, lot }, searchFingerprint) {
      const payload = Buffer.from(
        JSON.stringify([sortKey.negPriority, sortKey.date, sortKey.id, lot, searchFingerprint]),
      ).toString('base64url')
      return `${payload}.${sign(payload).toString('base64url')}`
    },
    read(cursor, searchFingerprint) {
      const [payload, signature, ...rest] = cursor.split('.')
      if (!payload || !signature || rest.length > 0) return undefined
      const expected = sign(payload)
      const given = Buffer.from(signature, 'base64url')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
      let parts: unknown
      try {
        parts = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
      } catch {
        return undefined
      }
      if (!Array.isArray(parts) || parts.length !== 5) return undefined
      const [negPriority, date, id, lot, fingerprint] = parts as unknown[]
      if (fingerprint !== searchFingerprint) return undefined
      // Signed by us, so well formed; checked all the same before it goes back to SQL.
      if (typeof negPriority !== 'string' || !NUMBER.test(negPriority)) return undefined
      if (typeof date !== 'string' || !DATE.test(date)) return undefined
      if (typeof id !== 'string' || !ID.test(id)) return undefined
      if (!Number.isSafeInteger(lot) || (lot as number) < 2) return undefined
      return { key: { negPriority, date, id }, lot: lot as number }
    },
  }
}
