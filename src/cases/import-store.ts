/**
 * The SQL side of an import, on one session held for the whole import.
 *
 * Each batch is one transaction: its person IDs are claimed in import_seen
 * (which finds a person ID that appeared earlier in the file without holding
 * every ID in memory; see claimPersonIds), then its persons, lists and
 * facts rows are written (src/cases/person-writes.ts). A batch is
 * committed whole or not at all, and an unchanged person is never
 * rewritten, so an import that stops half way is finished by running it
 * again.
 */
import type { BulkSession } from '../db/bulk-session.ts'
import { IMPORT_LOCK_KEY } from '../db/import-lock.ts'
import { PERSON_ID } from './extract.ts'
import { quoted } from './quoted.ts'

/** What the database holds for a person ID this batch claimed: nothing, or its hash and presence. */
export interface StoredPerson {
  readonly contentHash: string
  readonly present: boolean
}

export interface ImportCounts {
  read: number
  inserted: number
  updated: number
  unchanged: number
  rejected: number
}

export async function inTransaction<T>(session: BulkSession, work: () => Promise<T>): Promise<T> {
  await session.query('begin')
  try {
    const result = await work()
    await session.query('commit')
    return result
  } catch (error) {
    await session.query('rollback').catch(() => {})
    throw error
  }
}

/**
 * One import at a time: a second would clear the first one's claims. A
 * session lock, so a killed import releases it when its connection drops;
 * a rule run will not start while it is held (src/db/import-lock.ts).
 */
export async function tryLockImports(session: BulkSession): Promise<boolean> {
  const [row] = await session.query<{ locked: boolean }>(
    `select pg_try_advisory_lock(${IMPORT_LOCK_KEY}) as locked`,
  )
  return row?.locked === true
}

export async function unlockImports(session: BulkSession): Promise<void> {
  await session.query(`select pg_advisory_unlock(${IMPORT_LOCK_KEY})`)
}

/**
 * An import still RUNNING when the lock is free was killed: it is recorded
 * as FAILED and its claims are cleared. What it committed stays; the new
 * import finds it unchanged.
 */
export async function abandonUnfinishedImports(session: BulkSession, now: Date): Promise<void> {
  await inTransaction(session, async () => {
    await session.query(
      `update imports set status = 'FAILED', finished_at = $1,
         failure = 'stopped before it finished; a later import completed the work'
       where status = 'RUNNING'`,
      [now],
    )
    await session.query('truncate import_seen')
  })
}

export async function startImport(
  session: BulkSession,
  file: string,
  full: boolean,
  now: Date,
): Promise<number> {
  const [row] = await session.query<{ id: number }>(
    `insert into imports (file, full_extract, started_at, status) values ($1, $2, $3, 'RUNNING') returning id`,
    [file, full, now],
  )
  if (!row) throw new Error('The import was not recorded')
  return row.id
}

/** What claiming a batch's person IDs found, for each of them. */
export interface Claims {
  /** False when an earlier line of the file claimed the person ID first. */
  claimedNow(personId: string): boolean
  /** What the database holds for a person ID claimed now: nothing (null), or its hash and presence. */
  stored(personId: string): StoredPerson | null
}

/**
 * Records that this import has seen each person ID (unique within the
 * batch: the caller sees to that), at the given line.
 *
 * A person ID almost never appears twice in a file, so the claims are first
 * copied in all at once, the cheapest way in: the primary key refuses the
 * lot if any was claimed before, and only then are they inserted one by one,
 * skipping those already there. (Copying is about twice as cheap for the
 * server as inserting with ON CONFLICT, which was a third of its work in an
 * import.)
 */
export async function claimPersonIds(
  session: BulkSession,
  importId: number,
  personIds: readonly string[],
  lines: readonly number[],
): Promise<Claims> {
  if (await claimAllAtOnce(session, importId, personIds, lines)) {
    const found = await storedPersons(session, personIds)
    return { claimedNow: () => true, stored: (personId) => found.get(personId) ?? null }
  }
  const claimed = await claimSkippingSeen(session, importId, personIds, lines)
  return {
    claimedNow: (personId) => claimed.has(personId),
    stored: (personId) => claimed.get(personId) ?? null,
  }
}

const UNIQUE_VIOLATION = '23505'

/** Copies every claim in; false (and nothing claimed) when one of the IDs was claimed before. */
async function claimAllAtOnce(
  session: BulkSession,
  importId: number,
  personIds: readonly string[],
  lines: readonly number[],
): Promise<boolean> {
  await session.query('savepoint claim_all')
  try {
    await session.copyIn(
      'import_seen',
      ['import_id', 'person_id', 'line'],
      claimLines(importId, personIds, lines),
    )
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== UNIQUE_VIOLATION) throw error
    await session.query('rollback to savepoint claim_all')
    return false
  }
  await session.query('release savepoint claim_all')
  return true
}

/**
 * The claims as COPY text, written straight into one buffer: built as a
 * string it was a fifth of all the writing thread allocated. A person ID is
 * 1 to 20 letters, digits or hyphens (PERSON_ID, which every ID read from a
 * line is checked against), so it takes one byte a character and needs no
 * escaping.
 */
function claimLines(importId: number, personIds: readonly string[], lines: readonly number[]): Buffer {
  const prefix = `${importId}\t`
  const text = Buffer.allocUnsafe(personIds.length * (prefix.length + MAX_CLAIM_LINE_BYTES))
  let at = 0
  for (let i = 0; i < personIds.length; i++) {
    const personId = personIds[i] as string
    if (!PERSON_ID.test(personId)) throw new Error(`${quoted(personId)} is not a person ID`)
    at += text.write(prefix, at, 'latin1')
    at += text.write(personId, at, 'latin1')
    at += text.write(`\t${lines[i]}\n`, at, 'latin1')
  }
  return text.subarray(0, at)
}

/** After the import's ID: a person ID (20), a tab, a line number (10 digits) and a newline. */
const MAX_CLAIM_LINE_BYTES = 20 + 1 + 10 + 1

/** Inserts the claims not made before: those it made, with what the database holds for each. */
async function claimSkippingSeen(
  session: BulkSession,
  importId: number,
  personIds: readonly string[],
  lines: readonly number[],
): Promise<Map<string, StoredPerson | null>> {
  const rows = await session.query<{
    person_id: string
    content_hash: string | null
    present: boolean | null
  }>(
    `with claimed as (
       insert into import_seen (import_id, person_id, line)
       select $1, c.person_id, c.line from jsonb_to_recordset($2::jsonb) as c(person_id text, line int)
       on conflict (import_id, person_id) do nothing
       returning person_id)
     select c.person_id, p.content_hash, p.present
     from claimed c left join persons p on p.person_id = c.person_id`,
    [importId, JSON.stringify(personIds.map((personId, i) => ({ person_id: personId, line: lines[i] })))],
  )
  return new Map(
    rows.map((row) => [
      row.person_id,
      row.content_hash === null ? null : { contentHash: row.content_hash, present: row.present === true },
    ]),
  )
}

/** What the database holds for those of these person IDs it has. */
async function storedPersons(
  session: BulkSession,
  personIds: readonly string[],
): Promise<Map<string, StoredPerson>> {
  const rows = await session.query<{ person_id: string; content_hash: string; present: boolean }>(
    `select p.person_id, p.content_hash, p.present
     from jsonb_array_elements_text($1::jsonb) as c(person_id) join persons p on p.person_id = c.person_id`,
    [JSON.stringify(personIds)],
  )
  return new Map(rows.map((row) => [row.person_id, { contentHash: row.content_hash, present: row.present }]))
}

/** The line on which each of these person IDs was first seen by this import. */
export async function firstLines(
  session: BulkSession,
  importId: number,
  personIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await session.query<{ person_id: string; line: number }>(
    `select person_id, line from import_seen
     where import_id = $1 and person_id in (select jsonb_array_elements_text($2::jsonb))`,
    [importId, JSON.stringify(personIds)],
  )
  return new Map(rows.map((row) => [row.person_id, row.line]))
}

/**
 * Settings for one batch's transaction, ending with it (`set local`):
 *
 * - A batch may skip waiting for its commit to reach the disk: if the server
 *   crashes, the import is left RUNNING and a re-run redoes the lost batches.
 *   The final commit (COMPLETED) waits as usual, and it can only reach the
 *   disk after every batch before it.
 * - No JIT compilation. A batch's statements each read and write one batch
 *   of persons, but the planner's cost for the facts upsert grows with the
 *   tables it reads by index, and once it passes `jit_above_cost` (about
 *   half way through an import of 1,000,000 persons) every batch paid
 *   80–100 ms to compile a plan it runs once over 5,000 rows: a cost that
 *   grew with the caseload, not the batch
 *   (docs/decisions/0028-import-with-facts.md).
 */
export async function setBatchSettings(session: BulkSession): Promise<void> {
  await session.query(`select set_config('synchronous_commit', 'off', true), set_config('jit', 'off', true)`)
}

export async function addCounts(session: BulkSession, importId: number, counts: ImportCounts): Promise<void> {
  await session.query(
    `update imports set records_read = records_read + $2, inserted = inserted + $3, updated = updated + $4,
       unchanged = unchanged + $5, rejected = rejected + $6
     where id = $1`,
    [importId, counts.read, counts.inserted, counts.updated, counts.unchanged, counts.rejected],
  )
}

/**
 * Ends an import: for a full extract, persons it did not mention are marked
 * as no longer present (never deleted), in their facts rows too; the import is recorded as COMPLETED
 * and its claims are cleared. Returns how many were marked absent.
 */
export async function completeImport(
  session: BulkSession,
  importId: number,
  full: boolean,
  now: Date,
): Promise<number> {
  return inTransaction(session, async () => {
    let markedAbsent = 0
    if (full) {
      const [row] = await session.query<{ n: number }>(
        `with marked as (
           update persons p set present = false
           where p.present
             and not exists (select 1 from import_seen s where s.import_id = $1 and s.person_id = p.person_id)
           returning p.person_id),
         facts as (update person_facts f set present = false from marked m where f.person_id = m.person_id)
         select count(*)::int as n from marked`,
        [importId],
      )
      markedAbsent = row?.n ?? 0
    }
    await session.query(
      `update imports set status = 'COMPLETED', finished_at = $2, marked_absent = $3 where id = $1`,
      [importId, now, markedAbsent],
    )
    await session.query('truncate import_seen')
    return markedAbsent
  })
}

export async function failImport(
  session: BulkSession,
  importId: number,
  failure: string,
  now: Date,
): Promise<void> {
  await inTransaction(session, async () => {
    await session.query(
      `update imports set status = 'FAILED', finished_at = $2, failure = $3 where id = $1`,
      [importId, now, failure.slice(0, 2000)],
    )
    await session.query('truncate import_seen')
  })
}
