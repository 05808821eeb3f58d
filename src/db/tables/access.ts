/**
 * Row types of who uses the service and what they did: users, sessions, case openings, the audit trail, MI downloads and sign-in attempts.
 */
import type { ColumnType, Generated } from 'kysely'
import type { IsoDateColumn, Timestamp, WithDefault } from './columns.ts'

export interface UserRow {
  id: string
  name: string
  email: string | null
  roles: string[]
  regions: WithDefault<string[]>
  all_regions: WithDefault<boolean>
  password_hash: string | null
  active: WithDefault<boolean>
  created_at: WithDefault<Timestamp>
  /** Raised by every change: a form that changes the user carries the version it was filled in against. */
  version: WithDefault<number>
  updated_at: WithDefault<Timestamp>
}

export interface SessionRow {
  id: string
  data: unknown
  expires_at: Timestamp
}

/** Each time a user opened a task's case (append-only). */
export interface CaseOpeningRow {
  id: Generated<number>
  task_id: number
  user_id: string
  opened_at: Timestamp
}

/**
 * The audit trail (append-only; see migration 0014 and src/audit/events.ts,
 * which gives each kind its details).
 */
export interface AuditEventRow {
  id: Generated<number>
  at: Timestamp
  /** Who acted: null for a command, or a failed sign-in with an ID that names nobody. */
  user_id: string | null
  kind: string
  person_id: string | null
  task_id: number | null
  /** The user a change was made to. */
  subject_user_id: string | null
  /** The API client that acted, or that a change was made to (migration 0024). */
  client_id: WithDefault<string | null>
  details: ColumnType<unknown, string, never>
}

/** The audit of MI downloads (see migrations 0006 and 0009). */
export interface MiDownloadRow {
  id: Generated<number>
  /** Who took the file: exactly one of a user (on the pages) and an API client (migration 0029). */
  user_id: string | null
  client_id: string | null
  /** Which file: the MI report, or the data-quality list's CSV. */
  kind: Generated<'REPORT' | 'DATA_QUALITY'>
  started_at: Timestamp
  regions: string[]
  all_regions: boolean
  from_date: IsoDateColumn
  to_date: IsoDateColumn
  format: 'xlsx' | 'csv' | 'jsonl'
  finished_at: Timestamp | null
  outcome: 'COMPLETED' | 'ABORTED' | 'FAILED' | null
  rows: number | null
}

/** Sign-in attempts that count against an ID and an address (see migrations 0010 and 0012). */
export interface SignInAttemptRow {
  id: Generated<number>
  user_id: string
  address: string
  attempted_at: Timestamp
  /** PENDING while its password is being checked; FAILED once it was wrong. */
  outcome: 'PENDING' | 'FAILED'
}

/** A machine client of the API (migration 0024, src/access/machine-clients.ts). */
export interface ApiClientRow {
  client_id: string
  name: string
  /** scrypt, as passwords are; null for a client whose tokens come only from the OpenID provider. */
  secret_hash: string | null
  scopes: string[]
  regions: WithDefault<string[]>
  all_regions: WithDefault<boolean>
  created_at: Timestamp
  /** Null when a command added it. */
  created_by: string | null
  revoked_at: Timestamp | null
  revoked_by: string | null
  last_token_at: Timestamp | null
}

/** A key the service signs its own API access tokens with (migration 0024, src/access/api-tokens.ts). */
export interface ApiTokenKeyRow {
  key_id: string
  secret: string
  created_at: Timestamp
}
