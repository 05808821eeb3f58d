/**
 * Imports a case extract: streams the file line by line, checks every record,
 * and writes new and changed persons in batches, one transaction each. Bad
 * records go to the rejects file beside the extract and the rest import.
 *
 * Reading and checking run on a worker thread (checked-extract.ts) while
 * this thread writes: the next batch is checked while the database writes
 * the current one. One batch is in flight at a time and the file is read no
 * faster than batches are written, so the batches held in memory stay few
 * however long the file is; written batches hand their buffers back to the
 * worker to be filled again.
 *
 * An import that started is always recorded in `imports` (COMPLETED or
 * FAILED); one refused before it started (missing, empty or special file,
 * damaged gzip, another import running) writes nothing at all. One that
 * found no valid record, or rejected more lines than it may, fails: the
 * command exits non-zero, naming the rejects file.
 */
import { resolve } from 'node:path'
import type { Clock } from '../clock.ts'
import { type BulkSession, withBulkSession } from '../db/bulk-session.ts'
import type { Database } from '../db/connect.ts'
import type { ReferenceData } from '../db/reference-data.ts'
import { type AbsenceLimit, checkAbsences, DEFAULT_MAX_ABSENT_PERCENT } from './absence.ts'
import { BatchWriter } from './batch-writer.ts'
import { checkExtract } from './checked-extract.ts'
import type { EncodedBatch } from './encoded-batch.ts'
import { extractContextFor } from './extract-context.ts'
import { type ExtractFile, ImportFileError, openExtractFile } from './extract-file.ts'
import { MAX_LINE_BYTES } from './extract-lines.ts'
import {
  abandonUnfinishedImports,
  completeImport,
  failImport,
  type ImportCounts,
  startImport,
  tryLockImports,
  unlockImports,
} from './import-store.ts'
import { createStagingTables, dropStagingTables } from './person-writes.ts'
import { RejectsFile, rejectsFileFor } from './rejects-file.ts'

export { MassAbsenceError } from './absence.ts'
export { ImportFileError } from './extract-file.ts'

/** Another import holds the lock: this one did not start. */
export class ImportBusyError extends Error {}

export interface ImportOptions {
  file: string
  /** The extract holds everyone: persons it does not mention are marked as no longer present. */
  full: boolean
  /** How many persons a full import may mark absent (absence.ts); by default 10% of those present. */
  absenceLimit?: AbsenceLimit
  clock: Clock
  reference: ReferenceData
  batchSize?: number
  /** The import stops, failed, once it has rejected more lines than this (IPIC_IMPORT_MAX_REJECTED_LINES). */
  maxRejectedLines?: number
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
 * On PostgreSQL, batches of 2,000 to 10,000 records imported at the same
 * rate within the noise of the measurement; larger ones only cost memory.
 * 5,000 ordinary records make about 7 MB of COPY text.
 */
export const DEFAULT_BATCH_SIZE = 5_000

/** Enough to show what is wrong with a source system; far fewer than a hostile file could produce. */
export const DEFAULT_MAX_REJECTED_LINES = 10_000

export async function importExtract(database: Database, options: ImportOptions): Promise<ImportSummary> {
  const startedAt = performance.now()
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError('batchSize must be a whole number, 1 or more')
  }
  const maxRejectedLines = options.maxRejectedLines ?? DEFAULT_MAX_REJECTED_LINES
  if (!Number.isInteger(maxRejectedLines) || maxRejectedLines < 0) {
    throw new RangeError('maxRejectedLines must be a whole number, 0 or more')
  }
  const extract = await openExtractFile(options.file)

  return withBulkSession(database, async (session) => {
    if (!(await tryLockImports(session))) {
      throw new ImportBusyError('Another import is running: wait for it to finish, then try again')
    }
    try {
      const rejects = await openRejectsFile(rejectsFileFor(extract.path), maxRejectedLines)
      try {
        const { importId, counts, markedAbsent } = await runImport(session, extract, rejects, {
          ...options,
          batchSize,
        })
        const seconds = (performance.now() - startedAt) / 1000
        return { importId, ...counts, markedAbsent, seconds, rejectsFile: await rejects.close() }
      } finally {
        await rejects.close()
      }
    } finally {
      await dropStagingTables(session).catch(() => {})
      await unlockImports(session).catch(() => {})
    }
  })
}

/** The import proper, once the lock is held: recorded from start to COMPLETED or FAILED. */
async function runImport(
  session: BulkSession,
  extract: ExtractFile,
  rejects: RejectsFile,
  options: ImportOptions & { batchSize: number },
): Promise<{ importId: number; counts: ImportCounts; markedAbsent: number }> {
  const { clock } = options
  await abandonUnfinishedImports(session, clock.now())
  await createStagingTables(session)
  const importId = await startImport(session, resolve(extract.path), options.full, clock.now())
  const counts: ImportCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 }
  const writer = new BatchWriter(session, importId, clock)
  let inFlight: Promise<void> | undefined

  const context = extractContextFor(options.reference, clock.today())
  const checker = checkExtract(extract, context, {
    batchSize: options.batchSize,
    maxLineBytes: MAX_LINE_BYTES,
  })

  // One batch in flight: the previous one is awaited (and its failure seen) before the next is sent.
  const submit = async (batch: EncodedBatch) => {
    if (inFlight) await inFlight
    inFlight = writer.write(batch).then(async ({ batchCounts, rejections }) => {
      checker.recycle(batch)
      addInto(counts, batchCounts)
      await rejects.write(rejections)
      if (counts.rejected > rejects.maxLines)
        throw new ImportFileError(tooManyRejections(extract, counts, rejects))
      options.onProgress?.({ read: counts.read, rejected: counts.rejected })
    })
    // Observed when awaited; until then a failure must not count as unhandled.
    inFlight.catch(() => {})
  }

  try {
    for await (const batch of checker) await submit(batch)
    await inFlight
    const valid = counts.inserted + counts.updated + counts.unchanged
    if (valid === 0) throw new ImportFileError(noValidRecord(extract, counts, rejects, options.full))
    if (options.full) {
      const limit = options.absenceLimit ?? { maxPercent: DEFAULT_MAX_ABSENT_PERCENT, allowMore: false }
      await checkAbsences(session, importId, limit, { file: extract.path, imported: valid })
    }
    const markedAbsent = await completeImport(session, importId, options.full, clock.now())
    return { importId, counts, markedAbsent }
  } catch (error) {
    // The session must be idle before the failure is recorded on it.
    await inFlight?.catch(() => {})
    const failure = (error as Error)?.message ?? String(error)
    await failImport(session, importId, failure, clock.now()).catch(() => {})
    throw error
  }
}

/** Every line rejected (or none there): an import that changed nothing must not look like one that succeeded. */
function noValidRecord(
  extract: ExtractFile,
  counts: ImportCounts,
  rejects: RejectsFile,
  full: boolean,
): string {
  const found =
    counts.read === 0
      ? `${extract.path} holds no records`
      : `${extract.path} holds no valid record: all ${lines(counts.read)} were rejected (see ${rejects.path})`
  return full
    ? `${found}; as a full extract it would mark everyone as no longer present, so it was not applied`
    : `${found}; nothing was imported`
}

function tooManyRejections(extract: ExtractFile, counts: ImportCounts, rejects: RejectsFile): string {
  return (
    `The import of ${extract.path} stopped after ${lines(counts.read)}: more than ` +
    `${lines(rejects.maxLines)} were rejected (the limit, IPIC_IMPORT_MAX_REJECTED_LINES); the first ` +
    `${rejects.maxLines.toLocaleString('en-GB')} are in ${rejects.path}. The valid records before that point ` +
    'were imported and no one was marked absent: correct the extract and import it again'
  )
}

function lines(n: number): string {
  return `${n.toLocaleString('en-GB')} line${n === 1 ? '' : 's'}`
}

async function openRejectsFile(path: string, maxLines: number): Promise<RejectsFile> {
  try {
    return await RejectsFile.create(path, { maxLines })
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
