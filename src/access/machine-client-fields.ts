/**
 * The details of a new API client as anyone may have typed them (on the API
 * clients page or to `ipic clients add`): problems are codes, worded by the
 * page or the command that asked.
 */
import { hasHiddenCharacters } from '../hidden-characters.ts'
import { type ApiScope, isApiScope, orderedScopes } from './api-scopes.ts'
import type { User } from './users.ts'

export const MAX_CLIENT_NAME_LENGTH = 100

/**
 * A client ID: ours are `ipic-` and random letters; one the OpenID provider
 * gave is kept as it is, within these characters.
 */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._:@-]{2,100}$/

export interface ClientDetailsInput {
  readonly name: string
  /** The scopes chosen, as sent. */
  readonly scopes: readonly string[]
  /** 'all', or the ROM region codes chosen, as sent. */
  readonly regions: 'all' | readonly string[]
  /** The provider's ID for the client, when its tokens come from the OpenID provider; undefined for our own. */
  readonly providerClientId?: string | undefined
}

export interface CheckedClientDetails {
  readonly name: string
  readonly scopes: readonly ApiScope[]
  readonly regions: User['regions']
  readonly providerClientId: string | undefined
}

export type ClientDetailsProblem =
  | { readonly field: 'name'; readonly code: 'clientNameMissing' | 'clientNameHiddenCharacters' }
  | {
      readonly field: 'name'
      readonly code: 'clientNameTooLong'
      readonly params: { readonly maxLength: number }
    }
  | { readonly field: 'scopes'; readonly code: 'clientScopesMissing' }
  | {
      readonly field: 'scopes'
      readonly code: 'clientScopeUnknown'
      readonly params: { readonly scope: string }
    }
  | { readonly field: 'regions'; readonly code: 'clientRegionsMissing' }
  | {
      readonly field: 'regions'
      readonly code: 'clientRegionUnknown'
      readonly params: { readonly region: string }
    }
  | { readonly field: 'providerClientId'; readonly code: 'clientIdInvalid' }

export function checkClientDetails(
  input: ClientDetailsInput,
  regionCodes: readonly string[],
): { ok: true; details: CheckedClientDetails } | { ok: false; problems: ClientDetailsProblem[] } {
  const problems: ClientDetailsProblem[] = []
  const name = input.name.trim()
  if (name === '') problems.push({ field: 'name', code: 'clientNameMissing' })
  else if (name.length > MAX_CLIENT_NAME_LENGTH) {
    problems.push({ field: 'name', code: 'clientNameTooLong', params: { maxLength: MAX_CLIENT_NAME_LENGTH } })
  } else if (hasHiddenCharacters(name, 'one-line')) {
    problems.push({ field: 'name', code: 'clientNameHiddenCharacters' })
  }

  const scopes = input.scopes.map((scope) => scope.trim()).filter((scope) => scope !== '')
  const unknownScope = scopes.find((scope) => !isApiScope(scope))
  if (unknownScope !== undefined) {
    problems.push({ field: 'scopes', code: 'clientScopeUnknown', params: { scope: unknownScope } })
  } else if (scopes.length === 0) problems.push({ field: 'scopes', code: 'clientScopesMissing' })

  let regions: User['regions'] = { all: true }
  if (input.regions !== 'all') {
    const codes = [...new Set(input.regions.map((code) => code.trim()).filter((code) => code !== ''))]
    const unknownRegion = codes.find((code) => !regionCodes.includes(code))
    if (unknownRegion !== undefined) {
      problems.push({ field: 'regions', code: 'clientRegionUnknown', params: { region: unknownRegion } })
    } else if (codes.length === 0) problems.push({ field: 'regions', code: 'clientRegionsMissing' })
    regions = { all: false, codes: regionCodes.filter((code) => codes.includes(code)) }
  }

  const providerClientId = input.providerClientId?.trim()
  if (providerClientId !== undefined && !CLIENT_ID_PATTERN.test(providerClientId)) {
    problems.push({ field: 'providerClientId', code: 'clientIdInvalid' })
  }

  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    details: { name, scopes: orderedScopes(scopes.filter(isApiScope)), regions, providerClientId },
  }
}
