/**
 * `ipic jobs`: the background jobs of every instance, newest first (kind,
 * state, attempts, when queued, started and finished, and why a failed one
 * failed); `ipic jobs retry ID` gives a failed job another attempt,
 * recorded in the audit trail with the account that ran it; and
 * `ipic jobs work` works the queue without serving pages, for an
 * installation that keeps its background work on machines of its own.
 */
import { recordJobRetry } from '../audit/job-retries.ts'
import { BackgroundJobs } from '../jobs/background-jobs.ts'
import { isJobId, JobList, type JobRecord, type JobState } from '../jobs/job-list.ts'
import type { JobQueue } from '../jobs/queue.ts'
import { openRuntime, type Runtime, withRuntime } from '../runtime.ts'
import { UserFacingError } from './errors.ts'
import { startJobWork } from './job-work.ts'
import { operatingSystemAccount } from './operating-system-account.ts'
import { formatTable } from './text-table.ts'

export interface ListJobsOptions {
  readonly limit: number
  readonly state?: readonly JobState[]
}

export async function listJobsCommand(options: ListJobsOptions): Promise<void> {
  if (options.limit < 1) throw new UserFacingError('--limit must be 1 or more')
  await withRuntime(async ({ database }) => {
    const jobs = await new JobList(database.db).recent({
      limit: options.limit,
      ...(options.state ? { states: options.state } : {}),
    })
    process.stdout.write(`${formatJobs(jobs)}\n`)
  })
}

const when = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'short',
  timeStyle: 'medium',
  timeZone: 'Europe/London',
})

/** The jobs as a table for the terminal; a sentence when there are none. */
export function formatJobs(jobs: readonly JobRecord[]): string {
  if (jobs.length === 0) return 'No background jobs.'
  return formatTable(
    [
      { header: 'ID' },
      { header: 'Kind' },
      { header: 'State' },
      { header: 'Attempts', align: 'right' },
      { header: 'Queued' },
      { header: 'Started' },
      { header: 'Finished' },
      { header: 'Error' },
    ],
    jobs.map((job) => [
      job.id,
      job.kind,
      job.state,
      `${job.attempts} of ${job.maxAttempts}`,
      when.format(job.queuedAt),
      job.startedAt ? when.format(job.startedAt) : '',
      job.finishedAt ? when.format(job.finishedAt) : '',
      // One line per job: a message with line breaks would break the table.
      job.error?.replace(/\s+/g, ' ') ?? '',
    ]),
  )
}

export async function retryJobCommand(id: string): Promise<void> {
  if (!isJobId(id)) {
    throw new UserFacingError(`"${id}" is not a job ID: "ipic jobs" lists the jobs with their IDs`)
  }
  await withRuntime((runtime) => retryJob(runtime, id, operatingSystemAccount()))
}

/**
 * The retry itself, as the account named asked for it: recorded in the
 * audit trail as a command's (no user), with the account, as `ipic rules
 * publish` records its publisher. Only asks for the retry: the instances'
 * workers take the job, and their upkeep is theirs.
 */
export async function retryJob(
  runtime: Pick<Runtime, 'config' | 'clock' | 'database'>,
  id: string,
  account: string,
): Promise<void> {
  const jobs = new BackgroundJobs(runtime.database, runtime.config)
  const outcome = await jobs.retry(
    id,
    recordJobRetry(runtime.clock, { userId: null, through: 'command', account }),
  )
  if (outcome === 'not-found') {
    throw new UserFacingError(`no job has the ID ${id}: "ipic jobs" lists the jobs with their IDs`)
  }
  if (outcome === 'not-failed') {
    const job = await jobs.find(id)
    throw new UserFacingError(`job ${id} is ${job?.state ?? 'not failed'}: only a failed job can be retried`)
  }
  process.stdout.write(
    `Job ${id} will be tried again by the next instance to look for work ("ipic jobs" shows how it went).\n`,
  )
}

/** Works the queue until stopped (Ctrl+C or SIGTERM), finishing the job under way first. */
export async function workJobsCommand(): Promise<void> {
  const runtime = await openRuntime()
  let queue: JobQueue
  try {
    queue = await startJobWork(runtime)
  } catch (error) {
    await runtime.close()
    throw error
  }
  process.stdout.write('Working the background job queue: Ctrl+C stops once the job under way is done.\n')
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await queue.close()
  await runtime.close()
}
