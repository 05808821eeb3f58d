import { text } from 'node:stream/consumers'
import { ROLES } from '../access/roles.ts'
import { addUser, listUsers, UserError } from '../access/users.ts'
import { withRuntime } from '../runtime.ts'
import { UserFacingError } from './errors.ts'

interface AddUserOptions {
  id: string
  name: string
  email?: string
  role?: string[]
  region: string[]
  passwordStdin?: boolean
}

export async function addUserCommand(options: AddUserOptions): Promise<void> {
  if (!options.role || options.role.length === 0) throw new UserFacingError('Give at least one --role')
  let password: string | null = null
  if (options.passwordStdin) {
    password = (await text(process.stdin)).replace(/\r?\n$/, '')
    if (password === '') throw new UserFacingError('No password was given on standard input')
  }
  const regions = options.region.includes('all') ? ('all' as const) : options.region
  await withRuntime(async ({ database }) => {
    try {
      const user = await addUser(database.db, {
        id: options.id,
        name: options.name,
        email: options.email ?? null,
        roles: options.role as never,
        regions,
        password,
      })
      process.stdout.write(`Added ${user.id} (${user.name})\n`)
    } catch (error) {
      if (error instanceof UserError) throw new UserFacingError(error.message)
      throw error
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
