/**
 * Turns an error that reached the command line into one clear line on stderr
 * and an exit code. Errors a user can cause (a bad file, bad configuration)
 * are expected and shown without a stack; anything else is a bug and shown
 * in full.
 */
import { SingleSignOnDiscoveryError } from '../access/single-sign-on.ts'
import { ConfigError } from '../config.ts'
import { DirectoryInUseError } from '../db/directory-lock.ts'
import { MigrationError } from '../db/migrate.ts'
import { ReferenceDataError } from '../db/reference-data.ts'
import { RuleSetError } from '../rules/problems.ts'

/** An error whose message is meant for the person at the terminal. */
export class UserFacingError extends Error {}

const expected = [
  UserFacingError,
  ConfigError,
  DirectoryInUseError,
  ReferenceDataError,
  MigrationError,
  RuleSetError,
  SingleSignOnDiscoveryError,
]

export function isExpectedError(error: unknown): error is Error {
  return expected.some((kind) => error instanceof kind)
}

export function reportCommandError(error: unknown): number {
  if (isExpectedError(error)) {
    process.stderr.write(`ipic: ${error.message}\n`)
    return 1
  }
  process.stderr.write(`ipic: unexpected error\n${(error as Error)?.stack ?? String(error)}\n`)
  return 2
}
