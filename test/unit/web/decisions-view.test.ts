import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TaskView } from '../../../src/review/task-view.ts'
import { messages } from '../../../src/web/messages.ts'
import { paths } from '../../../src/web/paths.ts'
import { caseFrame } from '../../../src/web/view-models/case.ts'
import { confirmationPage, decisionPage, decisionProblems } from '../../../src/web/view-models/decisions.ts'

const TASK: TaskView = {
  id: 7,
  personId: 'P1',
  personName: 'Grace Okafor',
  homeOfficeReference: 'HO/P1',
  taskType: { code: 'FAILED_TO_REPORT', name: 'Failed-to-report follow-up' },
  romRegion: 'LSE',
  reportingDate: null,
  status: 'RECOMMENDED',
  version: 3,
  ruleCode: 'FAILED_TO_REPORT',
  ruleSetVersion: 'v1',
  explanation: {},
  factsVersion: null,
  evaluatedOn: null,
  createdAt: new Date('2018-07-25T08:00:00Z'),
  statusChangedAt: new Date('2018-07-25T08:00:00Z'),
  statusChangedBy: null,
  assignedTo: null,
  personDataChangedAt: new Date('2018-07-25T08:00:00Z'),
}
const back = '/review-tasks/LSE/recommended?page=4'
const frame = caseFrame({
  task: TASK,
  current: undefined,
  back,
  backParam: back,
  holder: undefined,
  userId: 'cw1',
})
const REASONS = [
  { code: 'MEDICAL', label: 'Medical', explanationRequired: false },
  { code: 'OTHER', label: 'Other (explanation required)', explanationRequired: true },
]

describe('decision problems in words', () => {
  it('keeps each problem’s field and puts its code into words', () => {
    assert.deepEqual(
      decisionProblems([
        { field: 'reasons', code: 'reasonsUnknown', params: { unknown: ['X'] } },
        { field: 'details', code: 'tooLong', params: { maxLength: 1000 } },
        { field: 'note', code: 'hiddenCharacters' },
      ]),
      [
        { field: 'reasons', message: 'Select reasons from the list' },
        { field: 'details', message: 'Details must be 1,000 characters or fewer' },
        { field: 'note', message: messages.forms.hiddenCharacters('Note') },
      ],
    )
  })
})

describe('the decision form', () => {
  it('starts empty, with nothing ticked, carrying the version and the way back', () => {
    const page = decisionPage({
      action: 'reject',
      frame,
      backParam: back,
      version: 3,
      caseManagementSystem: 'CID',
      reasons: REASONS,
    })
    assert.equal(page.pageTitle, 'Reject task – Grace Okafor')
    assert.equal(page.formAction, paths.taskDecision(7, 'reject', back))
    assert.equal(page.cancelHref, paths.task(7, back))
    assert.equal(page.version, 3)
    assert.deepEqual(page.reasonItems, [
      { value: 'MEDICAL', text: 'Medical', checked: false },
      { value: 'OTHER', text: 'Other (explanation required)', checked: false },
    ])
    assert.equal(page.input.checksConfirmed, false)
    assert.deepEqual(page.errors, [])
  })

  it('shows the user’s input back with the errors, each linking to its field', () => {
    const page = decisionPage({
      action: 'reject',
      frame,
      backParam: undefined,
      version: 3,
      caseManagementSystem: 'CID',
      reasons: REASONS,
      input: {
        reasons: ['OTHER'],
        details: '',
        note: '',
        acceptNote: '',
        checksConfirmed: true,
        decideAnyway: false,
      },
      problems: [{ field: 'details', message: 'Explain your reasons for rejecting this task' }],
    })
    assert.deepEqual(
      page.reasonItems.map((r) => r.checked),
      [false, true],
    )
    assert.deepEqual(page.errors, [
      { text: 'Explain your reasons for rejecting this task', href: '#details' },
    ])
    assert.deepEqual(page.fieldErrors.details, { text: 'Explain your reasons for rejecting this task' })
  })

  it('puts a refusal first, linking to the case', () => {
    const page = decisionPage({
      action: 'accept',
      frame,
      backParam: back,
      version: 3,
      caseManagementSystem: 'Atlas',
      reasons: [],
      refusal:
        'This task was rejected by Sam Other at 2:05pm on 25 July 2018. Check the case again before you decide.',
    })
    assert.deepEqual(page.errors, [
      {
        text: 'This task was rejected by Sam Other at 2:05pm on 25 July 2018. Check the case again before you decide.',
        href: paths.task(7, back),
      },
    ])
    assert.equal(page.caseManagementSystem, 'Atlas')
  })
})

describe('the confirmation', () => {
  it('names the outcome and links back and to the matching tab', () => {
    for (const [action, title, tab, text] of [
      ['accept', 'Case accepted', 'accepted', 'View accepted cases'],
      ['reject', 'Rejected', 'rejected', 'View rejected cases'],
      ['hold', 'Task placed on hold', 'on-hold', 'View tasks on hold'],
    ] as const) {
      const page = confirmationPage({ action, personName: 'Grace Okafor', taskTypeName: 'FTR', back })
      assert.equal(page.title, title)
      assert.equal(page.backHref, back)
      assert.equal(page.tabHref, paths.reviewTab(tab))
      assert.equal(page.tabText, text)
    }
  })
})
