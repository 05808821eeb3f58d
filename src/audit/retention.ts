/**
 * Keeping audit events for the configured time, and no longer: the purge
 * deletes events older than the retention period and records that it did,
 * with the cut-off and the count, in the same transaction. The table
 * refuses every other delete (migration 0014); the purge says who it is
 * with a setting that ends with its transaction.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import { recordAuditEvent } from './events.ts'

const DAY_MS = 86_400_000

export interface PurgeResult {
  /** Events before this instant were deleted. */
  readonly before: Date
  readonly deleted: number
}

/** Deletes the events older than `retentionDays` before `now`; `userId` is who asked (null for a command). */
export async function purgeAuditEvents(
  db: Kysely<Tables>,
  input: { readonly now: Date; readonly retentionDays: number; readonly userId: string | null },
): Promise<PurgeResult> {
  const before = new Date(input.now.getTime() - input.retentionDays * DAY_MS)
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('ipic.audit_purge', 'on', true)`.execute(trx)
    const deleted = await trx.deleteFrom('audit_events').where('at', '<', before).executeTakeFirst()
    // Off again before anything else is written in the transaction.
    await sql`select set_config('ipic.audit_purge', 'off', true)`.execute(trx)
    const result = { before, deleted: Number(deleted.numDeletedRows) }
    await recordAuditEvent(trx, { kind: 'audit-purged', at: input.now, userId: input.userId, ...result })
    return result
  })
}
