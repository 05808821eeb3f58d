/**
 * The words users see when something they entered needs fixing, kept in one
 * file so that content designers can review them together and the same
 * problem is always described the same way. The domain's checks report codes
 * (with the figures a sentence needs); each has one function here that puts
 * every one of its codes into words, and the compiler says when a code has
 * none.
 */
import { ROLES } from '../access/roles.ts'
import type { UserChangeProblem } from '../access/user-changes.ts'
import type { UserDetailsProblem } from '../access/user-fields.ts'
import type { DeactivationProblem } from '../access/user-management.ts'
import type { AuditFilterProblem } from '../audit/filter.ts'
import type { MiRequestProblem } from '../mi/report-request.ts'
import type { SearchProblem } from '../review/search.ts'
import { formatTimeOnDate } from '../review/time-words.ts'
import type { CurrentTaskState, DecisionProblem } from '../tasks/decisions.ts'
import type { TaskStatus } from '../tasks/task.ts'
import type { UserFormProblem } from './forms/user-form.ts'

/** For the `default` of a switch over every code: a new code without words fails to compile. */
function unworded(problem: never): never {
  throw new Error(`no words for the problem ${JSON.stringify(problem)}`)
}

const TASK_TYPE_UNKNOWN = 'Select a task type from the list'
const CHECK_THE_CASE_AGAIN = 'Check the case again before you decide.'

export const messages = {
  /** Problems any form's fields can have. */
  forms: {
    /** Control characters (a NUL, say): they come only from pasting, and cannot be kept. */
    hiddenCharacters: (label: string) =>
      `${label} must not include hidden characters, which can come from pasting text`,
  },
  signIn: {
    userIdMissing: 'Enter your user ID',
    passwordMissing: 'Enter your password',
    /** Deliberately the same whether the ID, the password or the account's status was the problem. */
    incorrect: 'Enter a correct user ID and password',
    /**
     * After too many failures for the ID or from the address, not necessarily
     * the user's own; as uninformative about the ID as `incorrect`.
     */
    tooMany: (minutes: number) =>
      `There have been too many failed attempts to sign in. Wait ${minutes === 1 ? '1 minute' : `${minutes} minutes`}, then try again`,
  },
  review: {
    regionMissing: 'Select your ROM region',
  },
  mi: {
    formatMissing: 'Select the format of the report',
    taskTypeUnknown: TASK_TYPE_UNKNOWN,
    decisionsWhose:
      'Choose a user or a rule version on the MI dashboard to see the decisions behind its figures',
    decisionsFilters: 'Choose the dates and task type again on the MI dashboard: these could not be read',
  },
  decisions: {
    alreadyInStatus: (status: string) => `This task is already ${status}. ${CHECK_THE_CASE_AGAIN}`,
  },
  users: {
    /** A change made against a version of the user that someone else has changed since. */
    changedMeanwhile:
      'This user was changed by someone else while you were making your change. Their details are shown as they are now: make your change again if it is still needed.',
    added: (name: string) => `${name} has been added`,
    accessChanged: (name: string) => `${name}’s roles and regions have been changed`,
    deactivated: (name: string) => `${name} has been deactivated and signed out`,
    reactivated: (name: string) => `${name} has been reactivated`,
  },
} as const

/** Everything a user page's forms can report, from the form itself or the domain. */
export type UserPageProblem = UserDetailsProblem | UserChangeProblem | DeactivationProblem | UserFormProblem

export function userMessage(problem: UserPageProblem): string {
  switch (problem.code) {
    case 'idMissing':
      return 'Enter a user ID'
    case 'idTooLong':
      return `User ID must be ${problem.params.maxLength} characters or fewer`
    case 'idInvalid':
      return 'User ID must be at least 2 characters and include only letters, numbers, full stops, hyphens and underscores'
    case 'idReserved':
      return 'User ID cannot be “new”: choose another'
    case 'idTaken':
      return 'A user with this ID already exists'
    case 'nameMissing':
      return 'Enter the user’s full name'
    case 'nameTooLong':
      return `Full name must be ${problem.params.maxLength} characters or fewer`
    case 'nameHiddenCharacters':
      return messages.forms.hiddenCharacters('Full name')
    case 'emailInvalid':
      return 'Enter an email address in the correct format, like name@example.com'
    case 'passwordMissing':
      return 'Enter a password'
    case 'passwordTooShort':
      return `Password must be ${problem.params.length} characters or more`
    case 'passwordTooLong':
      return `Password must be ${problem.params.length} characters or fewer`
    case 'rolesMissing':
      return 'Select at least one role'
    case 'roleUnknown':
      return 'Select roles from the list'
    case 'roleNotGrantable':
      return `You cannot give the role ${ROLES[problem.params.role]}: select only roles you can give`
    case 'ownAdministratorRole':
      return 'You cannot remove your own Administrator role: ask another administrator to do it'
    case 'regionsMissing':
      return 'Select at least one region, or all regions'
    case 'allAndSomeRegions':
      return 'Select all regions or individual regions, not both'
    case 'regionUnknown':
      return 'Select regions from the list'
    case 'allRegionsNotGrantable':
      return 'You cannot give access to all regions: select regions you work in'
    case 'regionNotGrantable':
      return 'Select only regions you work in'
    case 'ownAccount':
      return 'You cannot deactivate your own account'
    case 'searchTooLong':
      return `Name or user ID must be ${problem.params.maxLength} characters or fewer`
    default:
      return unworded(problem)
  }
}

export function searchMessage(problem: SearchProblem): string {
  switch (problem.code) {
    case 'taskTypeMissing':
      return 'Select at least one task type'
    case 'taskTypeUnknown':
      return TASK_TYPE_UNKNOWN
    case 'fromMissing':
      return 'Enter the date to search from'
    case 'fromInvalid':
      return 'The date to search from must be a real date'
    case 'fromPast':
      return 'The date to search from must be today or in the future'
    case 'toMissing':
      return 'Enter the date to search to'
    case 'toInvalid':
      return 'The date to search to must be a real date'
    case 'toBeforeFrom':
      return 'The date to search to must be the same as or after the date to search from'
    case 'tooLong':
      return `The date to search to must be no more than ${problem.params.maxDays} days after the date to search from`
    case 'countryUnknown':
      return 'Select a country of nationality from the list'
    case 'countryTooMany':
      return `Add no more than ${problem.params.maxCountries} countries of nationality`
    case 'countryToAdd':
      return 'Select a country of nationality to add'
    case 'locationUnknown':
      return `Select a reporting location in ${problem.params.regionName}`
    default:
      return unworded(problem)
  }
}

/** How the MI forms name each date in a sentence about it. */
const MI_DATE_NAMES = {
  from: { missing: 'Enter the date the report starts from', name: 'Date the report starts from' },
  to: { missing: 'Enter the date the report runs to', name: 'Date the report runs to' },
} as const

export function miRequestMessage(problem: MiRequestProblem): string {
  switch (problem.code) {
    case 'dateMissing':
      return MI_DATE_NAMES[problem.field].missing
    case 'datePartsMissing':
      return `${MI_DATE_NAMES[problem.field].name} must include a ${problem.params.missing.join(' and ')}`
    case 'dateInvalid':
      return `${MI_DATE_NAMES[problem.field].name} must be a real date`
    case 'toBeforeFrom':
      return `${MI_DATE_NAMES.to.name} must be the same as or after the date it starts from`
    case 'tooLong':
      return `The report can cover at most ${problem.params.maxDays} days: choose a shorter date range`
    case 'regionNotAllowed':
      return 'Select a region you work in'
    default:
      return unworded(problem)
  }
}

/** The decision forms' labels, for the sentences that name a field. */
const DECISION_FIELD_LABELS = { details: 'Details', note: 'Note', acceptNote: 'What you checked' } as const

export function decisionMessage(problem: DecisionProblem): string {
  switch (problem.code) {
    case 'versionMissing':
      return 'The task version is missing: open the task again'
    case 'decisionMissing':
      return 'Select accept, reject or place on hold'
    case 'openTaskExists':
      return 'This person already has an open task of this type: decide that task instead'
    case 'checksNotConfirmed':
      return 'Confirm that you have checked barriers, vulnerability and family circumstances'
    case 'reasonsMissing':
      return 'Select why you want to reject this task'
    case 'reasonsUnknown':
      // The form lists the reasons there are; codes that are not among them mean nothing to the user.
      return 'Select reasons from the list'
    case 'detailsMissing':
      return 'Explain your reasons for rejecting this task'
    case 'noteNotText':
      return `${DECISION_FIELD_LABELS[problem.field]} must be text`
    case 'noteMissing':
      return 'Enter what you checked before accepting this task'
    case 'tooLong':
      return `${DECISION_FIELD_LABELS[problem.field]} must be ${problem.params.maxLength.toLocaleString('en-GB')} characters or fewer`
    case 'hiddenCharacters':
      return messages.forms.hiddenCharacters(DECISION_FIELD_LABELS[problem.field])
    case 'assignedToSomeoneElse':
      return `This task is assigned to ${problem.params.assigneeName}: select “Decide anyway” to decide it yourself`
    default:
      return unworded(problem)
  }
}

/** A status as the end of "This task was …". */
const PAST_TENSE: Record<TaskStatus, string> = {
  RECOMMENDED: 'recommended',
  ACCEPTED: 'accepted',
  REJECTED: 'rejected',
  ON_HOLD: 'placed on hold',
  WITHDRAWN: 'withdrawn',
}

/** What the decision page tells a caseworker whose decision was refused as stale. */
export function staleDecisionMessage(current: CurrentTaskState): string {
  const who = current.changedBy === null ? 'the rules' : (current.changedByName ?? current.changedBy)
  return `This task was ${PAST_TENSE[current.status]} by ${who} at ${formatTimeOnDate(current.changedAt)}. ${CHECK_THE_CASE_AGAIN}`
}

/** How the audit filter names each date in a sentence about it. */
const AUDIT_DATE_NAMES = {
  from: { missing: 'Enter the date to search from', name: 'The date to search from' },
  to: { missing: 'Enter the date to search to', name: 'The date to search to' },
} as const

export function auditFilterMessage(problem: AuditFilterProblem): string {
  switch (problem.code) {
    case 'userTooLong':
      return `User ID must be ${problem.params.maxLength} characters or fewer`
    case 'hiddenCharacters':
      return messages.forms.hiddenCharacters(problem.field === 'user' ? 'User ID' : 'Person ID')
    case 'personInvalid':
      return 'Person ID must be 20 characters or fewer and include only letters, numbers and hyphens'
    case 'kindUnknown':
      return 'Select a kind of event from the list'
    case 'dateMissing':
      return AUDIT_DATE_NAMES[problem.field].missing
    case 'datePartsMissing':
      return `${AUDIT_DATE_NAMES[problem.field].name} must include a ${problem.params.missing.join(' and ')}`
    case 'dateInvalid':
      return `${AUDIT_DATE_NAMES[problem.field].name} must be a real date`
    case 'toBeforeFrom':
      return 'The date to search to must be the same as or after the date to search from'
    case 'rangeTooLong':
      return `The date to search to must be no more than ${problem.params.maxDays} days after the date to search from`
    default:
      return unworded(problem)
  }
}
