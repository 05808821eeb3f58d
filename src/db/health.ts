/**
 * Whether the service can do its work with this database, for the
 * readiness check (`/health/ready`): the database answers, within
 * `timeoutMs`, and has every migration this code knows applied. A database
 * that hangs counts as down: the check gives up rather than keep a load
 * balancer's or an orchestrator's probe waiting.
 *
 * Liveness (`/health`) asks none of this: a process that is up but whose
 * database is away must not be restarted for it, only given no traffic.
 */
import { type Kysely, sql } from 'kysely'
import { DEFAULT_MIGRATION_TABLE as MIGRATION_TABLE } from 'kysely/migration'
import { migrations } from './migrate.ts'
import type { Tables } from './tables.ts'

export type Readiness =
  | { readonly ready: true }
  | { readonly ready: false; readonly reason: 'database-unreachable' }
  /** The schema is behind this code: `ipic migrate` (or a start) has yet to apply these. */
  | { readonly ready: false; readonly reason: 'migrations-pending'; readonly pending: readonly string[] }

export async function readiness(db: Kysely<Tables>, timeoutMs = 2000): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs)
  })
  const asked = pendingMigrations(db).catch(() => undefined)
  try {
    const pending = await Promise.race([asked, timedOut])
    if (pending === undefined) return { ready: false, reason: 'database-unreachable' }
    return pending.length === 0 ? { ready: true } : { ready: false, reason: 'migrations-pending', pending }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The migrations not yet applied, by name; every one on a database never
 * migrated. Read from the migrator's own table, rather than through its
 * getMigrations, which introspects every table: a probe every few seconds
 * should cost one small query.
 */
async function pendingMigrations(db: Kysely<Tables>): Promise<string[]> {
  const { rows } = await sql<{ migrated: boolean }>`
    select to_regclass(${MIGRATION_TABLE}) is not null as migrated`.execute(db)
  const applied = rows[0]?.migrated
    ? (await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db)).rows
    : []
  const done = new Set(applied.map((row) => row.name))
  return Object.keys(migrations).filter((name) => !done.has(name))
}
