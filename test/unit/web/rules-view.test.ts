import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { RuleRunRecord } from '../../../src/rules/overview.ts'
import { nestLines, rulesPage } from '../../../src/web/view-models/rules.ts'

const REGIONS = [
  { code: 'LSE', name: 'London and South East' },
  { code: 'MEE', name: 'Midlands and East' },
]
const TASK_TYPES = [
  {
    code: 'FAILED_TO_REPORT',
    name: 'Failed-to-report follow-up',
    description: 'Follow up.',
    enforcement: true,
  },
  { code: 'SAFEGUARDING', name: 'Safeguarding referral', description: 'Refer.', enforcement: false },
]

function run(overrides: Partial<RuleRunRecord>): RuleRunRecord {
  return {
    id: 3,
    ruleSetVersion: 'abc',
    trigger: 'import',
    status: 'COMPLETED',
    startedAt: new Date('2026-07-25T13:05:00Z'),
    finishedAt: new Date('2026-07-25T13:06:00Z'),
    personsEvaluated: 20000,
    counts: [],
    failure: null,
    ...overrides,
  }
}

describe('rules page view', () => {
  it('nests lines by depth', () => {
    assert.deepEqual(
      nestLines([
        { text: 'a', depth: 0 },
        { text: 'a1', depth: 1 },
        { text: 'a1x', depth: 2 },
        { text: 'a2', depth: 1 },
        { text: 'b', depth: 0 },
      ]),
      [
        {
          text: 'a',
          children: [
            { text: 'a1', children: [{ text: 'a1x', children: [] }] },
            { text: 'a2', children: [] },
          ],
        },
        { text: 'b', children: [] },
      ],
    )
  })

  it('shows the last completed run per task type and region, in region order, with a total', () => {
    const page = rulesPage({
      live: { kind: 'invalid', problems: [{ file: 'X.yaml', path: 'code', message: 'is wrong' }] },
      taskTypes: TASK_TYPES,
      regions: REGIONS,
      runs: {
        completed: run({
          counts: [
            {
              taskType: 'FAILED_TO_REPORT',
              romRegion: 'MEE',
              new: 1,
              unchanged: 2,
              withdrawn: 3,
              suppressed: 4,
            },
            {
              taskType: 'FAILED_TO_REPORT',
              romRegion: 'LSE',
              new: 1000,
              unchanged: 0,
              withdrawn: 0,
              suppressed: 0,
            },
          ],
        }),
        later: run({
          id: 4,
          status: 'FAILED',
          failure: 'out of memory',
          startedAt: new Date('2026-07-26T08:00:00Z'),
        }),
      },
    })
    assert.equal(page.version, null)
    assert.deepEqual(page.problems, ['X.yaml: code: is wrong'])
    assert.deepEqual(
      page.sections.map((s) => [s.id, s.rule]),
      [
        ['rule-failed-to-report', null],
        ['rule-safeguarding', null],
      ],
    )
    assert.deepEqual(
      page.sections[0]?.lastRunRows.map((row) => row.map((cell) => cell.text)),
      [
        ['London and South East', '1,000', '0', '0', '0'],
        ['Midlands and East', '1', '2', '3', '4'],
        ['All regions', '1,001', '2', '3', '4'],
      ],
    )
    assert.deepEqual(page.sections[1]?.lastRunRows, [])
    assert.deepEqual(
      page.lastRun?.map((row) => [row.key.text, row.value.text]),
      [
        ['Started', '2:05pm on 25 July 2026'],
        ['Finished', '2:06pm on 25 July 2026'],
        ['Why it ran', 'After an import'],
        ['Rule set version', 'abc'],
        ['Persons evaluated', '20,000'],
      ],
    )
    assert.equal(
      page.warning,
      'The latest rule run, started at 9:00am on 26 July 2026, failed: out of memory. Its changes were not kept; the figures below are from the last run that completed.',
    )
    assert.deepEqual(page.contents[0], { text: 'Failed-to-report follow-up', href: '#rule-failed-to-report' })
  })

  it('says when the rules have not run, or a run is still going', () => {
    const page = rulesPage({
      live: { kind: 'invalid', problems: [] },
      taskTypes: TASK_TYPES,
      regions: REGIONS,
      runs: { completed: undefined, later: run({ status: 'RUNNING', finishedAt: null }) },
    })
    assert.equal(page.lastRun, null)
    assert.equal(page.warning, 'A rule run started at 2:05pm on 25 July 2026 has not finished yet.')
  })
})
