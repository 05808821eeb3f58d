/**
 * Writes one batch of an import in one transaction and says what became of
 * each line. The batch's person IDs are claimed first: a person ID this
 * import saw on an earlier line makes the later line a rejection. Each valid
 * record is then new (inserted), changed (updated, its lists replaced),
 * back after a full import marked it absent (made present again), or
 * unchanged, which is not written at all.
 */
import type { Clock } from '../clock.ts'
import type { BulkSession } from '../db/bulk-session.ts'
import { type EncodedBatch, pick, stampPersons } from './encoded-batch.ts'
import {
  addCounts,
  type Claims,
  claimPersonIds,
  firstLines,
  type ImportCounts,
  inTransaction,
  setBatchSettings,
} from './import-store.ts'
import { LIST_NAMES, type ListName } from './person-rows.ts'
import { writePersons } from './person-writes.ts'
import { duplicatePerson } from './problems.ts'
import type { Rejection } from './rejects-file.ts'

export interface BatchOutcome {
  batchCounts: ImportCounts
  rejections: Rejection[]
}

/** One line of a batch: a valid record (its index in the batch) or a rejection. */
type BatchLine =
  | { readonly line: number; readonly personId: string; readonly valid: number }
  | { readonly line: number; readonly personId: string | null; readonly rejection: Rejection }

/** A batch of nothing but lines with no readable person ID claims nothing. */
const NO_CLAIMS: Claims = { claimedNow: () => false, stored: () => null }

/** The batch's valid records and rejections merged back into file order. */
function linesInOrder(batch: EncodedBatch): BatchLine[] {
  const merged: BatchLine[] = []
  let valid = 0
  for (const rejection of batch.rejections) {
    while (valid < batch.lines.length && (batch.lines[valid] as number) < rejection.line) {
      merged.push({ line: batch.lines[valid] as number, personId: batch.personIds[valid] as string, valid })
      valid++
    }
    merged.push({ line: rejection.line, personId: rejection.personId, rejection })
  }
  for (; valid < batch.lines.length; valid++) {
    merged.push({ line: batch.lines[valid] as number, personId: batch.personIds[valid] as string, valid })
  }
  return merged
}

/**
 * Writes one batch in one transaction, and says what became of each line:
 * inserted, updated, unchanged or rejected.
 */
export class BatchWriter {
  readonly #session: BulkSession
  readonly #importId: number
  readonly #clock: Clock

  constructor(session: BulkSession, importId: number, clock: Clock) {
    this.#session = session
    this.#importId = importId
    this.#clock = clock
  }

  write(batch: EncodedBatch): Promise<BatchOutcome> {
    const lines = linesInOrder(batch)
    // A person ID twice in the batch: the later line is found here, without the database.
    const firstInBatch = new Map<string, number>()
    const claimIds: string[] = []
    const claimLines: number[] = []
    for (let i = 0; i < lines.length; i++) {
      const { personId, line } = lines[i] as BatchLine
      if (personId === null || firstInBatch.has(personId)) continue
      firstInBatch.set(personId, line)
      claimIds.push(personId)
      claimLines.push(line)
    }
    const session = this.#session
    return inTransaction(session, async () => {
      await setBatchSettings(session)
      const claims =
        claimIds.length > 0 ? await claimPersonIds(session, this.#importId, claimIds, claimLines) : NO_CLAIMS
      const seenBefore = claimIds.filter((personId) => !claims.claimedNow(personId))
      const earlierLines =
        seenBefore.length > 0 ? await firstLines(session, this.#importId, seenBefore) : new Map()

      const counts: ImportCounts = { read: batch.read, inserted: 0, updated: 0, unchanged: 0, rejected: 0 }
      const rejections: Rejection[] = []
      const inserting: number[] = []
      const changing: number[] = []
      const writing: number[] = []
      const changedIds: string[] = []
      const returningIds: string[] = []
      for (let i = 0; i < lines.length; i++) {
        const entry = lines[i] as BatchLine
        const { personId, line } = entry
        const first =
          personId === null ? undefined : (earlierLines.get(personId) ?? firstInBatch.get(personId))
        const duplicate = personId !== null && first !== undefined && first !== line
        if ('rejection' in entry || duplicate) {
          const problems = 'rejection' in entry ? [...entry.rejection.problems] : []
          if (duplicate) problems.push(duplicatePerson(personId, first))
          rejections.push({ line, personId, problems })
          counts.rejected++
          continue
        }
        if (!claims.claimedNow(entry.personId)) {
          throw new Error(`Person ${entry.personId} was not claimed by this import`)
        }
        const stored = claims.stored(entry.personId)
        if (stored === null) {
          inserting.push(entry.valid)
          writing.push(entry.valid)
          counts.inserted++
        } else if (stored.contentHash !== batch.contentHashes[entry.valid]) {
          changing.push(entry.valid)
          writing.push(entry.valid)
          changedIds.push(entry.personId)
          counts.updated++
        } else if (!stored.present) {
          returningIds.push(entry.personId)
          counts.updated++
        } else {
          counts.unchanged++
        }
      }
      const now = this.#clock.now()
      stampPersons(batch.persons, now)
      await writePersons(
        session,
        {
          newPersons: pick(batch.persons, inserting),
          changedPersons: pick(batch.persons, changing),
          lists: Object.fromEntries(
            LIST_NAMES.map((name) => [name, pick(batch.lists[name], writing)]),
          ) as Record<ListName, Uint8Array>,
          changedIds,
          returningIds,
          newIds: inserting.map((valid) => batch.personIds[valid] as string),
        },
        now,
      )
      await addCounts(session, this.#importId, counts)
      return { batchCounts: counts, rejections }
    })
  }
}
