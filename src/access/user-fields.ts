/**
 * The details a person enters for a new user (ID, name, email, password),
 * checked as anyone may have typed them: problems are codes, worded by the
 * page or the command that asked. Roles and regions are checked by
 * user-management.ts, against what the actor may grant.
 */
import { hasHiddenCharacters } from '../hidden-characters.ts'
import {
  MAX_EMAIL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PASSWORD_LENGTH,
  MAX_USER_ID_LENGTH,
  MIN_PASSWORD_LENGTH,
  USER_ID_PATTERN,
} from './users.ts'

export interface UserDetailsInput {
  readonly id: string
  readonly name: string
  /** Empty when not given. */
  readonly email: string
  /** Undefined when the user will sign in through the identity provider only. */
  readonly password: string | undefined
}

export interface CheckedUserDetails {
  readonly id: string
  readonly name: string
  readonly email: string | null
  readonly password: string | null
}

export type UserDetailsProblem =
  | { readonly field: 'id'; readonly code: 'idMissing' | 'idInvalid' | 'idReserved' }
  | { readonly field: 'id'; readonly code: 'idTooLong'; readonly params: { readonly maxLength: number } }
  | { readonly field: 'name'; readonly code: 'nameMissing' | 'nameHiddenCharacters' }
  | { readonly field: 'name'; readonly code: 'nameTooLong'; readonly params: { readonly maxLength: number } }
  | { readonly field: 'email'; readonly code: 'emailInvalid' }
  | { readonly field: 'password'; readonly code: 'passwordMissing' }
  | {
      readonly field: 'password'
      readonly code: 'passwordTooShort' | 'passwordTooLong'
      readonly params: { readonly length: number }
    }

/** The address of the page that adds a user (/users/new), which a user's own page would hide behind. */
const RESERVED_IDS = new Set(['new'])

/** One @, something either side, a dot in the domain, no spaces: enough to catch a typo. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function checkUserDetails(
  input: UserDetailsInput,
  options: { readonly passwordRequired: boolean },
): { ok: true; details: CheckedUserDetails } | { ok: false; problems: UserDetailsProblem[] } {
  const problems: UserDetailsProblem[] = []
  const id = input.id.trim()
  if (id === '') problems.push({ field: 'id', code: 'idMissing' })
  else if (id.length > MAX_USER_ID_LENGTH) {
    problems.push({ field: 'id', code: 'idTooLong', params: { maxLength: MAX_USER_ID_LENGTH } })
  } else if (!USER_ID_PATTERN.test(id)) problems.push({ field: 'id', code: 'idInvalid' })
  else if (RESERVED_IDS.has(id)) problems.push({ field: 'id', code: 'idReserved' })

  const name = input.name.trim()
  if (name === '') problems.push({ field: 'name', code: 'nameMissing' })
  else if (name.length > MAX_NAME_LENGTH) {
    problems.push({ field: 'name', code: 'nameTooLong', params: { maxLength: MAX_NAME_LENGTH } })
  } else if (hasHiddenCharacters(name, 'one-line')) {
    problems.push({ field: 'name', code: 'nameHiddenCharacters' })
  }

  const email = input.email.trim()
  if (email !== '' && (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email))) {
    problems.push({ field: 'email', code: 'emailInvalid' })
  }

  const password = input.password ?? ''
  if (password === '') {
    if (options.passwordRequired) problems.push({ field: 'password', code: 'passwordMissing' })
  } else if (password.length < MIN_PASSWORD_LENGTH) {
    problems.push({ field: 'password', code: 'passwordTooShort', params: { length: MIN_PASSWORD_LENGTH } })
  } else if (password.length > MAX_PASSWORD_LENGTH) {
    problems.push({ field: 'password', code: 'passwordTooLong', params: { length: MAX_PASSWORD_LENGTH } })
  }

  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    details: { id, name, email: email === '' ? null : email, password: password === '' ? null : password },
  }
}
