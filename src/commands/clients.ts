/**
 * `ipic clients`: registering the systems that call the API, listing them,
 * and revoking one, from the command line, as the API clients page does
 * (access/machine-clients.ts). Each change is recorded in the audit trail
 * as a command's, naming the operating-system account that ran it. A new
 * client's secret is printed once: only its hash is kept.
 */
import { API_SCOPES } from '../access/api-scopes.ts'
import { type ClientDetailsProblem, checkClientDetails } from '../access/machine-client-fields.ts'
import { MachineClients, type RegisteredClient } from '../access/machine-clients.ts'
import { withRuntime } from '../runtime.ts'
import { UserFacingError } from './errors.ts'
import { operatingSystemAccount } from './operating-system-account.ts'

export interface AddClientOptions {
  readonly name: string
  readonly scopes: readonly string[]
  /** ROM region codes, or `all`. */
  readonly regions: readonly string[]
  /** The provider's client ID, for a client whose tokens come from the OpenID provider. */
  readonly providerClientId?: string
}

/** The words for each problem, naming the option it came from. */
export function clientProblemText(problem: ClientDetailsProblem): string {
  switch (problem.code) {
    case 'clientNameMissing':
      return '--name: give the name of the system'
    case 'clientNameTooLong':
      return `--name: must be ${problem.params.maxLength} characters or fewer`
    case 'clientNameHiddenCharacters':
      return '--name: must not include hidden characters'
    case 'clientScopesMissing':
      return `--scopes: give at least one of ${API_SCOPES.join(', ')}`
    case 'clientScopeUnknown':
      return `--scopes: ${problem.params.scope} is not a scope; the scopes are ${API_SCOPES.join(', ')}`
    case 'clientRegionsMissing':
      return '--regions: give ROM region codes, or all'
    case 'clientRegionUnknown':
      return `--regions: ${problem.params.region} is not a ROM region code`
    case 'clientIdInvalid':
      return '--provider-client-id: must be 2 to 100 letters, digits, dots, colons, @, hyphens or underscores'
  }
}

function regionsText(client: RegisteredClient): string {
  return client.regions.all ? 'all regions' : client.regions.codes.join(', ')
}

const byCommand = () => ({ userId: null, through: 'command', account: operatingSystemAccount() }) as const

export async function addClientCommand(options: AddClientOptions): Promise<void> {
  await withRuntime(async ({ database, clock, reference }) => {
    const all = options.regions.some((region) => region.toLowerCase() === 'all')
    const checked = checkClientDetails(
      {
        name: options.name,
        scopes: options.scopes.flatMap((scope) => scope.split(/[\s,]+/)),
        regions: all ? 'all' : options.regions.map((region) => region.toUpperCase()),
        providerClientId: options.providerClientId,
      },
      reference.regions.romRegions.map((region) => region.code),
    )
    if (!checked.ok) throw new UserFacingError(checked.problems.map(clientProblemText).join('; '))
    const result = await new MachineClients({ db: database.db, clock }).add(checked.details, byCommand())
    if (!result.ok)
      throw new UserFacingError(`--provider-client-id: a client with this ID is already registered`)
    const { client, secret } = result.added
    process.stdout.write(`Added ${client.name}: ${client.scopes.join(' ')}; ${regionsText(client)}\n`)
    process.stdout.write(`Client ID: ${client.clientId}\n`)
    if (secret === null) {
      process.stdout.write('Its tokens come from the OpenID provider: it has no secret here.\n')
    } else {
      process.stdout.write(`Client secret: ${secret}\n`)
      process.stdout.write('Keep the secret now: it is not shown again. Revoke the client if it is lost.\n')
    }
  })
}

export async function listClientsCommand(): Promise<void> {
  await withRuntime(async ({ database, clock }) => {
    const clients = await new MachineClients({ db: database.db, clock }).list()
    if (clients.length === 0) {
      process.stdout.write(
        'No API clients yet. Add one with: npx ipic clients add --name NAME --scopes SCOPE... --regions CODE...|all\n',
      )
      return
    }
    for (const client of clients) {
      const state = client.revoked ? `revoked ${client.revoked.at.toISOString()}` : 'active'
      const lastToken = client.lastTokenAt ? `last token ${client.lastTokenAt.toISOString()}` : 'no token yet'
      process.stdout.write(
        `${client.clientId}\t${client.name}\t${client.scopes.join(' ')}\t${regionsText(client)}\t${state}\t${client.hasSecret ? lastToken : 'tokens from the provider'}\n`,
      )
    }
  })
}

export async function revokeClientCommand(clientId: string): Promise<void> {
  await withRuntime(async ({ database, clock }) => {
    const result = await new MachineClients({ db: database.db, clock }).revoke(clientId, byCommand())
    switch (result) {
      case 'revoked':
        process.stdout.write(`Revoked ${clientId}: its tokens are refused from now on\n`)
        return
      case 'already-revoked':
        process.stdout.write(`${clientId} was already revoked: nothing changed\n`)
        return
      case 'not-found':
        throw new UserFacingError(`No API client has the ID ${clientId}`)
    }
  })
}
