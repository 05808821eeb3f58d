/**
 * The words users see when something they entered needs fixing, kept in one
 * file so that content designers can review them together and the same
 * problem is always described the same way.
 */
export const messages = {
  signIn: {
    userIdMissing: 'Enter your user ID',
    passwordMissing: 'Enter your password',
    /** Deliberately the same whether the ID, the password or the account's status was the problem. */
    incorrect: 'Enter a correct user ID and password',
  },
} as const
