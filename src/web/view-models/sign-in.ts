/**
 * The sign-in page: "Sign in with …" the OpenID provider where one is
 * configured, the user ID and password form where local accounts are
 * offered, reading what that form posted, and what the page shows.
 */
import { z } from 'zod'
import { hasHiddenCharacters } from '../../hidden-characters.ts'
import { messages } from '../messages.ts'
import { paths } from '../paths.ts'
import { safeReturnPath } from '../server/return-path.ts'
import { type FormErrors, type FormProblem, formErrors, NO_FORM_ERRORS } from './forms.ts'

/** The HTML id of each field, for the error summary's links. */
const FIELD_IDS = { userId: 'user-id', password: 'password' }

// A field sent twice, or not at all, reads as empty: the user is asked to fill it in.
const text = z.string().catch('')

export const signInForm = z.object({
  userId: text.transform((value) => value.trim()),
  // Passwords are used exactly as typed.
  password: text,
  returnTo: z.unknown().optional().transform(safeReturnPath),
})

export type SignInForm = z.output<typeof signInForm>

export function readSignInForm(body: unknown): SignInForm {
  return signInForm.parse(body ?? {})
}

/** What must be fixed before the ID and password are worth checking. */
export function signInFormProblems(form: SignInForm): FormProblem[] {
  const problems: FormProblem[] = []
  if (form.userId === '') problems.push({ field: 'userId', message: messages.signIn.userIdMissing })
  // No ID holds them, and a NUL would fail the account's lookup: said plainly, not as "incorrect".
  else if (hasHiddenCharacters(form.userId, 'one-line')) {
    problems.push({ field: 'userId', message: messages.forms.hiddenCharacters('User ID') })
  }
  // The password is only ever hashed, never stored or looked up: it is used exactly as typed.
  if (form.password === '') problems.push({ field: 'password', message: messages.signIn.passwordMissing })
  return problems
}

/** One problem for a wrong ID, a wrong password or an inactive account alike. */
export const INCORRECT_SIGN_IN: readonly FormProblem[] = [
  { field: 'userId', message: messages.signIn.incorrect },
]

/**
 * Told to wait before trying again: said the same way whether or not the ID
 * exists, in whole minutes rounded up, so that trying again after the wait
 * stated is never too early.
 */
export function mustWait(retryAt: Date, now: Date): readonly FormProblem[] {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000))
  return [{ field: 'userId', message: messages.signIn.tooMany(minutes) }]
}

/** The ways in that the sign-in page offers: at least one (configuration sees to it). */
export type SignInMethods =
  | { readonly providerName: undefined; readonly localAccounts: true }
  | { readonly providerName: string; readonly localAccounts: boolean }

export const LOCAL_ACCOUNTS_ONLY: SignInMethods = { providerName: undefined, localAccounts: true }

export interface SignInPage extends FormErrors {
  /** The ID as entered, so the user need not type it again. The password is never sent back. */
  readonly userId: string
  readonly returnTo: string | undefined
  /** The start button to the OpenID provider, if one is configured. */
  readonly provider: { readonly text: string; readonly href: string } | undefined
  /** Whether the user ID and password form is offered. */
  readonly localAccounts: boolean
}

export function signInPage(
  input: { userId?: string; returnTo?: string | undefined } = {},
  problems: readonly FormProblem[] = [],
  methods: SignInMethods = LOCAL_ACCOUNTS_ONLY,
): SignInPage {
  return {
    ...(problems.length > 0 ? formErrors(problems, FIELD_IDS) : NO_FORM_ERRORS),
    userId: input.userId ?? '',
    returnTo: input.returnTo,
    provider:
      methods.providerName === undefined
        ? undefined
        : { text: `Sign in with ${methods.providerName}`, href: paths.signInWithProvider(input.returnTo) },
    localAccounts: methods.localAccounts,
  }
}
