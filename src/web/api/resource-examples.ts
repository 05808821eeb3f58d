/**
 * Worked examples of the person, rule-run and MI operations, on the same
 * data as the task examples (task-examples.ts): Grace Okafor (P1) in LSE,
 * P2 in MEE, and the stand-in rule run of 09:00 on 2 March 2026.
 */
import type { ApiExample } from './operations.ts'
import { PROBLEM_TYPE_BASE } from './problem-details.ts'

const problemType = (code: string) => `${PROBLEM_TYPE_BASE}#${code}`

export const PERSON_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'person-in-lse',
    summary: 'Grace Okafor’s record',
    params: { personId: 'P1' },
    response: { status: 200 },
  },
  {
    name: 'person-in-another-region',
    summary: 'A person in a region the client may not see',
    params: { personId: 'P2' },
    response: { status: 404, body: { type: problemType('not-found'), status: 404 } },
  },
]

const STAND_IN_RUN = {
  id: 1,
  ruleSetVersion: 'stand-in-v1',
  trigger: 'manual',
  status: 'COMPLETED',
  startedAt: '2026-03-02T09:00:00.000Z',
  finishedAt: '2026-03-02T09:00:00.000Z',
  personsEvaluated: 2,
  counts: [
    { taskType: 'FAILED_TO_REPORT', romRegion: 'LSE', new: 1, unchanged: 0, withdrawn: 0, suppressed: 0 },
  ],
  failure: null,
}

export const RULE_RUN_LIST_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'latest-runs',
    summary: 'The latest runs',
    query: { limit: '20' },
    response: { status: 200, body: { runs: [STAND_IN_RUN], next: null } },
  },
]

export const RULE_RUN_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'one-run',
    summary: 'The run that made the tasks',
    params: { runId: 1 },
    response: { status: 200, body: STAND_IN_RUN },
  },
  {
    name: 'no-such-run',
    summary: 'A run that does not exist',
    params: { runId: 99 },
    response: { status: 404, body: { type: problemType('not-found'), status: 404 } },
  },
]

export const RULE_RUN_QUEUE_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'queue-a-run',
    summary: 'Queue an incremental run',
    body: { full: false },
    response: { status: 202 },
  },
]

export const MI_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'report-as-json-lines',
    summary: 'The first days of March as JSON lines',
    query: { from: '2026-03-01', to: '2026-03-07', format: 'jsonl' },
    response: { status: 200 },
  },
  {
    name: 'range-backwards',
    summary: 'A range that ends before it starts',
    query: { from: '2026-03-07', to: '2026-03-01' },
    response: { status: 422, body: { type: problemType('invalid-report-range'), status: 422 } },
  },
]
