/**
 * The words users see when something they entered needs fixing, kept in one
 * file so that content designers can review them together and the same
 * problem is always described the same way.
 */
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
  decisions: {
    checksConfirmed: 'Confirm that you have checked barriers, vulnerability and family circumstances',
    reasonsMissing: 'Select why you want to reject this task',
    reasonsUnknown: 'Select reasons from the list',
    detailsMissing: 'Explain your reasons for rejecting this task',
    detailsTooLong: (max: number) => `Details must be ${max.toLocaleString('en-GB')} characters or fewer`,
    noteTooLong: (max: number) => `Note must be ${max.toLocaleString('en-GB')} characters or fewer`,
    alreadyInStatus: (status: string) =>
      `This task is already ${status}. Check the case again before you decide.`,
  },
} as const
