/**
 * The audit log of MI downloads: every file of personal data that leaves the
 * service is on record with who took it, what it covered and how big it was.
 */
import type { Kysely } from 'kysely'
import type { RegionScope } from '../access/region-scope.ts'
import type { Clock } from '../clock.ts'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import type { MiFileFormat, MiFileOutcome } from './report-files.ts'

/** Which file left the service: the MI report, or the data-quality list's CSV. */
export type MiDownloadKind = 'REPORT' | 'DATA_QUALITY'

export interface MiDownloadStart {
  /** The MI report unless given. */
  readonly kind?: MiDownloadKind
  readonly userId: string
  readonly scope: RegionScope
  readonly from: IsoDate
  readonly to: IsoDate
  readonly format: MiFileFormat
}

/** Records a download as it starts; returns its ID to record the end against. */
export async function recordDownloadStart(
  db: Kysely<Tables>,
  clock: Clock,
  start: MiDownloadStart,
): Promise<number> {
  const row = await db
    .insertInto('mi_downloads')
    .values({
      kind: start.kind ?? 'REPORT',
      user_id: start.userId,
      started_at: clock.now(),
      regions: start.scope.all ? [] : [...start.scope.codes],
      all_regions: start.scope.all,
      from_date: start.from,
      to_date: start.to,
      format: start.format,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function recordDownloadEnd(
  db: Kysely<Tables>,
  clock: Clock,
  id: number,
  end: { readonly outcome: MiFileOutcome; readonly rows: number },
): Promise<void> {
  await db
    .updateTable('mi_downloads')
    .set({ finished_at: clock.now(), outcome: end.outcome, rows: end.rows })
    .where('id', '=', id)
    .execute()
}
