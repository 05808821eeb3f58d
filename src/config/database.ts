/** Which database the service keeps its data in, and the read replica the MI pages may read from. */
import { resolve } from 'node:path'
import { ConfigError } from './config-error.ts'
import type { Environment } from './environment.ts'

export type DatabaseConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string }

/** A PostgreSQL read replica of the primary (DATABASE_REPLICA_URL): the MI pages read from it. */
export type ReplicaConfig = { readonly kind: 'postgres'; readonly url: string }

/** DATABASE_URL when set; else the embedded database in IPIC_DATA_DIR. */
export function databaseOf(e: Environment): DatabaseConfig {
  return e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : { kind: 'pglite', dataDir: resolve(e.IPIC_DATA_DIR) }
}

/**
 * DATABASE_REPLICA_URL, checked against the primary. A replica of the
 * embedded database cannot exist, and one URL for both is a slip that would
 * only look like a replica: each is refused at start rather than ignored.
 */
export function replicaOf(url: string | undefined, primary: DatabaseConfig): ReplicaConfig | undefined {
  if (url === undefined) return undefined
  if (primary.kind !== 'postgres') {
    throw new ConfigError(
      'DATABASE_REPLICA_URL is set but DATABASE_URL is not: the embedded database has no read replica; set DATABASE_URL to the primary PostgreSQL database, or unset DATABASE_REPLICA_URL',
    )
  }
  if (new URL(url).href === new URL(primary.url).href) {
    throw new ConfigError(
      'DATABASE_REPLICA_URL is the same as DATABASE_URL: unset it and the MI pages read from the primary, or give the address of the replica',
    )
  }
  return { kind: 'postgres', url }
}
