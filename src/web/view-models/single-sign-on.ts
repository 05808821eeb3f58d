/**
 * The page shown when signing in through the OpenID provider ends without
 * a sign-in, worded for each reason: what happened, in the user's terms, and
 * what they can do about it. The technical detail goes to the log, not here.
 */
import type { SingleSignOnRefusal } from '../../access/single-sign-on.ts'
import { PENDING_SIGN_IN_MINUTES } from '../../access/single-sign-on.ts'

export interface SingleSignOnRefusalPage {
  readonly status: 400 | 403 | 503
  readonly title: string
  readonly paragraphs: readonly string[]
  /** The user ID the provider gave, for the user to pass on to whoever can give them access. */
  readonly providerUserId: { readonly label: string; readonly value: string } | undefined
  /** The last paragraph: what to do next. */
  readonly next: { readonly text: string; readonly link: boolean }
}

export const NO_ACCESS_TITLE = 'You do not have access to this service'
const NOT_COMPLETED_TITLE = 'Your sign-in could not be completed'
const ASK_AN_ADMINISTRATOR = 'Ask an administrator of this service to give you access.'
const TRY_AGAIN = { text: 'Try signing in again', link: true } as const

export function singleSignOnRefusalPage(
  refusal: SingleSignOnRefusal,
  providerName: string,
): SingleSignOnRefusalPage {
  const page = { providerUserId: undefined, next: TRY_AGAIN }
  switch (refusal.reason) {
    case 'unknown-user':
    case 'inactive-user':
      return {
        status: 403,
        title: NO_ACCESS_TITLE,
        paragraphs: [
          `You signed in with ${providerName}, but this service has no active account with your user ID.`,
        ],
        providerUserId: { label: `Your user ID from ${providerName}`, value: refusal.providerUserId },
        next: { text: `${ASK_AN_ADMINISTRATOR} Give them your user ID.`, link: false },
      }
    case 'no-user-id':
      return {
        status: 403,
        title: NO_ACCESS_TITLE,
        paragraphs: [`${providerName} did not tell this service your user ID.`],
        providerUserId: undefined,
        next: {
          text: `${ASK_AN_ADMINISTRATOR} They may need to check how the service is connected to ${providerName}.`,
          link: false,
        },
      }
    case 'provider-error':
      return {
        ...page,
        status: refusal.error === 'access_denied' ? 403 : 400,
        title: 'You have not signed in',
        paragraphs: [
          refusal.error === 'access_denied'
            ? `${providerName} did not sign you in to this service: you may have cancelled, or ${providerName} does not allow you to use it.`
            : `${providerName} could not sign you in to this service.`,
        ],
      }
    case 'not-started':
      return {
        ...page,
        status: 400,
        title: NOT_COMPLETED_TITLE,
        paragraphs: [
          'This can happen if you went back a page in your browser, or used an old link, after signing in.',
        ],
      }
    case 'expired':
      return {
        ...page,
        status: 400,
        title: NOT_COMPLETED_TITLE,
        paragraphs: [`You must sign in with ${providerName} within ${PENDING_SIGN_IN_MINUTES} minutes.`],
      }
    case 'invalid-response':
      return {
        ...page,
        status: 400,
        title: NOT_COMPLETED_TITLE,
        paragraphs: [`The answer from ${providerName} could not be checked, so you have not been signed in.`],
      }
    case 'provider-unavailable':
      return {
        ...page,
        status: 503,
        title: 'Sorry, you cannot sign in at the moment',
        paragraphs: [`${providerName} is not answering. Try again in a few minutes.`],
      }
    default:
      return unexplained(refusal)
  }
}

/** For the switch's `default`: a new reason without a page fails to compile. */
function unexplained(refusal: never): never {
  throw new Error(`no page for the refusal ${JSON.stringify(refusal)}`)
}
