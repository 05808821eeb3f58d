/**
 * `ipic import FILE [--full [--allow-mass-absence]] [--no-rules]`: imports a case extract, showing
 * progress on a terminal (one line on stderr, rewritten in place) and the
 * summary on stdout, so the summary can be kept or piped on its own.
 */
import {
  ImportBusyError,
  ImportFileError,
  type ImportSummary,
  importExtract as importCaseExtract,
  MassAbsenceError,
} from '../cases/import.ts'
import { withRuntime } from '../runtime.ts'
import { UserFacingError } from './errors.ts'
import { formatRunSummary, runRulesAfterImport } from './rules-run.ts'

export interface ImportCommandOptions {
  full?: boolean
  /** With --full: the absences are real however many there are (see src/cases/absence.ts). */
  allowMassAbsence?: boolean
  rules: boolean
}

export async function importExtract(file: string, options: ImportCommandOptions): Promise<void> {
  if (options.allowMassAbsence && !options.full) {
    throw new UserFacingError('--allow-mass-absence applies only to a full import: add --full')
  }
  await withRuntime(async (runtime) => {
    const { clock, config, database, reference } = runtime
    const progress = process.stderr.isTTY ? new ProgressLine(process.stderr) : undefined
    let summary: ImportSummary
    try {
      summary = await importCaseExtract(database, {
        file,
        full: options.full === true,
        absenceLimit: {
          maxPercent: config.fullImportMaxAbsentPercent,
          allowMore: options.allowMassAbsence === true,
        },
        maxRejectedLines: config.importMaxRejectedLines,
        clock,
        reference,
        ...(progress ? { onProgress: (counts) => progress.show(counts) } : {}),
      })
    } catch (error) {
      if (
        error instanceof ImportFileError ||
        error instanceof ImportBusyError ||
        error instanceof MassAbsenceError
      ) {
        throw new UserFacingError(error.message)
      }
      throw error
    } finally {
      progress?.clear()
    }
    process.stdout.write(formatImportSummary(summary))

    // Unless turned off (IPIC_RUN_RULES_AFTER_IMPORT=false, or --no-rules), the rules follow every import.
    const run = await runRulesAfterImport(runtime, { enabled: options.rules })
    if (run) process.stdout.write(`\n${formatRunSummary(run)}\n`)
  })
}

const number = (n: number) => n.toLocaleString('en-GB')

export function formatImportSummary(summary: ImportSummary): string {
  const rate = summary.seconds > 0 ? Math.round(summary.read / summary.seconds) : summary.read
  const rows: [string, number][] = [
    ['Read', summary.read],
    ['Inserted', summary.inserted],
    ['Updated', summary.updated],
    ['Unchanged', summary.unchanged],
    ['Rejected', summary.rejected],
    ['Marked absent', summary.markedAbsent],
  ]
  const width = Math.max(...rows.map(([, n]) => number(n).length))
  const lines = [
    `Import ${summary.importId} finished in ${summary.seconds.toFixed(1)} s (${number(rate)} records/s)`,
    ...rows.map(([label, n]) => `  ${`${label}:`.padEnd(15)}${number(n).padStart(width)}`),
  ]
  if (summary.rejectsFile) lines.push(`Rejected records and their problems: ${summary.rejectsFile}`)
  return `${lines.join('\n')}\n`
}

/** One status line on a terminal, rewritten in place as batches complete. */
class ProgressLine {
  readonly #stream: NodeJS.WriteStream
  readonly #startedAt = performance.now()

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream
  }

  show({ read, rejected }: { read: number; rejected: number }): void {
    const seconds = (performance.now() - this.#startedAt) / 1000
    const rate = seconds > 0 ? Math.round(read / seconds) : 0
    this.#stream.write(
      `\r\x1b[KImporting: ${number(read)} records read, ${number(rejected)} rejected, ${number(rate)} records/s`,
    )
  }

  clear(): void {
    this.#stream.write('\r\x1b[K')
  }
}
