/**
 * Rule-set publications (migration 0018, docs/decisions/0019): the record
 * that lets a rule-set version run. A version is published once, by
 * `ipic rules publish`, with its impact report, change notes, and who and
 * when; versions that ran before publication records began are recorded as
 * such. Publications are never changed (a trigger refuses it).
 */
import { type Kysely, sql } from 'kysely'
import { recordAuditEvent } from '../audit/events.ts'
import type { RuleSetFile, Tables } from '../db/tables.ts'
import type { ImpactReport } from './impact.ts'

/** The most characters change notes may have: a paragraph or two, as a change log entry. */
export const MAX_NOTES_LENGTH = 2000

export type Publication =
  | {
      readonly basis: 'published'
      readonly version: string
      readonly publishedAt: Date
      /** How it was published: the command and the operating-system account that ran it. */
      readonly publishedFrom: string
      /** The user it was published for (--by), when one was named. */
      readonly publishedBy: { readonly id: string; readonly name: string } | null
      readonly notes: string
      readonly impact: ImpactReport
    }
  | {
      readonly basis: 'before-records'
      readonly version: string
      /** When the version first ran. */
      readonly publishedAt: Date
    }

/** A line of the list of publications: what was published, by whom, and the headline counts. */
export type PublicationSummary =
  | (Omit<Extract<Publication, { basis: 'published' }>, 'impact'> & {
      readonly added: number
      readonly removed: number
      readonly unchanged: number
      readonly flagged: number
    })
  | Extract<Publication, { basis: 'before-records' }>

/** Raised by a rule run asked to run a version nobody has published. */
export class RuleSetNotPublishedError extends Error {
  readonly version: string
  constructor(version: string) {
    super(`rule set ${version} has not been published, so it does not run`)
    this.version = version
  }
}

/** Whether the version may run. */
export async function isPublished(db: Kysely<Tables>, version: string): Promise<boolean> {
  const row = await db
    .selectFrom('rule_set_publications')
    .select('version')
    .where('version', '=', version)
    .executeTakeFirst()
  return row !== undefined
}

export interface NewPublication {
  readonly version: string
  readonly files: readonly RuleSetFile[]
  readonly publishedAt: Date
  readonly publishedFrom: string
  readonly publishedBy: string | null
  readonly notes: string
  readonly impact: ImpactReport
}

/**
 * Stores a publication. A version already published is left as it is and
 * returned as `already`: publishing is idempotent, and the first record
 * (its notes, its report) stands.
 */
export async function recordPublication(
  db: Kysely<Tables>,
  publication: NewPublication,
): Promise<{ readonly stored: boolean; readonly publication: Publication }> {
  // The publication and its audit event are written together, or neither is.
  const inserted = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('rule_set_publications')
      .values({
        version: publication.version,
        basis: 'published',
        published_at: publication.publishedAt,
        published_from: publication.publishedFrom,
        published_by: publication.publishedBy,
        notes: publication.notes,
        files: JSON.stringify(publication.files),
        impact: JSON.stringify(publication.impact),
      })
      .onConflict((oc) => oc.column('version').doNothing())
      .returning('version')
      .executeTakeFirst()
    if (row) {
      await recordAuditEvent(trx, {
        kind: 'rule-set-published',
        at: publication.publishedAt,
        userId: publication.publishedBy,
        version: publication.version,
        publishedFrom: publication.publishedFrom,
      })
    }
    return row
  })
  const stored = await findPublication(db, publication.version)
  if (!stored) throw new Error(`publication of ${publication.version} was not stored`)
  return { stored: inserted !== undefined, publication: stored }
}

export async function findPublication(db: Kysely<Tables>, version: string): Promise<Publication | undefined> {
  const row = await db
    .selectFrom('rule_set_publications as p')
    .leftJoin('users as u', 'u.id', 'p.published_by')
    .select([
      'p.version',
      'p.basis',
      'p.published_at',
      'p.published_from',
      'p.published_by',
      'p.notes',
      'p.impact',
    ])
    .select('u.name as published_by_name')
    .where('p.version', '=', version)
    .executeTakeFirst()
  if (!row) return undefined
  if (row.basis === 'before-records') {
    return { basis: 'before-records', version: row.version, publishedAt: row.published_at }
  }
  return {
    basis: 'published',
    version: row.version,
    publishedAt: row.published_at,
    publishedFrom: row.published_from ?? '',
    publishedBy: row.published_by
      ? { id: row.published_by, name: row.published_by_name ?? row.published_by }
      : null,
    notes: row.notes ?? '',
    impact: storedImpact(row.impact),
  }
}

/** Every publication, newest first, with the headline counts of its report (read in SQL, not the whole report). */
export async function listPublications(db: Kysely<Tables>): Promise<PublicationSummary[]> {
  const result = await sql<{
    version: string
    basis: 'published' | 'before-records'
    published_at: Date
    published_from: string | null
    published_by: string | null
    published_by_name: string | null
    notes: string | null
    added: number | null
    removed: number | null
    unchanged: number | null
    flagged: number | null
  }>`
    select p.version, p.basis, p.published_at, p.published_from, p.published_by, u.name as published_by_name, p.notes,
      (p.impact -> 'totals' ->> 'added')::int as added,
      (p.impact -> 'totals' ->> 'removed')::int as removed,
      (p.impact -> 'totals' ->> 'unchanged')::int as unchanged,
      (p.impact ->> 'flagged')::int as flagged
    from rule_set_publications p left join users u on u.id = p.published_by
    order by p.published_at desc, p.version`.execute(db)
  return result.rows.map((row) =>
    row.basis === 'before-records'
      ? { basis: 'before-records', version: row.version, publishedAt: new Date(row.published_at) }
      : {
          basis: 'published',
          version: row.version,
          publishedAt: new Date(row.published_at),
          publishedFrom: row.published_from ?? '',
          publishedBy: row.published_by
            ? { id: row.published_by, name: row.published_by_name ?? row.published_by }
            : null,
          notes: row.notes ?? '',
          added: row.added ?? 0,
          removed: row.removed ?? 0,
          unchanged: row.unchanged ?? 0,
          flagged: row.flagged ?? 0,
        },
  )
}

/** A stored report as written by this code (format 1); PGlite and pg both return jsonb parsed. */
function storedImpact(value: unknown): ImpactReport {
  const report = (typeof value === 'string' ? JSON.parse(value) : value) as ImpactReport | null
  if (report?.format !== 1) throw new Error('an impact report in an unknown format is stored')
  return report
}
