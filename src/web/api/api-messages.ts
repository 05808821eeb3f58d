/**
 * How the API words the domain's problem codes: as the pages do
 * (messages.ts), except where a page's sentence points at a form the API
 * has not got: a client sends codes, so the API names the ones it refused.
 */
import type { DecisionProblem } from '../../tasks/decisions.ts'
import { decisionMessage } from '../messages.ts'

export function apiDecisionMessage(problem: DecisionProblem): string {
  switch (problem.code) {
    case 'reasonsUnknown':
      return `No active rejection reason has the code ${problem.params.unknown.join(', ')}`
    case 'assignedToSomeoneElse':
      return `This task is assigned to ${problem.params.assigneeName}: only they may decide it through the API`
    case 'checksNotConfirmed':
      return 'The decider must confirm they checked barriers, vulnerability and family circumstances (checksConfirmed)'
    default:
      return decisionMessage(problem)
  }
}

/** The user a decision names is no active user. */
export function unknownDeciderMessage(userId: string): string {
  return `${userId} is not an active user of the service`
}
