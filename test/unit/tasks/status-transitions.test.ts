import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  ALLOWED_DECISIONS,
  allowsDecision,
  DECIDABLE_STATUSES,
} from '../../../src/tasks/status-transitions.ts'
import type { DecisionStatus, TaskStatus } from '../../../src/tasks/task.ts'

const STATUSES: readonly TaskStatus[] = ['RECOMMENDED', 'ACCEPTED', 'REJECTED', 'ON_HOLD', 'WITHDRAWN']
const DECISIONS: readonly DecisionStatus[] = ['ACCEPTED', 'REJECTED', 'ON_HOLD']

describe('task status transitions', () => {
  it('lets a recommended task be accepted, rejected or placed on hold', () => {
    assert.deepEqual(ALLOWED_DECISIONS.RECOMMENDED, ['ACCEPTED', 'REJECTED', 'ON_HOLD'])
  })

  it('lets a decision be changed to either other decision, never to itself', () => {
    assert.deepEqual(ALLOWED_DECISIONS.ACCEPTED, ['REJECTED', 'ON_HOLD'])
    assert.deepEqual(ALLOWED_DECISIONS.REJECTED, ['ACCEPTED', 'ON_HOLD'])
    assert.deepEqual(ALLOWED_DECISIONS.ON_HOLD, ['ACCEPTED', 'REJECTED'])
    for (const decision of DECISIONS) assert.equal(allowsDecision(decision, decision), false, decision)
  })

  it('allows nothing once the rules have withdrawn a task', () => {
    for (const decision of DECISIONS) assert.equal(allowsDecision('WITHDRAWN', decision), false, decision)
    assert.deepEqual(
      DECIDABLE_STATUSES,
      STATUSES.filter((status) => status !== 'WITHDRAWN'),
    )
  })

  it('answers allowsDecision as the table says, for every pair', () => {
    for (const status of STATUSES) {
      for (const decision of DECISIONS) {
        const listed = (ALLOWED_DECISIONS[status] as readonly DecisionStatus[]).includes(decision)
        assert.equal(allowsDecision(status, decision), listed, `${status} → ${decision}`)
      }
    }
  })
})
