/**
 * The words `ipic users` prints for a refused change: each problem code of
 * the user checks (access/user-fields.ts, user-changes.ts), named by the
 * option it came from. The pages word the same codes for a form
 * (web/messages.ts).
 */
import { ROLES } from '../access/roles.ts'
import type { UserChangeProblem } from '../access/user-changes.ts'
import type { UserDetailsProblem } from '../access/user-fields.ts'

export function userProblemText(problem: UserDetailsProblem | UserChangeProblem): string {
  switch (problem.code) {
    case 'idMissing':
      return '--id: give a user ID'
    case 'idTooLong':
      return `--id: must be ${problem.params.maxLength} characters or fewer`
    case 'idInvalid':
      return '--id: must be 2 to 40 letters, digits, dots, hyphens or underscores'
    case 'idReserved':
      return '--id: "new" cannot be a user ID'
    case 'idTaken':
      return '--id: a user with this ID already exists'
    case 'nameMissing':
      return '--name: give the full name'
    case 'nameTooLong':
      return `--name: must be ${problem.params.maxLength} characters or fewer`
    case 'nameHiddenCharacters':
      return '--name: must not include hidden characters'
    case 'emailInvalid':
      return '--email: must be an email address'
    case 'passwordMissing':
      return 'give a password with --password-stdin'
    case 'passwordTooShort':
      return `password: must be at least ${problem.params.length} characters`
    case 'passwordTooLong':
      return `password: must be ${problem.params.length} characters or fewer`
    case 'rolesMissing':
      return '--role: give at least one role'
    case 'roleNotGrantable':
      return `--role: ${ROLES[problem.params.role]} cannot be given`
    case 'ownAdministratorRole':
      return '--role: the administrator role cannot be taken from oneself'
    case 'regionsMissing':
      return '--region: give at least one ROM region code, or all'
    case 'regionUnknown':
      return `--region: unknown ROM region ${problem.params.region}`
    case 'allRegionsNotGrantable':
    case 'regionNotGrantable':
      return '--region: cannot be given'
    default:
      return unworded(problem)
  }
}

function unworded(problem: never): never {
  throw new Error(`no words for the problem ${JSON.stringify(problem)}`)
}
