import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { IsoDate } from '../../../src/dates.ts'
import type { TaskView } from '../../../src/review/task-view.ts'
import type { RecommendationExplanation } from '../../../src/rules/explanation-json.ts'
import { informationPage } from '../../../src/web/view-models/information.ts'

const TASK = {
  id: 7,
  personId: 'P1',
  personName: 'Grace Okafor',
  homeOfficeReference: 'HO/1',
  taskType: { code: 'DOCUMENTATION_INTERVIEW', name: 'Travel-document interview' },
  createdAt: new Date('2026-03-02T09:00:00Z'),
  ruleSetVersion: 'abc123',
} as unknown as TaskView

const EXPLANATION = {
  rule: { code: 'DOCUMENTATION_INTERVIEW', name: 'Travel-document interview', version: 'abc123' },
  evaluatedOn: '2026-03-02',
  safeguards: [
    {
      id: 'adultAtRisk',
      text: 'Adult at risk at level 2 or 3',
      scope: 'global',
      field: 'vulnerability.adultAtRiskLevel',
      operator: '>=',
      expected: 2,
      actual: 1,
      held: false,
    },
  ],
  conditions: [
    {
      id: 'are',
      text: 'Appeal rights exhausted',
      depth: 0,
      field: 'person.immigrationStatus',
      operator: 'equals',
      expected: 'APPEAL_RIGHTS_EXHAUSTED',
      actual: 'APPEAL_RIGHTS_EXHAUSTED',
      held: true,
    },
  ],
  priority: { score: 1, factors: [] },
  reportingDate: { field: 'reporting.nextDates[0]', value: null },
  dataChangedAt: '2026-03-01T10:00:00Z',
} as unknown as RecommendationExplanation

const CONTACT = {
  team: 'Review Team',
  address: ['PO Box 1'],
  email: 'a@example.gov.uk',
  phone: '0300 000 0000',
  hours: '9 to 5',
}

describe('information about a recommendation, for the person', () => {
  it('says what was recommended and why, in the person’s terms, and names the reviewer by role', () => {
    const page = informationPage({
      task: TASK,
      explanation: EXPLANATION,
      decision: {
        status: 'ACCEPTED',
        at: new Date('2026-03-03T10:00:00Z'),
        roles: ['CASEWORKER', 'MANAGER'],
      },
      contact: CONTACT,
      today: '2026-03-04' as IsoDate,
    })
    assert.equal(page.recommended, 'Travel-document interview')
    assert.equal(page.recommendedOn, '2 March 2026')
    assert.equal(page.dateText, '4 March 2026')
    assert.equal(page.conditions.length, 1)
    assert.match(
      page.conditions[0]?.text ?? '',
      /^Appeal rights exhausted: yes — our records show [a-z][a-z ]+: /,
    )
    assert.doesNotMatch(
      page.conditions[0]?.text ?? '',
      /so this condition/,
      'what follows is said in the person’s terms',
    )
    assert.equal(page.conditions[0]?.outcome, 'This applies to you')
    assert.deepEqual(
      page.safeguards.map((line) => line.outcome),
      ['This does not apply to you'],
    )
    assert.match(
      page.reviewer,
      /^A manager reviewed this recommendation and agreed that the recommendation should go ahead on 3 March 2026\./,
    )
    assert.equal(page.noExplanation, false)
  })

  it('says nobody has decided yet when nobody has', () => {
    const page = informationPage({
      task: TASK,
      explanation: undefined,
      decision: undefined,
      contact: CONTACT,
      today: '2026-03-04' as IsoDate,
    })
    assert.match(page.reviewer, /^Nobody has made a decision on this recommendation yet/)
    assert.equal(page.noExplanation, true)
  })
})
