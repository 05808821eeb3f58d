/**
 * `ipic import FILE [--full [--allow-mass-absence]] [--no-rules]`: imports a case extract, showing
 * progress on a terminal (one line on stderr, rewritten in place) and the
 * summary on stdout, so the summary can be kept or piped on its own. The
 * rule run that follows is a job on the queue (docs/decisions/0017-job-queue.md).
 */
import {
  ImportBusyError,
  ImportFileError,
  type ImportSummary,
  importExtract as importCaseExtract,
  MassAbsenceError,
} from '../cases/import.ts'
import { type Runtime, withRuntime } from '../runtime.ts'
import type { RunSummary } from '../tasks/rule-run.ts'
import { UserFacingError } from './errors.ts'
import { runSummaryFrom } from './job-handlers.ts'
import { startJobWork } from './job-work.ts'
import { formatRunSummary } from './rules-run.ts'

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
    if (options.rules === false || !config.runRulesAfterImport) return
    const run = await ruleRunAfterImport(runtime)
    process.stdout.write(`\n${formatRunSummary(run)}\n`)
  })
}

/**
 * Queues the rule run as a job and waits for its outcome. This process works
 * the queue's rule runs meanwhile, so the run happens with no service
 * running; with instances running, any of them may take it, and if this
 * process is stopped the job stays queued (or is retried) for them.
 */
async function ruleRunAfterImport(runtime: Runtime): Promise<RunSummary> {
  const queue = await startJobWork(runtime, { onlyKinds: ['rule-run'] })
  try {
    const id = await queue.enqueue('rule-run', { trigger: 'import', full: false })
    if (process.stderr.isTTY) process.stderr.write(`Rule run queued as job ${id}\n`)
    const job = await queue.settled(id)
    if (job.state === 'completed') return runSummaryFrom(job.result)
    // The import has committed: say so, so nobody imports the extract again.
    throw new UserFacingError(
      `the extract was imported, but the rule run after it ${job.state === 'cancelled' ? 'was cancelled' : `failed: ${job.error}`}. ` +
        `"ipic jobs" shows job ${id}; "ipic jobs retry ${id}" runs it again, or run "ipic rules run"`,
    )
  } finally {
    await queue.close()
  }
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
