/**
 * The API clients pages in words: the list (each client's scopes in words,
 * its regions by name, when it was added and last got a token, whether it
 * is revoked), the form that registers one, the page that shows its secret
 * once, and the confirmation before revoking.
 */
import { API_SCOPES } from '../../access/api-scopes.ts'
import type { RegisteredClient } from '../../access/machine-clients.ts'
import type { RegionName } from '../../access/user-administration.ts'
import { SCOPE_WORDS } from '../client-messages.ts'
import type { ClientFormInput } from '../forms/client-form.ts'
import { ALL_REGIONS } from '../forms/user-form.ts'
import { paths } from '../paths.ts'
import { auditTime } from './audit.ts'
import { type FormErrors, type FormProblem, formErrors } from './forms.ts'

export interface ClientRow {
  readonly name: string
  readonly clientId: string
  readonly scopes: readonly string[]
  readonly regions: string
  readonly added: string
  readonly lastToken: string
  readonly revoked: string | null
  /** The "Revoke" link, for a client still in use. */
  readonly revokeHref: string | null
}

function regionsText(client: Pick<RegisteredClient, 'regions'>, regions: readonly RegionName[]): string {
  if (client.regions.all) return 'All regions'
  const codes = client.regions.codes
  return regions
    .filter((region) => codes.includes(region.code))
    .map((region) => region.name)
    .join(', ')
}

function addedBy(client: RegisteredClient): string {
  return `${auditTime(client.createdAt)}${client.createdBy ? ` by ${client.createdBy}` : ' by a command'}`
}

export function clientRows(
  clients: readonly RegisteredClient[],
  regions: readonly RegionName[],
): ClientRow[] {
  return clients.map((client) => ({
    name: client.name,
    clientId: client.clientId,
    scopes: client.scopes.map((scope) => SCOPE_WORDS[scope]),
    regions: regionsText(client, regions),
    added: addedBy(client),
    lastToken: client.hasSecret
      ? client.lastTokenAt
        ? auditTime(client.lastTokenAt)
        : 'Never'
      : 'From the OpenID provider',
    revoked: client.revoked ? auditTime(client.revoked.at) : null,
    revokeHref: client.revoked ? null : paths.apiClientRevoke(client.clientId),
  }))
}

interface CheckboxItem {
  readonly value: string
  readonly text: string
  readonly hint?: { readonly text: string }
  readonly checked: boolean
  readonly behaviour?: 'exclusive'
}

export interface ClientFormPage extends FormErrors {
  readonly values: ClientFormInput
  readonly scopeItems: readonly CheckboxItem[]
  readonly regionItems: readonly (CheckboxItem | { readonly divider: string })[]
  /** Whether to ask for the provider's client ID: only when the API takes the provider's tokens. */
  readonly askProviderClientId: boolean
}

export function clientFormPage(input: {
  readonly values: ClientFormInput
  readonly problems: readonly FormProblem[]
  readonly regions: readonly RegionName[]
  readonly providerConfigured: boolean
}): ClientFormPage {
  const { values } = input
  return {
    ...formErrors(input.problems, { scopes: 'scopes', regions: 'regions' }),
    values,
    scopeItems: API_SCOPES.map((scope) => ({
      value: scope,
      text: SCOPE_WORDS[scope],
      hint: { text: scope },
      checked: values.scopes.includes(scope),
    })),
    regionItems: [
      ...input.regions.map((region) => ({
        value: region.code,
        text: region.name,
        checked: values.regions.includes(region.code),
      })),
      { divider: 'or' },
      {
        value: ALL_REGIONS,
        text: 'All regions',
        checked: values.regions.includes(ALL_REGIONS),
        behaviour: 'exclusive',
      },
    ],
    askProviderClientId: input.providerConfigured,
  }
}

export interface ClientSummary {
  readonly name: string
  readonly clientId: string
  readonly scopes: readonly string[]
  readonly regions: string
}

export function clientSummary(client: RegisteredClient, regions: readonly RegionName[]): ClientSummary {
  return {
    name: client.name,
    clientId: client.clientId,
    scopes: client.scopes.map((scope) => SCOPE_WORDS[scope]),
    regions: regionsText(client, regions),
  }
}
