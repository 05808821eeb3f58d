/**
 * The Background jobs page: the newest jobs of every instance in one group
 * of states (a sub-navigation tab), each row saying what the job is, its
 * state as a tag, its attempts, when it was queued, started and finished,
 * and its outcome: the error of a failed job, the figures of a completed one.
 */
import type { JobRecord, JobState } from '../../jobs/job-list.ts'
import { isJobKind } from '../../jobs/kinds.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import { JOB_KIND_NAMES, JOB_STATE_TAGS, jobOutcomeWords } from '../job-messages.ts'
import { paths } from '../paths.ts'

/** The tabs: every job, or those of one group of states. */
export type JobListTab = 'all' | 'unfinished' | 'failed' | 'completed'

export const JOB_LIST_TABS: readonly {
  readonly tab: JobListTab
  readonly text: string
  readonly states: readonly JobState[] | undefined
  readonly empty: string
}[] = [
  { tab: 'all', text: 'All jobs', states: undefined, empty: 'No background job has been queued yet.' },
  {
    tab: 'unfinished',
    text: 'Queued or running',
    states: ['queued', 'running', 'retrying'],
    empty: 'No job is queued, running or waiting to retry.',
  },
  { tab: 'failed', text: 'Failed', states: ['failed'], empty: 'No job has failed.' },
  { tab: 'completed', text: 'Completed', states: ['completed'], empty: 'No job has completed yet.' },
]

/** How many rows the page shows: the newest; `ipic jobs --limit` reaches further. */
export const JOBS_SHOWN = 100

export function jobListTab(value: unknown): JobListTab {
  return JOB_LIST_TABS.find((entry) => entry.tab === value)?.tab ?? 'all'
}

export function jobListPage(input: {
  tab: JobListTab
  jobs: readonly JobRecord[]
  /** Whether the user may retry a failed job here (`jobs:retry`). */
  canRetry: boolean
  /** Why a retry asked for was not made: shown in the error summary. */
  problem?: string | undefined
}) {
  const current = JOB_LIST_TABS.find((entry) => entry.tab === input.tab) ?? JOB_LIST_TABS[0]!
  const shown = input.jobs.slice(0, JOBS_SHOWN)
  const title = current.tab === 'all' ? 'Background jobs' : `${current.text} – Background jobs`
  return {
    pageTitle: title,
    errors: input.problem ? [{ text: input.problem, href: '#jobs' }] : [],
    tabs: JOB_LIST_TABS.map((entry) => ({
      text: entry.text,
      href: paths.jobs(entry.tab === 'all' ? undefined : entry.tab),
      active: entry.tab === current.tab,
    })),
    caption: current.text,
    rows: shown.map((job) => jobRow(job, input.canRetry)),
    emptyText: current.empty,
    /** Said when a failed job is listed: how to give it another attempt. */
    retryText:
      shown.some((job) => job.state === 'failed') && !input.canRetry
        ? 'To try a failed job again, run "ipic jobs retry" with the job’s ID on a machine that runs the service.'
        : undefined,
    /** Said only when there are more than the page shows. */
    moreText:
      input.jobs.length > JOBS_SHOWN
        ? `The ${JOBS_SHOWN} most recent are shown. The command "ipic jobs --limit N" lists more.`
        : undefined,
  }
}

export function jobRow(job: JobRecord, canRetry = false) {
  const at = (instant: Date | null) => (instant ? formatTimeOnDate(instant) : 'Not yet')
  const outcome =
    job.error ?? (job.state === 'completed' ? (jobOutcomeWords(job.kind, job.result) ?? 'Done') : '')
  const kind = isJobKind(job.kind) ? JOB_KIND_NAMES[job.kind] : job.kind
  return {
    id: job.id,
    kind,
    tag: JOB_STATE_TAGS[job.state],
    attempts: `${job.attempts} of ${job.maxAttempts}`,
    queued: formatTimeOnDate(job.queuedAt),
    started: at(job.startedAt),
    finished: job.finishedAt ? formatTimeOnDate(job.finishedAt) : job.state === 'cancelled' ? '' : 'Not yet',
    outcome,
    /** Where a failed job's "Retry" button posts, with the words that name the button. */
    retry:
      canRetry && job.state === 'failed'
        ? { action: paths.jobRetry(job.id), label: `Retry the ${kind.toLowerCase()} job ${job.id}` }
        : undefined,
  }
}

/** The states a tab lists (every state for "all"). */
export function statesOf(tab: JobListTab): readonly JobState[] | undefined {
  return JOB_LIST_TABS.find((entry) => entry.tab === tab)?.states
}
