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

export function jobListPage(input: { tab: JobListTab; jobs: readonly JobRecord[] }) {
  const current = JOB_LIST_TABS.find((entry) => entry.tab === input.tab) ?? JOB_LIST_TABS[0]!
  const shown = input.jobs.slice(0, JOBS_SHOWN)
  return {
    pageTitle: current.tab === 'all' ? 'Background jobs' : `${current.text} – Background jobs`,
    tabs: JOB_LIST_TABS.map((entry) => ({
      text: entry.text,
      href: paths.jobs(entry.tab === 'all' ? undefined : entry.tab),
      active: entry.tab === current.tab,
    })),
    caption: current.text,
    rows: shown.map(jobRow),
    emptyText: current.empty,
    /** Said when a failed job is listed: how to give it another attempt. */
    retryText: shown.some((job) => job.state === 'failed')
      ? 'To try a failed job again, run "ipic jobs retry" with the job’s ID on a machine that runs the service.'
      : undefined,
    /** Said only when there are more than the page shows. */
    moreText:
      input.jobs.length > JOBS_SHOWN
        ? `The ${JOBS_SHOWN} most recent are shown. The command "ipic jobs --limit N" lists more.`
        : undefined,
  }
}

export function jobRow(job: JobRecord) {
  const at = (instant: Date | null) => (instant ? formatTimeOnDate(instant) : 'Not yet')
  const outcome =
    job.error ?? (job.state === 'completed' ? (jobOutcomeWords(job.kind, job.result) ?? 'Done') : '')
  return {
    id: job.id,
    kind: isJobKind(job.kind) ? JOB_KIND_NAMES[job.kind] : job.kind,
    tag: JOB_STATE_TAGS[job.state],
    attempts: `${job.attempts} of ${job.maxAttempts}`,
    queued: formatTimeOnDate(job.queuedAt),
    started: at(job.startedAt),
    finished: job.finishedAt ? formatTimeOnDate(job.finishedAt) : job.state === 'cancelled' ? '' : 'Not yet',
    outcome,
  }
}

/** The states a tab lists (every state for "all"). */
export function statesOf(tab: JobListTab): readonly JobState[] | undefined {
  return JOB_LIST_TABS.find((entry) => entry.tab === tab)?.states
}
