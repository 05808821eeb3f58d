/**
 * Synthetic case extracts: realistic, entirely made-up persons in the extract
 * format, for demos, tests and benchmarks. The same seed, date and reference
 * data always give the same records, byte for byte.
 */
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { lstat, rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import type { IsoDate } from '../dates.ts'
import type { ReferenceData } from '../db/reference-data.ts'
import type { CaseRecordInput } from './extract.ts'
import { synthesisePerson } from './synthetic/person.ts'
import { describePopulation } from './synthetic/population.ts'
import { type CaseloadProfileName, DEFAULT_CASELOAD_PROFILE } from './synthetic/profile.ts'

export {
  CASELOAD_PROFILES,
  type CaseloadProfileName,
  DEFAULT_CASELOAD_PROFILE,
  isCaseloadProfileName,
} from './synthetic/profile.ts'

export interface GenerateOptions {
  persons: number
  seed: number
  today: IsoDate
  reference: ReferenceData
  /** Which caseload to draw (docs/decisions/0025-realistic-caseload.md); realistic when not given. */
  profile?: CaseloadProfileName
}

function assertValid(options: GenerateOptions): void {
  if (!Number.isSafeInteger(options.persons) || options.persons < 0) {
    throw new RangeError(`persons must be a whole number, 0 or more (got ${options.persons})`)
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
    throw new RangeError(`seed must be a whole number, 0 or more (got ${options.seed})`)
  }
}

/** The persons of an extract, one at a time, so a caller never holds them all. */
export function* generateCaseRecords(options: GenerateOptions): Generator<CaseRecordInput> {
  assertValid(options)
  const population = describePopulation({ ...options, profile: options.profile ?? DEFAULT_CASELOAD_PROFILE })
  for (let index = 1; index <= options.persons; index++) yield synthesisePerson(population, index)
}

/**
 * Lines are handed to the stream in batches: one chunk per person would
 * spend more time in stream bookkeeping than in making the person.
 */
const BATCH_CHARACTERS = 64 * 1024

function* ndjsonBatches(records: Iterable<CaseRecordInput>, counted: () => void): Generator<string> {
  let batch = ''
  for (const record of records) {
    batch += `${JSON.stringify(record)}\n`
    counted()
    if (batch.length >= BATCH_CHARACTERS) {
      yield batch
      batch = ''
    }
  }
  if (batch.length > 0) yield batch
}

/**
 * Measured on generated extracts, level 3 compresses in about half the time
 * of the default level 6, for a file about a third larger. Extracts are
 * test inputs, rewritten at will, so time matters more than size.
 */
const GZIP_LEVEL = 3

/** Removes what a failed write left behind: only a regular file, never a device such as /dev/stdout. */
async function removePartialFile(file: string): Promise<void> {
  const found = await lstat(file).catch(() => undefined)
  if (found?.isFile()) await rm(file, { force: true })
}

/**
 * Writes an extract as NDJSON, gzip-compressed when the file name ends in
 * `.gz`. Persons are generated only as fast as the file takes them, so memory
 * stays flat however many there are. On failure the partly written file is
 * removed, so a half extract is never mistaken for a whole one.
 *
 * Returns the number of persons and the size of the file in bytes.
 */
export async function writeExtract(
  file: string,
  options: GenerateOptions,
): Promise<{ persons: number; bytes: number }> {
  // Refuse bad options before the file is created or emptied.
  assertValid(options)
  let persons = 0
  const lines = Readable.from(
    ndjsonBatches(generateCaseRecords(options), () => {
      persons++
    }),
    { objectMode: false },
  )
  const output = createWriteStream(file)
  let opened = false
  output.once('open', () => {
    opened = true
  })
  try {
    if (file.toLowerCase().endsWith('.gz')) {
      await pipeline(lines, createGzip({ level: GZIP_LEVEL }), output)
    } else {
      await pipeline(lines, output)
    }
  } catch (error) {
    // The file may still be opening; once it is closed we know whether it exists.
    if (!output.closed) await once(output, 'close').catch(() => undefined)
    if (opened) await removePartialFile(file)
    throw error
  }
  if (!output.closed) await once(output, 'close')
  return { persons, bytes: output.bytesWritten }
}
