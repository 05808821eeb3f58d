/**
 * The words of the representations and contest pages, and of their
 * problems: one function puts every code into words, and the compiler says
 * when a code has none. (Beside messages.ts, which holds the other pages'
 * words, so that each stays short enough to review.)
 */
import type { ContestChannel, ContestMaker, ContestProblem } from '../tasks/contest-input.ts'
import { MAX_OUTCOME_REASONS_LENGTH, MAX_SUMMARY_LENGTH } from '../tasks/contest-input.ts'
import type { OutcomeProblem, OutcomeRefusal } from '../tasks/contests.ts'
import { decisionMessage, messages } from './messages.ts'

export const CHANNEL_LABELS: Record<ContestChannel, string> = {
  LETTER: 'Letter',
  EMAIL: 'Email',
  PHONE: 'Phone',
  IN_PERSON: 'In person',
  LEGAL_REPRESENTATIVE: 'Through a legal representative',
  OTHER: 'Other',
}

export const MAKER_LABELS: Record<ContestMaker, string> = {
  PERSON: 'The person',
  REPRESENTATIVE: 'Their representative',
}

export function contestMessage(problem: ContestProblem): string {
  switch (problem.code) {
    case 'dateMissing':
      return 'Enter the date the representations were received'
    case 'dateInvalid':
      return 'Date received must be a real date, like 27 3 2026'
    case 'dateInFuture':
      return 'Date received must be today or in the past'
    case 'dateBeforeTask':
      return 'Date received must be on or after the day the task was recommended'
    case 'channelMissing':
      return 'Select how the representations were received'
    case 'madeByMissing':
      return 'Select who made the representations'
    case 'summaryMissing':
      return 'Enter a summary of what was said'
    case 'summaryTooLong':
      return `Summary must be ${MAX_SUMMARY_LENGTH} characters or fewer`
    case 'hiddenCharacters':
      return messages.forms.hiddenCharacters('Summary')
    case 'assigneeNotEligible':
      return 'Select someone in this region who did not take the decision, or leave it in the queue'
    case 'notDecided':
      return 'There is no decision on this task to contest: it must be accepted or rejected first'
    case 'alreadyOpen':
      return 'This task already has an open contest: add to that one instead'
  }
}

/** `field` is the form field a problem belongs to on the outcome form. */
export function outcomeMessage(problem: OutcomeProblem): { field: string; message: string } {
  switch (problem.code) {
    case 'outcomeMissing':
      return { field: 'outcome', message: 'Select whether the decision is upheld or changed' }
    case 'reasonsMissing':
      return { field: 'reasons', message: 'Enter the reasons for the outcome' }
    case 'reasonsTooLong':
      return {
        field: 'reasons',
        message: `Reasons must be ${MAX_OUTCOME_REASONS_LENGTH} characters or fewer`,
      }
    case 'hiddenCharacters':
      return { field: 'reasons', message: messages.forms.hiddenCharacters('Reasons') }
    case 'decisionProblem': {
      const { decision } = problem
      // The changed decision's own fields, under the outcome form's names.
      const field =
        decision.field === 'reasons'
          ? 'rejectionReasons'
          : decision.field === 'details'
            ? 'reasons'
            : decision.field === 'checksConfirmed'
              ? 'checksConfirmed'
              : 'outcome'
      return { field, message: decisionMessage(decision) }
    }
  }
}

export const REFUSALS: Record<OutcomeRefusal, string> = {
  originalDecider:
    'You took the decision being contested, so someone else must review it. Ask a colleague in this region or leave it in the queue.',
  assignedToSomeoneElse: 'This contest is assigned to someone else: only they can record its outcome.',
  alreadyDecided: 'This contest already has an outcome, which cannot be changed.',
}
