/**
 * The jobs as people need to see them (`ipic jobs`, the Background jobs
 * page): read straight from pg-boss's table in the service's database, in
 * our own words for the states, newest first. Reading needs no running
 * queue, so a command or a page can show the jobs of every instance.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import { JOB_KINDS } from './kinds.ts'

/** Where pg-boss keeps its tables: a schema of its own, beside the service's. */
export const JOB_SCHEMA = 'pgboss'

/** pg-boss's created, active, retry, completed, failed and cancelled, as an operator says them. */
export const JOB_STATES = ['queued', 'running', 'retrying', 'completed', 'failed', 'cancelled'] as const
export type JobState = (typeof JOB_STATES)[number]

const FROM_PG_BOSS: Readonly<Record<string, JobState>> = {
  created: 'queued',
  active: 'running',
  retry: 'retrying',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
}
const TO_PG_BOSS = Object.fromEntries(Object.entries(FROM_PG_BOSS).map(([boss, ours]) => [ours, boss]))

export interface JobRecord {
  readonly id: string
  /** A JobKind, or the name of a queue another release made. */
  readonly kind: string
  readonly state: JobState
  /** Attempts started so far (0 while it waits for its first). */
  readonly attempts: number
  /** The most attempts it may have, retries included. */
  readonly maxAttempts: number
  readonly queuedAt: Date
  /** When its latest attempt started. */
  readonly startedAt: Date | null
  /** When it completed, failed for good or was cancelled. */
  readonly finishedAt: Date | null
  /** Why its last attempt failed, if it did (kept while it waits to be retried). */
  readonly error: string | null
  /** What its last attempt returned, when it completed. */
  readonly result: unknown
}

/** A job ID as pg-boss makes them: a UUID. Anything else names no job. */
export function isJobId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
}

export interface JobListQuery {
  /** At most this many, newest first. */
  readonly limit: number
  /** Only jobs in these states; every state when absent. */
  readonly states?: readonly JobState[]
}

interface JobRow {
  id: string
  name: string
  state: string
  retry_count: number
  retry_limit: number
  created_on: Date
  started_on: Date | null
  completed_on: Date | null
  output: unknown
}

export class JobList {
  readonly #db: Kysely<Tables>

  constructor(db: Kysely<Tables>) {
    this.#db = db
  }

  async recent(query: JobListQuery): Promise<JobRecord[]> {
    if (!(await this.#queueInstalled())) return []
    const states = (query.states ?? JOB_STATES).map((state) => TO_PG_BOSS[state] ?? state)
    const { rows } = await sql<JobRow>`
      select id::text, name, state::text, retry_count, retry_limit, created_on, started_on, completed_on, output
      from ${sql.table(`${JOB_SCHEMA}.job`)}
      where name in (${sql.join(JOB_KINDS)}) and state::text in (${sql.join(states)})
      order by created_on desc, id
      limit ${query.limit}`.execute(this.#db)
    return rows.map(toRecord)
  }

  async find(id: string): Promise<JobRecord | undefined> {
    if (!isJobId(id) || !(await this.#queueInstalled())) return undefined
    const { rows } = await sql<JobRow>`
      select id::text, name, state::text, retry_count, retry_limit, created_on, started_on, completed_on, output
      from ${sql.table(`${JOB_SCHEMA}.job`)} where id = ${id}::uuid`.execute(this.#db)
    return rows[0] && toRecord(rows[0])
  }

  /** pg-boss makes its tables when a queue first starts: before that there are no jobs to show. */
  async #queueInstalled(): Promise<boolean> {
    const { rows } = await sql<{ installed: boolean }>`
      select to_regclass(${`${JOB_SCHEMA}.job`}) is not null as installed`.execute(this.#db)
    return rows[0]?.installed === true
  }
}

function toRecord(row: JobRow): JobRecord {
  const state = FROM_PG_BOSS[row.state] ?? 'queued'
  const failed = state === 'failed' || state === 'retrying'
  return {
    id: row.id,
    kind: row.name,
    state,
    attempts: row.started_on === null ? 0 : Number(row.retry_count) + 1,
    maxAttempts: Number(row.retry_limit) + 1,
    queuedAt: row.created_on,
    startedAt: row.started_on,
    finishedAt:
      state === 'completed' || state === 'failed' || state === 'cancelled' ? row.completed_on : null,
    error: failed ? errorMessage(row.output) : null,
    result: state === 'completed' ? row.output : null,
  }
}

/** pg-boss keeps a thrown error as its name, message and stack: the message is what a person can act on. */
function errorMessage(output: unknown): string | null {
  if (output === null || typeof output !== 'object') return output == null ? null : String(output)
  const { message, value } = output as { message?: unknown; value?: unknown }
  if (typeof message === 'string' && message !== '') return message
  if (value !== undefined) return errorMessage(value)
  return JSON.stringify(output)
}
