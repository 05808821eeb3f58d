/**
 * How jobs are put into words: the table `ipic jobs` prints, and a
 * completed job's outcome on the Background jobs page.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatJobs } from '../../src/commands/jobs.ts'
import type { JobRecord } from '../../src/jobs/job-list.ts'
import { jobOutcomeWords } from '../../src/web/job-messages.ts'
import { jobRow } from '../../src/web/view-models/jobs.ts'

const failed: JobRecord = {
  id: '72bcd3f6-7904-48dd-af8c-b0daa2c470f4',
  kind: 'rule-run',
  state: 'failed',
  attempts: 4,
  maxAttempts: 4,
  queuedAt: new Date('2026-07-25T13:05:00Z'),
  startedAt: new Date('2026-07-25T13:06:00Z'),
  finishedAt: new Date('2026-07-25T13:06:30Z'),
  error: 'the database\nwent away',
  result: null,
}

describe('job words', () => {
  it('prints one line a job, London time, the error on it', () => {
    assert.equal(formatJobs([]), 'No background jobs.')
    const lines = formatJobs([failed]).split('\n')
    assert.equal(lines.length, 3)
    assert.match(lines[0] ?? '', /^ID +Kind +State +Attempts +Queued +Started +Finished +Error$/)
    assert.equal(
      lines[2],
      '72bcd3f6-7904-48dd-af8c-b0daa2c470f4  rule-run  failed    4 of 4  25/07/2026, 14:05:00  25/07/2026, 14:06:00  25/07/2026, 14:06:30  the database went away',
    )
  })

  it('says a completed job’s outcome for each kind, and nothing it cannot read', () => {
    assert.equal(
      jobOutcomeWords('rule-run', { runId: 7, personsEvaluated: 1200, totals: { new: 1, withdrawn: 3 } }),
      'Rule run 7: 1,200 persons evaluated, 1 new task, 3 withdrawn',
    )
    assert.equal(
      jobOutcomeWords('audit-purge', { deleted: 1, retentionDays: 730 }),
      '1 audit event older than 730 days deleted',
    )
    assert.equal(jobOutcomeWords('session-cleanup', { deleted: 2 }), '2 expired sessions deleted')
    assert.equal(
      jobOutcomeWords('facts-history-prune', { removed: 1, kept: 2500, batches: 1 }),
      "Removed 1 facts version that no task names; kept 2,500 (a person's current facts or named by a task)",
    )
    assert.equal(jobOutcomeWords('session-cleanup', 'deleted'), undefined)
    assert.equal(jobOutcomeWords('some-other-kind', { deleted: 2 }), undefined)
  })

  it('shows a row with the state in words and Retry only for a failed job a user may retry', () => {
    const row = jobRow(failed, true)
    assert.deepEqual(
      { kind: row.kind, tag: row.tag, attempts: row.attempts, outcome: row.outcome },
      {
        kind: 'Rule run',
        tag: { text: 'Failed', classes: 'govuk-tag--red' },
        attempts: '4 of 4',
        outcome: 'the database\nwent away',
      },
    )
    assert.equal(row.retry?.label, `Retry the rule run job ${failed.id}`)
    assert.equal(jobRow(failed, false).retry, undefined)
    const queued = jobRow({
      ...failed,
      state: 'queued',
      attempts: 0,
      startedAt: null,
      finishedAt: null,
      error: null,
    })
    assert.deepEqual(
      [queued.tag.text, queued.started, queued.finished, queued.outcome, queued.retry],
      ['Queued', 'Not yet', 'Not yet', '', undefined],
    )
  })
})
