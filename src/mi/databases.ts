/**
 * Where the MI writes and where it reads. The figures and rows come from the
 * reader: the read replica when DATABASE_REPLICA_URL is set (its sessions
 * read-only, docs/operating.md), the primary otherwise. The one thing the MI
 * writes, the record of downloads (downloads.ts), has only the primary to go
 * to: it is the sole writer's parameter.
 */
import type { Database } from '../db/connect.ts'

export interface MiDatabases {
  /** The primary: the record of downloads and its audit events. */
  readonly primary: Pick<Database, 'db'>
  /** The read replica, or the primary when there is none. */
  readonly reader: Pick<Database, 'db' | 'pool'>
}
