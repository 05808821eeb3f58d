/**
 * `ipic users`: the first administrator, and recovery, from the command
 * line. Adding, deactivating, reactivating and setting roles go through the
 * same user changes as the pages (access/user-changes.ts), as the command
 * line actor: bound by no grant rule, and recorded in the audit trail as
 * done by a command (no user). Roles are accepted in any letter case.
 */
import { text } from 'node:stream/consumers'
import type { RegionScope } from '../access/region-scope.ts'
import { ROLE_CODES, ROLES, type Role, roleNamed } from '../access/roles.ts'
import { addUserAs, COMMAND_LINE, changeAccessAs, setActiveAs } from '../access/user-changes.ts'
import { findVersionedUser } from '../access/user-directory.ts'
import { checkUserDetails } from '../access/user-fields.ts'
import { listUsers, type User } from '../access/users.ts'
import { withRuntime } from '../runtime.ts'
import { UserFacingError } from './errors.ts'
import { userProblemText } from './user-problems.ts'

interface AddUserOptions {
  id: string
  name: string
  email?: string
  role?: string[]
  region: string[]
  passwordStdin?: boolean
}

/** Every --role as a role code; a clear refusal naming the roles for one that is none. */
export function rolesFrom(values: readonly string[] | undefined): Role[] {
  if (!values || values.length === 0) throw new UserFacingError('Give at least one --role')
  const unknown = values.filter((value) => roleNamed(value) === undefined)
  if (unknown.length > 0) {
    const roles = ROLE_CODES.map((role) => `${role} (${ROLES[role]})`).join(', ')
    throw new UserFacingError(
      `Unknown role: ${unknown.join(', ')}. The roles are ${roles}, in any letter case`,
    )
  }
  return [...new Set(values.map((value) => roleNamed(value) as Role))]
}

function regionsFrom(values: readonly string[]): RegionScope {
  return values.some((value) => value.toLowerCase() === 'all')
    ? { all: true }
    : { all: false, codes: [...new Set(values.map((value) => value.toUpperCase()))] }
}

function refused(problems: readonly Parameters<typeof userProblemText>[0][]): never {
  throw new UserFacingError(problems.map(userProblemText).join('; '))
}

function describe(user: User): string {
  const roles = user.roles.map((role) => ROLES[role]).join(', ')
  const regions = user.regions.all ? 'all regions' : user.regions.codes.join(', ')
  return `${user.id} (${user.name}): ${roles}; ${regions}${user.active ? '' : '; deactivated'}`
}

export async function addUserCommand(options: AddUserOptions): Promise<void> {
  const roles = rolesFrom(options.role)
  let password: string | undefined
  if (options.passwordStdin) {
    password = (await text(process.stdin)).replace(/\r?\n$/, '')
    if (password === '') throw new UserFacingError('No password was given on standard input')
  }
  const details = checkUserDetails(
    { id: options.id, name: options.name, email: options.email ?? '', password },
    { passwordRequired: false },
  )
  if (!details.ok) refused(details.problems)
  await withRuntime(async ({ database, clock }) => {
    const result = await addUserAs(database.db, {
      actor: COMMAND_LINE,
      at: clock.now(),
      details: details.details,
      access: { roles, regions: regionsFrom(options.region) },
    })
    if (result.kind === 'invalid') refused(result.problems)
    process.stdout.write(`Added ${result.user.id} (${result.user.name})\n`)
  })
}

export async function setActiveCommand(options: { id: string }, active: boolean): Promise<void> {
  await withRuntime(async ({ database, clock }) => {
    const change = { actor: COMMAND_LINE, at: clock.now(), userId: options.id, expectedVersion: undefined }
    const result = await setActiveAs(database.db, { ...change, active })
    switch (result.kind) {
      case 'changed':
        process.stdout.write(
          active
            ? `Reactivated ${describe(result.user)}\n`
            : `Deactivated ${describe(result.user)}; their sessions have ended\n`,
        )
        return
      case 'unchanged':
        process.stdout.write(
          `${options.id} is already ${active ? 'active' : 'deactivated'}: nothing changed\n`,
        )
        return
      case 'not-found':
        throw new UserFacingError(`No user has the ID ${options.id}`)
      case 'refused':
      case 'not-managed':
      case 'stale':
        // The command line is bound by no rule and names no version.
        throw new Error(`unexpected refusal of a command: ${result.kind}`)
    }
  })
}

export async function setRolesCommand(options: {
  id: string
  role?: string[]
  region?: string[]
}): Promise<void> {
  const roles = rolesFrom(options.role)
  await withRuntime(async ({ database, clock }) => {
    const current = await findVersionedUser(database.db, options.id)
    if (!current) throw new UserFacingError(`No user has the ID ${options.id}`)
    const regions =
      options.region && options.region.length > 0 ? regionsFrom(options.region) : current.regions
    const result = await changeAccessAs(database.db, {
      actor: COMMAND_LINE,
      at: clock.now(),
      userId: current.id,
      // The user as just read: a change made in between is not overwritten.
      expectedVersion: current.version,
      access: { roles, regions },
    })
    switch (result.kind) {
      case 'changed':
        process.stdout.write(`Changed ${describe(result.user)}\n`)
        return
      case 'unchanged':
        process.stdout.write(`${describe(result.user)} already: nothing changed\n`)
        return
      case 'invalid':
        return refused(result.problems)
      case 'stale':
        throw new UserFacingError(`${options.id} was changed by someone else just now: run the command again`)
      case 'not-found':
        throw new UserFacingError(`No user has the ID ${options.id}`)
      case 'not-managed':
        throw new Error('unexpected refusal of a command: not-managed')
    }
  })
}

export async function listUsersCommand(): Promise<void> {
  await withRuntime(async ({ database }) => {
    const users = await listUsers(database.db)
    if (users.length === 0) {
      process.stdout.write(
        'No users yet. Add one with: npx ipic users add --id ID --name NAME --role ROLE --region CODE --password-stdin\n',
      )
      return
    }
    for (const user of users) {
      const regions = user.regions.all ? 'all regions' : user.regions.codes.join(', ')
      const roles = user.roles.map((role) => ROLES[role]).join(', ')
      process.stdout.write(
        `${user.id}\t${user.name}\t${roles}\t${regions}${user.active ? '' : '\t(inactive)'}\n`,
      )
    }
  })
}
