/**
 * Who ran a command, as the operating system knows them: what a command
 * records as having acted where it has no signed-in user (`ipic rules
 * publish`, `ipic jobs retry`).
 */
import { userInfo } from 'node:os'

export function operatingSystemAccount(): string {
  try {
    return userInfo().username || 'unknown account'
  } catch {
    return process.env.USER || 'unknown account'
  }
}
