/**
 * Worked examples of the task operations, as the reference shows them and
 * the contract test replays them: on a database holding Grace Okafor's
 * task (1) in LSE and another person's task (2) in MEE, made by a rule run
 * at 09:00 on 2 March 2026, a client of LSE, and the caseworker cw1 of LSE;
 * each example is replayed on that data afresh, a minute after the run.
 */
import type { ApiExample } from './operations.ts'
import { PROBLEM_TYPE_BASE } from './problem-details.ts'

const problemType = (code: string) => `${PROBLEM_TYPE_BASE}#${code}`

const GRACE_OKAFOR_TASK = {
  id: 1,
  personId: 'P1',
  personName: 'Grace Okafor',
  taskType: { code: 'FAILED_TO_REPORT', name: 'Failed-to-report follow-up' },
  priority: 0,
  reportingDate: '2026-03-10',
  due: '2026-03-04',
  dueState: 'soon',
  referral: null,
  version: 1,
  assignedTo: null,
  decidedBy: null,
  decidedAt: null,
}

export const TASK_SEARCH_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'recommended-in-lse',
    summary: 'The Recommended tab of LSE',
    query: { region: 'LSE' },
    response: {
      status: 200,
      body: { region: 'LSE', tab: 'recommended', tasks: [GRACE_OKAFOR_TASK], next: null },
    },
  },
  {
    name: 'search-by-type-and-dates',
    summary: 'A search by task type and reporting dates',
    query: {
      region: 'LSE',
      taskTypes: 'FAILED_TO_REPORT',
      from: '2026-03-02',
      to: '2026-03-16',
      limit: '10',
    },
    response: {
      status: 200,
      body: { region: 'LSE', tab: 'recommended', tasks: [GRACE_OKAFOR_TASK], next: null },
    },
  },
  {
    name: 'tampered-cursor',
    summary: 'A cursor that was changed',
    query: { region: 'LSE', cursor: 'WyItMjAiLCIyMDI2LTAzLTA1IiwiMSIsMiwiW10iXQ.c2lnbmF0dXJl' },
    response: { status: 400, body: { type: problemType('invalid-cursor'), status: 400 } },
  },
  {
    name: 'another-region',
    summary: 'A region the client may not see',
    query: { region: 'MEE' },
    response: { status: 404, body: { type: problemType('not-found'), status: 404 } },
  },
  {
    name: 'unknown-task-type',
    summary: 'A task type the service does not have',
    query: { region: 'LSE', taskTypes: 'NO_SUCH_TYPE', from: '2026-03-02', to: '2026-03-09' },
    response: { status: 422, body: { type: problemType('invalid-search'), status: 422 } },
  },
]

export const TASK_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'task-with-explanation',
    summary: 'Grace Okafor’s task, with why it was recommended',
    params: { taskId: 1 },
    response: {
      status: 200,
      body: {
        id: 1,
        personId: 'P1',
        personName: 'Grace Okafor',
        homeOfficeReference: 'HO/P1',
        taskType: { code: 'FAILED_TO_REPORT', name: 'Failed-to-report follow-up' },
        region: 'LSE',
        reportingDate: '2026-03-10',
        status: 'RECOMMENDED',
        version: 1,
        rule: { code: 'FAILED_TO_REPORT', ruleSetVersion: 'stand-in-v1' },
        createdAt: '2026-03-02T09:00:00.000Z',
        statusChangedAt: '2026-03-02T09:00:00.000Z',
        statusChangedBy: null,
        assignedTo: null,
        explanation: null,
      },
    },
  },
  {
    name: 'task-in-another-region',
    summary: 'A task in a region the client may not see',
    params: { taskId: 2 },
    response: { status: 404, body: { type: problemType('not-found'), status: 404 } },
  },
]

/** Casey Worker (cw1) rejects Grace Okafor's task as it was recommended. */
const REJECTION = {
  decision: 'reject',
  version: 1,
  decidedBy: 'cw1',
  checksConfirmed: true,
  reasons: ['MEDICAL'],
  details: 'In hospital until April.',
}

export const DECISION_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'reject-with-reasons',
    summary: 'A rejection with a reason code and details',
    params: { taskId: 1 },
    body: REJECTION,
    response: {
      status: 200,
      body: {
        id: 1,
        status: 'REJECTED',
        version: 2,
        statusChangedAt: '2026-03-02T09:01:00.000Z',
        statusChangedBy: 'cw1',
      },
    },
  },
  {
    name: 'unknown-reason-code',
    summary: 'A rejection with a reason code the reference data does not have',
    params: { taskId: 1 },
    body: { ...REJECTION, reasons: ['NO_SUCH_REASON'] },
    response: { status: 422, body: { type: problemType('invalid-decision'), status: 422 } },
  },
  {
    name: 'stale-version',
    summary: 'A decision on a version the task has moved on from',
    params: { taskId: 1 },
    body: { decision: 'hold', version: 7, decidedBy: 'cw1', note: 'Waiting for a medical report.' },
    response: {
      status: 409,
      body: {
        type: problemType('stale-version'),
        status: 409,
        task: {
          status: 'RECOMMENDED',
          version: 1,
          changedBy: null,
          changedByName: null,
          changedAt: '2026-03-02T09:00:00.000Z',
        },
      },
    },
  },
]
