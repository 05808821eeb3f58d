import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  describeExplanation,
  describeRule,
  type ExplanationSection,
  explanationAsText,
} from '../../src/rules/explanation.ts'
import type { RecommendationExplanation } from '../../src/rules/explanation-json.ts'
import { ruleSetFromFiles } from '../../src/rules/load.ts'
import { decisionOf } from '../../src/rules/testing.ts'
import { rule, ruleSetFiles } from '../support/rule-files.ts'

/** An explanation as the database builds it, for a person excluded by nothing and meeting every condition. */
function explanation(): RecommendationExplanation {
  return {
    rule: { code: 'DOCUMENTATION_INTERVIEW', name: 'Travel-document interview', version: 'abc123def456' },
    evaluatedOn: '2018-07-25',
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
      {
        id: 'openAsylumClaim',
        text: 'Has an open asylum claim',
        scope: 'rule',
        field: 'barriers',
        operator: 'some',
        expected: null,
        actual: 0,
        held: false,
      },
    ],
    conditions: [
      {
        id: 'appealRightsExhausted',
        text: 'Appeal rights exhausted',
        depth: 0,
        field: 'person.immigrationStatus',
        operator: 'equals',
        expected: 'APPEAL_RIGHTS_EXHAUSTED',
        actual: 'APPEAL_RIGHTS_EXHAUSTED',
        held: true,
      },
      {
        id: 'noValidTravelDocument',
        text: 'No valid travel document',
        depth: 0,
        field: null,
        operator: 'any',
        expected: null,
        actual: null,
        held: true,
      },
      {
        id: 'noDocument',
        text: 'Travel document is None or Expired passport',
        depth: 1,
        field: 'documentation.travelDocument',
        operator: 'in',
        expected: ['NONE', 'EXPIRED_PASSPORT'],
        actual: 'EXPIRED_PASSPORT',
        held: true,
      },
      {
        id: 'expired',
        text: 'Travel document expiry date is before today',
        depth: 1,
        field: 'documentation.expiryDate',
        operator: 'before',
        expected: 'today',
        actual: '2018-01-04',
        held: true,
      },
      {
        id: 'hasNextReportingDate',
        text: 'Has a next reporting date',
        depth: 0,
        field: 'reporting.nextDates[0]',
        operator: 'is set',
        expected: null,
        actual: null,
        held: false,
      },
    ],
    priority: {
      score: 37.5,
      factors: [
        {
          name: 'reportingSoon',
          text: 'The next reporting date is soon',
          weight: 40,
          field: 'reporting.daysUntilNextReporting',
          value: 7,
          points: 30,
        },
        { name: 'mediumHarm', text: 'Medium harm', weight: 15, value: false, points: 0 },
        { name: 'sentence', text: 'Longest sentence', weight: 20, value: 18, points: 7.5 },
      ],
    },
    reportingDate: { field: 'reporting.nextDates[0]', value: '2018-08-01' },
    dataChangedAt: '2018-07-24T23:30:00+00:00',
  }
}

function section(sections: ExplanationSection[], heading: string) {
  const found = sections.find((s) => s.heading === heading)
  assert.ok(found, `no section ${heading}`)
  return found.lines
}

describe('describing a recommendation', () => {
  it('names the rule and version, the evaluation date and when the data last changed (a London date)', () => {
    assert.deepEqual(
      section(describeExplanation(explanation()), 'Rule').map((l) => l.text),
      [
        'Travel-document interview, rule set version abc123def456',
        'Evaluated on 25 July 2018',
        "The person's data last changed on 25 July 2018",
        'Not recommended',
      ],
    )
  })

  it('answers each safeguard with the person’s value labelled, codes as labels, counts of list items', () => {
    const lines = section(describeExplanation(explanation()), 'Safeguards (checked first)')
    assert.deepEqual(
      lines.map((l) => [l.text, l.outcome]),
      [
        [
          'Adult at risk at level 2 or 3: no (Adult at risk level: 1), so it does not stop the recommendation',
          'not excluded',
        ],
        ['Has an open asylum claim: no (0 barriers), so it does not stop the recommendation', 'not excluded'],
      ],
    )
    assert.deepEqual(lines[0]?.parts, {
      statement: 'Adult at risk at level 2 or 3',
      answer: 'no',
      value: 'Adult at risk level: 1',
    })
  })

  it('answers each condition, nested under its group, with dates in words and a missing value as not recorded', () => {
    assert.deepEqual(
      section(describeExplanation(explanation()), 'Conditions').map((l) => [l.text, l.depth, l.outcome]),
      [
        [
          'Appeal rights exhausted: yes (Immigration status: Appeal rights exhausted), so this condition is met',
          0,
          'met',
        ],
        ['No valid travel document: yes, so this condition is met', 0, 'met'],
        [
          'Travel document is None or Expired passport: yes (Travel document: Expired passport), so this part is met',
          1,
          'met',
        ],
        [
          'Travel document expiry date is before today: yes (Travel document expiry date: 4 January 2018), so this part is met',
          1,
          'met',
        ],
        [
          'Has a next reporting date: no (Next reporting date: not recorded), so this condition is not met',
          0,
          'not met',
        ],
      ],
    )
  })

  it('puts a condition positively: a "not" as what it rules out, a yes-or-no field as its label and answer', () => {
    const e = explanation()
    const negated = {
      ...e,
      conditions: [
        {
          id: 'notHighHarmFno',
          text: 'Not a high-harm foreign national offender',
          depth: 0,
          field: null,
          operator: 'not',
          expected: null,
          actual: null,
          held: true,
        },
        {
          id: 'fno',
          text: 'Foreign national offender: yes',
          depth: 1,
          field: 'harm.foreignNationalOffender',
          operator: 'equals',
          expected: true,
          actual: false,
          held: false,
        },
      ],
    }
    assert.deepEqual(
      section(describeExplanation(negated), 'Conditions').map((l) => l.text),
      [
        'High-harm foreign national offender: no, so this condition is met',
        'Foreign national offender: no, so this part is not met',
      ],
    )
  })

  it('labels each priority factor’s value: a condition answered, a scale with the field it reads', () => {
    assert.deepEqual(
      section(describeExplanation(explanation()), 'Priority').map((l) => l.text),
      [
        'Priority score 37.5',
        'The next reporting date is soon: 30 of 40 points (Days until the next reporting date: 7)',
        'Medium harm: no, 0 of 15 points',
        'Longest sentence: 7.5 of 20 points (Value: 18)',
      ],
    )
  })

  it('shows the reporting date the task is tied to, or none', () => {
    assert.deepEqual(section(describeExplanation(explanation()), 'Reporting date'), [
      { text: 'Next reporting date: 1 August 2018', depth: 0 },
    ])
    const none = { ...explanation(), reportingDate: { field: 'reporting.nextDates[0]', value: null } }
    assert.equal(section(describeExplanation(none), 'Reporting date')[0]?.text, 'Next reporting date: none')
  })

  it('says recommended when nothing excluded and every top-level condition held', () => {
    const e = explanation()
    const met = { ...e, conditions: e.conditions.map((c) => ({ ...c, held: true })) }
    assert.equal(section(describeExplanation(met), 'Rule')[3]?.text, 'Recommended')
  })

  it('renders as indented text with outcomes for the command line', () => {
    const text = explanationAsText(describeExplanation(explanation()))
    assert.match(text, /^Rule\n {2}Travel-document interview/)
    assert.match(text, /\n {4}\[met\] Travel document is None or Expired passport/)
  })
})

describe('what decided an evaluation', () => {
  it('is the first safeguard that excluded, before any condition', () => {
    const e = explanation()
    const excluded = {
      ...e,
      safeguards: e.safeguards.map((s) => ({ ...s, held: s.id === 'openAsylumClaim' })),
    }
    assert.deepEqual(decisionOf(excluded), {
      recommended: false,
      ids: ['openAsylumClaim'],
      description: "safeguard openAsylumClaim: Has an open asylum claim (the person's value: 0 barriers)",
    })
  })

  it('is the first top-level condition that failed, down to the failing part inside it', () => {
    const e = explanation()
    const failing = {
      ...e,
      conditions: e.conditions.map((c) => ({
        ...c,
        held: c.id === 'appealRightsExhausted' || c.id === 'hasNextReportingDate',
      })),
    }
    const decision = decisionOf(failing)
    assert.equal(decision.recommended, false)
    // Inside any, every part failed, so each of them decides.
    assert.deepEqual(decision.ids, ['noValidTravelDocument', 'noDocument', 'expired'])
    assert.equal(
      decision.description,
      "condition noDocument did not hold: Travel document is None or Expired passport (the person's value: Expired passport)",
    )
  })

  it('is nothing when every condition held', () => {
    const e = explanation()
    assert.deepEqual(
      decisionOf({ ...e, conditions: e.conditions.map((c) => ({ ...c, held: true })) }).ids,
      [],
    )
  })
})

describe('describing a rule for the rules page', () => {
  it('lists safeguards (global ones marked), conditions, priority, reporting date and parameters in words', () => {
    const r = rule()
    r.eligibility.all.push({
      id: 'either',
      any: [
        { field: 'person.caseType', operator: 'equals', value: 'FNO' },
        { field: 'documentation.expiryDate', operator: 'within next days', parameter: 'imminentWithinDays' },
      ],
    })
    const [loaded] = ruleSetFromFiles(ruleSetFiles(r)).rules
    assert.ok(loaded)
    const description = describeRule(loaded)
    assert.deepEqual(description.safeguards, [
      { text: 'Adult at risk at level 2 or 3 (global safeguard, all enforcement tasks)', depth: 0 },
    ])
    assert.deepEqual(description.eligibility, [
      { text: 'Harm level is High', depth: 0 },
      { text: 'Reporting events missed in the last 90 days is 2 or more', depth: 0 },
      { text: 'At least one of the following', depth: 0 },
      { text: 'Case type is Foreign national offender', depth: 1 },
      { text: 'Travel document expiry date is within the next 28 days', depth: 1 },
    ])
    assert.deepEqual(description.priority, [
      {
        text: 'The next reporting date is soon: up to 40 points, full points when days until the next reporting date is 0 and fewer as it rises, none at 28 or more or when not recorded',
        depth: 0,
      },
    ])
    assert.equal(description.reportingDate, 'Next reporting date')
    assert.deepEqual(description.parameters[0], {
      name: 'minimumMissed',
      value: '2 events',
      description: 'Missed events from which the task applies.',
    })
  })
})
