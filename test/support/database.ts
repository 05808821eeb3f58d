/**
 * A fresh, migrated database for one test file, on the engine the suite runs
 * on: PGlite by default, PostgreSQL when DATABASE_URL is set.
 *
 * scripts/test.ts prepares a migrated template once (a PGlite data-directory
 * dump, or a PostgreSQL template database) so each file starts from a copy in
 * a fraction of a second instead of migrating again. Run a file on its own
 * (`node --test test/…`) and it migrates from scratch.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { type Database, openDatabase } from '../../src/db/connect.ts'
import { prepareDatabase } from '../../src/db/prepare.ts'

export const REFERENCE_DIR = resolve(import.meta.dirname, '../../reference')
export const RULES_DIR = resolve(import.meta.dirname, '../../rules')

export interface TestDatabase extends Database {
  /** Empties every table of case, task and user data (reference data stays). */
  reset(): Promise<void>
  /**
   * Calls `listener` after every reset until the returned function is
   * called: an app's services keep counts that a reset empties behind their back.
   */
  afterReset(listener: () => void): () => void
  /** On PostgreSQL, where this copy is, for a test that opens it again its own way. */
  readonly url?: string
}

export function testDatabaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const url = testDatabaseUrl()
  const database = url ? await openPostgresCopy(url) : await openPGliteCopy()
  const listeners = new Set<() => void>()
  return {
    ...database,
    reset: async () => {
      await resetDatabase(database)
      for (const listener of listeners) listener()
    },
    afterReset: (listener) => {
      const own = () => listener()
      listeners.add(own)
      return () => listeners.delete(own)
    },
  }
}

async function openPGliteCopy(): Promise<Database> {
  const template = process.env.IPIC_TEST_PGLITE_TEMPLATE
  const database = await openDatabase(
    { kind: 'pglite', dataDir: '' },
    { inMemory: true, ...(template ? { loadDataDir: new Blob([await readFile(template)]) } : {}) },
  )
  if (!template) await prepareDatabase(database.db, REFERENCE_DIR)
  return database
}

async function openPostgresCopy(url: string): Promise<Database & { url: string }> {
  const template = process.env.IPIC_TEST_PG_TEMPLATE
  const name = `ipic_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`)
  } finally {
    await admin.end()
  }
  const target = new URL(url)
  target.pathname = `/${name}`
  const database = await openDatabase({ kind: 'postgres', url: target.toString() }, { poolSize: 5 })
  if (!template) await prepareDatabase(database.db, REFERENCE_DIR)
  return {
    ...database,
    url: target.toString(),
    close: async () => {
      await database.close()
      const cleanup = new pg.Client({ connectionString: url })
      await cleanup.connect()
      try {
        await cleanup.query(`drop database if exists ${name} with (force)`)
      } finally {
        await cleanup.end()
      }
    },
  }
}

/** Tables holding data that tests create; reference tables are left as migrated. */
const DATA_TABLES = [
  'persons',
  'barriers',
  'offences',
  'children',
  'vulnerability_indicators',
  'referrals',
  'person_facts',
  'person_facts_history',
  'imports',
  'import_seen',
  'users',
  'sessions',
  'task_events',
  'review_evidence',
  'contests',
  'task_assignments',
  'tasks',
  'rule_runs',
  'rule_sets',
  'rule_set_publications',
  'case_openings',
  'audit_events',
  'mi_downloads',
  'sign_in_attempts',
  'api_clients',
  'event_passes',
  'event_subscribers',
  // No foreign key leads here from the tables above, so cascading would not empty it.
  'review_list_changes',
]

async function resetDatabase(database: Database): Promise<void> {
  const existing = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = 'public'`.execute(database.db)
  const names = new Set(existing.rows.map((row) => row.tablename))
  const extra = (process.env.IPIC_TEST_EXTRA_RESET ?? '').split(',').filter(Boolean)
  const tables = [...DATA_TABLES, ...extra].filter((table) => names.has(table))
  await sql.raw(`truncate ${tables.join(', ')} restart identity cascade`).execute(database.db)
}
