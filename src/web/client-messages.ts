/**
 * The words of the API clients page: what each scope lets a system do, and
 * each problem with the form that registers a client (access/
 * machine-client-fields.ts gives the codes; `ipic clients` words them for
 * its options).
 */
import type { ApiScope } from '../access/api-scopes.ts'
import type { ClientDetailsProblem } from '../access/machine-client-fields.ts'

export const SCOPE_WORDS: Readonly<Record<ApiScope, string>> = {
  'tasks:read': 'Search tasks and read why each was recommended',
  'tasks:decide': 'Accept, reject or hold tasks',
  'persons:read': 'Read a person’s record',
  'rules:read': 'Read the rule runs',
  'rules:run': 'Start a rule run',
  'mi:export': 'Download the MI report',
  'events:read': 'Read the decision events',
}

/** A problem only the form can have: "All regions" ticked beside some regions. */
export type ClientFormProblem = { readonly field: 'regions'; readonly code: 'allAndSomeRegions' }

export function clientProblemMessage(problem: ClientDetailsProblem | ClientFormProblem): string {
  switch (problem.code) {
    case 'clientNameMissing':
      return 'Enter the name of the system'
    case 'clientNameTooLong':
      return `The name must be ${problem.params.maxLength} characters or fewer`
    case 'clientNameHiddenCharacters':
      return 'The name must not include hidden characters'
    case 'clientScopesMissing':
      return 'Select what the system may do'
    case 'clientScopeUnknown':
      return 'Select what the system may do from the list'
    case 'clientRegionsMissing':
      return 'Select at least one region, or all regions'
    case 'clientRegionUnknown':
      return 'Select regions from the list'
    case 'allAndSomeRegions':
      return 'Select all regions or individual regions, not both'
    case 'clientIdInvalid':
      return 'The provider’s client ID must be 2 to 100 letters, numbers, full stops, colons, @, hyphens or underscores'
  }
}

/** Shown when the provider's client ID given is already registered. */
export const CLIENT_ID_TAKEN = 'A client with this ID is already registered'
