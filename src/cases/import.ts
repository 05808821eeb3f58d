/**
 * Imports a case extract: streams the file line by line, checks every record,
 * and writes new and changed persons in batches, one transaction each. Bad
 * records go to the rejects file beside the extract and the rest import.
 *
 * The next batch is checked in Node while the database writes the current
 * one; at most one batch is in flight, and the file is read no faster than
 * batches are written, so memory stays flat however long the file is.
 *
 * An import that started is always recorded in `imports` (COMPLETED or
 * FAILED); one refused before it started (missing file, damaged gzip,
 * another import running) writes nothing at all.
 */
import { resolve } from 'node:path'
import type { Clock } from '../clock.ts'
import { type BulkSession, withBulkSession } from '../db/bulk-session.ts'
import type { Database } from '../db/connect.ts'
import type { ReferenceData } from '../db/reference-data.ts'
import { checkExtract } from './checked-extract.ts'
import { extractContextFor } from './extract-context.ts'
import { ImportFileError, openExtractFile } from './extract-file.ts'
import { MAX_LINE_BYTES } from './extract-lines.ts'
import {
  abandonUnfinishedImports,
  addCounts,
  claimPersonIds,
  completeImport,
  createStagingTables,
  deferDurability,
  dropStagingTables,
  failImport,
  firstLines,
  type ImportCounts,
  inTransaction,
  type StagedBatch,
  startImport,
  tryLockImports,
  unlockImports,
  writePersons,
} from './import-store.ts'
import { type EncodedPerson, LIST_NAMES, type ListName } from './person-rows.ts'
import { duplicatePerson } from './problems.ts'
import type { CheckedLine } from './record-check.ts'
import { type Rejection, RejectsFile, rejectsFileFor } from './rejects-file.ts'

export { ImportFileError } from './extract-file.ts'

/** Another import holds the lock: this one did not start. */
export class ImportBusyError extends Error {}

export interface ImportOptions {
  file: string
  /** The extract holds everyone: persons it does not mention are marked as no longer present. */
  full: boolean
  clock: Clock
  reference: ReferenceData
  batchSize?: number
  onProgress?: (progress: { read: number; rejected: number }) => void
}

export interface ImportSummary {
  importId: number
  read: number
  inserted: number
  updated: number
  unchanged: number
  rejected: number
  markedAbsent: number
  seconds: number
  rejectsFile: string | undefined
}

/**
 * Measured on PostgreSQL: below a few thousand records the fixed cost of a
 * batch's statements shows; above ten thousand nothing is gained but memory.
 */
export const DEFAULT_BATCH_SIZE = 5_000

export async function importExtract(database: Database, options: ImportOptions): Promise<ImportSummary> {
  const startedAt = performance.now()
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a whole number, 1 or more')
  const extract = await openExtractFile(options.file)
  const context = extractContextFor(options.reference, options.clock.today())
  const path = resolve(extract.path)

  return withBulkSession(database, async (session) => {
    if (!(await tryLockImports(session))) {
      throw new ImportBusyError('Another import is running: wait for it to finish, then try again')
    }
    try {
      const rejects = await openRejectsFile(rejectsFileFor(extract.path))
      try {
        await abandonUnfinishedImports(session, options.clock.now())
        await createStagingTables(session)
        const importId = await startImport(session, path, options.full, options.clock.now())
        const counts: ImportCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 }
        const writer = new BatchWriter(session, importId, options.clock)
        let inFlight: Promise<void> | undefined

        // One batch in flight: wait for the previous one (and see its failure) before sending the next.
        const submit = async (lines: CheckedLine[]) => {
          if (inFlight) await inFlight
          inFlight = writer.write(lines).then(async ({ batchCounts, rejections }) => {
            addInto(counts, batchCounts)
            await rejects.write(rejections)
            options.onProgress?.({ read: counts.read, rejected: counts.rejected })
          })
          // Observed when awaited; until then a failure must not count as unhandled.
          inFlight.catch(() => {})
        }

        try {
          for await (const lines of checkExtract(extract, context, {
            batchSize,
            maxLineBytes: MAX_LINE_BYTES,
          })) {
            await submit(lines)
          }
          await inFlight
          if (options.full && counts.inserted + counts.updated + counts.unchanged === 0) {
            throw new ImportFileError(
              `${extract.path} holds no valid record: as a full extract it would mark everyone as no longer present, so it was not applied`,
            )
          }
          const markedAbsent = await completeImport(session, importId, options.full, options.clock.now())
          return {
            importId,
            ...counts,
            markedAbsent,
            seconds: (performance.now() - startedAt) / 1000,
            rejectsFile: await rejects.close(),
          }
        } catch (error) {
          // The session must be idle before the failure is recorded on it.
          await inFlight?.catch(() => {})
          const failure = (error as Error)?.message ?? String(error)
          await failImport(session, importId, failure, options.clock.now()).catch(() => {})
          throw error
        }
      } finally {
        await rejects.close()
      }
    } finally {
      await dropStagingTables(session).catch(() => {})
      await unlockImports(session).catch(() => {})
    }
  })
}

async function openRejectsFile(path: string): Promise<RejectsFile> {
  try {
    return await RejectsFile.create(path)
  } catch (error) {
    throw new ImportFileError(
      `The rejects file ${path} cannot be written (${(error as Error).message}): nothing was imported`,
    )
  }
}

function addInto(total: ImportCounts, batch: ImportCounts): void {
  total.read += batch.read
  total.inserted += batch.inserted
  total.updated += batch.updated
  total.unchanged += batch.unchanged
  total.rejected += batch.rejected
}

interface BatchOutcome {
  batchCounts: ImportCounts
  rejections: Rejection[]
}

/**
 * Writes one batch of checked lines in one transaction, and says what became
 * of each: inserted, updated, unchanged or rejected.
 */
class BatchWriter {
  readonly #session: BulkSession
  readonly #importId: number
  readonly #clock: Clock

  constructor(session: BulkSession, importId: number, clock: Clock) {
    this.#session = session
    this.#importId = importId
    this.#clock = clock
  }

  write(lines: readonly CheckedLine[]): Promise<BatchOutcome> {
    // A person ID twice in the batch: the later line is found here, without the database.
    const firstInBatch = new Map<string, number>()
    const claims: { personId: string; line: number }[] = []
    for (const line of lines) {
      const personId = personIdOf(line)
      if (personId === null || firstInBatch.has(personId)) continue
      firstInBatch.set(personId, line.line)
      claims.push({ personId, line: line.line })
    }
    const session = this.#session
    return inTransaction(session, async () => {
      await deferDurability(session)
      const claimed = claims.length > 0 ? await claimPersonIds(session, this.#importId, claims) : new Map()
      const seenBefore = claims
        .filter(({ personId }) => !claimed.has(personId))
        .map(({ personId }) => personId)
      const earlierLines =
        seenBefore.length > 0 ? await firstLines(session, this.#importId, seenBefore) : new Map()
      const firstLineOf = (personId: string, line: number): number | undefined => {
        const first = earlierLines.get(personId) ?? firstInBatch.get(personId)
        return first === line ? undefined : first
      }

      const batchCounts: ImportCounts = {
        read: lines.length,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        rejected: 0,
      }
      const rejections: Rejection[] = []
      const now = this.#clock.now()
      const staged = new StagedLines(now)
      for (const line of lines) {
        const personId = personIdOf(line)
        const firstLine = personId === null ? undefined : firstLineOf(personId, line.line)
        if (line.kind === 'rejected' || firstLine !== undefined) {
          const problems = line.kind === 'rejected' ? [...line.problems] : []
          if (personId !== null && firstLine !== undefined)
            problems.push(duplicatePerson(personId, firstLine))
          rejections.push({ line: line.line, personId, problems })
          batchCounts.rejected++
          continue
        }
        const stored = claimed.get(line.person.personId)
        if (stored === undefined)
          throw new Error(`Person ${line.person.personId} was not claimed by this import`)
        if (stored === null) {
          staged.addNew(line)
          batchCounts.inserted++
        } else if (stored.contentHash !== line.person.contentHash) {
          staged.addChanged(line)
          batchCounts.updated++
        } else if (!stored.present) {
          staged.returningIds.push(line.person.personId)
          batchCounts.updated++
        } else {
          batchCounts.unchanged++
        }
      }
      await writePersons(session, staged, now)
      await addCounts(session, this.#importId, batchCounts)
      return { batchCounts, rejections }
    })
  }
}

type ValidLine = Extract<CheckedLine, { kind: 'valid' }>

function personIdOf(line: CheckedLine): string | null {
  return line.kind === 'valid' ? line.person.personId : line.personId
}

/** The new and changed persons of a batch, as COPY text. */
class StagedLines implements StagedBatch {
  newPersons = ''
  changedPersons = ''
  lists = Object.fromEntries(LIST_NAMES.map((name) => [name, ''])) as Record<ListName, string>
  changedIds: string[] = []
  returningIds: string[] = []
  /** The import's own columns of a new person: first imported, data changed, present. */
  readonly #newPersonTail: string

  constructor(now: Date) {
    const instant = now.toISOString()
    this.#newPersonTail = `\t${instant}\t${instant}\tt\n`
  }

  addNew({ person }: ValidLine): void {
    this.newPersons += `${person.person}${this.#newPersonTail}`
    this.#addLists(person)
  }

  addChanged({ person }: ValidLine): void {
    this.changedPersons += `${person.person}\n`
    this.changedIds.push(person.personId)
    this.#addLists(person)
  }

  #addLists(person: EncodedPerson): void {
    for (const name of LIST_NAMES) this.lists[name] += person.lists[name]
  }
}
