import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatRunSummary } from '../../src/commands/rules-run.ts'
import type { RunSummary } from '../../src/tasks/rule-run.ts'
import { tallyCounts, totalCounts } from '../../src/tasks/run-tally.ts'

describe('rule run figures', () => {
  it('adds up per cell, counting a new match the insert did not create as unchanged', () => {
    const counts = tallyCounts(
      [
        { task_type: 'SAFEGUARDING', rom_region: 'MEE', n: 0, unchanged: 2, suppressed: 1 },
        { task_type: 'FAILED_TO_REPORT', rom_region: 'LSE', n: 3, unchanged: 1, suppressed: 0 },
      ],
      [{ task_type: 'FAILED_TO_REPORT', rom_region: 'LSE', n: 2 }],
      [
        { task_type: 'FAILED_TO_REPORT', rom_region: 'LSE', n: 4 },
        { task_type: 'EM_REVIEW', rom_region: 'NW', n: 1 },
      ],
    )
    assert.deepEqual(counts, [
      { taskType: 'EM_REVIEW', romRegion: 'NW', new: 0, unchanged: 0, withdrawn: 1, suppressed: 0 },
      { taskType: 'FAILED_TO_REPORT', romRegion: 'LSE', new: 2, unchanged: 2, withdrawn: 4, suppressed: 0 },
      { taskType: 'SAFEGUARDING', romRegion: 'MEE', new: 0, unchanged: 2, withdrawn: 0, suppressed: 1 },
    ])
    assert.deepEqual(totalCounts(counts), { new: 2, unchanged: 4, withdrawn: 5, suppressed: 1 })
  })

  const summary: RunSummary = {
    runId: 7,
    ruleSetVersion: 'abc123def456',
    trigger: 'import',
    startedAt: new Date('2026-03-02T09:00:00Z'),
    finishedAt: new Date('2026-03-02T09:00:02.5Z'),
    personsEvaluated: 120000,
    counts: [
      {
        taskType: 'FAILED_TO_REPORT',
        romRegion: 'LSE',
        new: 1200,
        unchanged: 3,
        withdrawn: 4,
        suppressed: 5,
      },
    ],
    totals: { new: 1200, unchanged: 3, withdrawn: 4, suppressed: 5 },
    refreshed: 2,
    scope: 'full',
    scopeReason: 'a new day since run 6 (2026-03-01 then, 2026-03-02 now)',
    phases: { scope: 0.1, match: 1, recommend: 1, withdraw: 0.2, refresh: 0.2, index: 0, record: 0.1 },
  }

  it('prints a run as a table with totals', () => {
    assert.equal(
      formatRunSummary(summary),
      [
        'Rule run 7 (import) with rule set abc123def456: 120,000 persons evaluated in 2.5 s.',
        '',
        'Task type         Region    New  Unchanged  Withdrawn  Suppressed',
        '----------------  ------  -----  ---------  ---------  ----------',
        'FAILED_TO_REPORT  LSE     1,200          3          4           5',
        'Total                     1,200          3          4           5',
        '2 recommended tasks took a new priority or reporting date.',
      ].join('\n'),
    )
  })

  it('says when only the persons changed since the last run were evaluated', () => {
    const incremental: RunSummary = {
      ...summary,
      personsEvaluated: 12,
      scope: 'incremental',
      scopeReason: 'same rule set and day as run 6: only persons changed since it are evaluated',
    }
    assert.equal(
      formatRunSummary(incremental).split('\n')[0],
      'Rule run 7 (import) with rule set abc123def456: 12 persons evaluated in 2.5 s ' +
        '(same rule set and day as run 6: only persons changed since it are evaluated).',
    )
  })

  it('says so when nothing matched', () => {
    const empty = { ...summary, counts: [], totals: totalCounts([]), refreshed: 0 }
    assert.match(formatRunSummary(empty), /No person matches any rule and no task was open\.$/)
  })
})
