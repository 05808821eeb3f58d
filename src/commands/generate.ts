/**
 * `ipic generate`: writes a synthetic case extract for demos, tests and
 * benchmarks. It needs the reference data but no database, so it can run
 * anywhere the repository is checked out.
 */
import {
  CASELOAD_PROFILES,
  type CaseloadProfileName,
  DEFAULT_CASELOAD_PROFILE,
  isCaseloadProfileName,
  writeExtract,
} from '../cases/generate.ts'
import { clockFor, loadConfig } from '../config.ts'
import { type IsoDate, parseIsoDate } from '../dates.ts'
import { readReferenceData } from '../db/reference-data.ts'
import { UserFacingError } from './errors.ts'

export interface GenerateCommandOptions {
  persons: number
  seed: number
  out: string
  today?: string
  /** realistic when not given. */
  profile?: string
}

/** File-system failures a person can put right, in their words. */
const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
}

function extractDate(today: string | undefined): IsoDate | undefined {
  if (today === undefined) return undefined
  const date = parseIsoDate(today)
  if (!date) throw new UserFacingError(`--today must be a real date written as YYYY-MM-DD (got "${today}")`)
  return date
}

function caseloadProfile(profile: string | undefined): CaseloadProfileName | undefined {
  if (profile === undefined || isCaseloadProfileName(profile)) return profile
  throw new UserFacingError(`--profile must be ${CASELOAD_PROFILES.join(' or ')} (got "${profile}")`)
}

function fileSize(bytes: number): string {
  const oneDecimal = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 1 })
  if (bytes < 1_000) return `${bytes} bytes`
  if (bytes < 1_000_000) return `${oneDecimal(bytes / 1_000)} kB`
  return `${oneDecimal(bytes / 1_000_000)} MB`
}

export async function generate(options: GenerateCommandOptions): Promise<void> {
  // Checked before anything is read, so a typing slip is reported at once.
  const given = extractDate(options.today)
  const profile = caseloadProfile(options.profile)
  const config = loadConfig()
  const today = given ?? clockFor(config).today()
  const reference = await readReferenceData(config.referenceDir)

  const started = performance.now()
  let written: { persons: number; bytes: number }
  try {
    written = await writeExtract(options.out, {
      persons: options.persons,
      seed: options.seed,
      today,
      reference,
      ...(profile ? { profile } : {}),
    })
  } catch (error) {
    const problem = FILE_PROBLEMS[(error as NodeJS.ErrnoException)?.code ?? '']
    if (problem) throw new UserFacingError(`cannot write ${options.out}: ${problem}`)
    throw error
  }
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(
    `Wrote ${written.persons.toLocaleString('en-GB')} persons ` +
      `(${profile ?? DEFAULT_CASELOAD_PROFILE} caseload, seed ${options.seed}, today ${today}) ` +
      `to ${options.out} ` +
      `(${fileSize(written.bytes)}) in ${seconds.toFixed(1)} s.\n`,
  )
}
