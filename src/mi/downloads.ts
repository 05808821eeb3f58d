/**
 * The record of MI downloads: every file of personal data that leaves the
 * service is on record with who took it, what it covered and how big it was.
 * Its start is an event of the audit trail too (src/audit/events.ts); this
 * table keeps how each download ended and its row count.
 */
import type { Kysely } from 'kysely'
import type { RegionScope } from '../access/region-scope.ts'
import { recordAuditEvent } from '../audit/events.ts'
import type { Clock } from '../clock.ts'
import type { IsoDate } from '../dates.ts'
import { retryOnLostConnection } from '../db/lost-connection.ts'
import type { Tables } from '../db/tables.ts'
import type { MiFileFormat, MiFileOutcome } from './report-files.ts'

/** What a system takes the report as: CSV, or one JSON object per line. */
export type MiExportFormat = 'csv' | 'jsonl'

/** Which file left the service: the MI report, or the data-quality list's CSV. */
export type MiDownloadKind = 'REPORT' | 'DATA_QUALITY'

/** Who took the file: a user on the pages, or an API client (then as CSV or JSON lines). */
type MiDownloadTaker =
  | { readonly userId: string; readonly clientId?: undefined; readonly format: MiFileFormat }
  | { readonly userId: null; readonly clientId: string; readonly format: MiExportFormat }

export type MiDownloadStart = MiDownloadTaker & {
  /** The MI report unless given. */
  readonly kind?: MiDownloadKind
  readonly scope: RegionScope
  readonly from: IsoDate
  readonly to: IsoDate
}

/** Records a download as it starts; returns its ID to record the end against. */
export async function recordDownloadStart(
  db: Kysely<Tables>,
  clock: Clock,
  start: MiDownloadStart,
): Promise<number> {
  const now = clock.now()
  const kind = start.kind ?? 'REPORT'
  // The download's own record and its audit event together: a file the audit cannot record is not sent.
  return await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('mi_downloads')
      .values({
        kind,
        user_id: start.userId,
        client_id: start.clientId ?? null,
        started_at: now,
        regions: start.scope.all ? [] : [...start.scope.codes],
        all_regions: start.scope.all,
        from_date: start.from,
        to_date: start.to,
        format: start.format,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAuditEvent(trx, {
      kind: kind === 'REPORT' ? 'mi-download' : 'data-quality-download',
      at: now,
      ...(start.userId === null ? { userId: null, clientId: start.clientId } : { userId: start.userId }),
      format: start.format,
      from: start.from,
      to: start.to,
      regions: start.scope.all ? 'all' : start.scope.codes,
      downloadId: row.id,
    })
    return row.id
  })
}

export async function recordDownloadEnd(
  db: Kysely<Tables>,
  clock: Clock,
  id: number,
  end: { readonly outcome: MiFileOutcome; readonly rows: number },
): Promise<void> {
  const finishedAt = clock.now()
  // A download is often cut off by the very outage that ended its connection; its end must still be recorded.
  await retryOnLostConnection(() =>
    db
      .updateTable('mi_downloads')
      .set({ finished_at: finishedAt, outcome: end.outcome, rows: end.rows })
      .where('id', '=', id)
      .execute(),
  )
}
