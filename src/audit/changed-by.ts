/**
 * Who made a change that an administrator makes on a page or an operator
 * by a command (a job retried, an API client added or revoked, a
 * subscriber changed): the signed-in user, or the command and the
 * operating-system account that ran it.
 */
export type ChangedBy =
  | { readonly userId: string; readonly through: 'page' }
  | { readonly userId: null; readonly through: 'command'; readonly account: string }
