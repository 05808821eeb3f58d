/**
 * The API client form as HTTP carries it: the name, the scopes and regions
 * ticked (one value or several), and the provider's client ID when the
 * service takes tokens from a provider. Whatever arrives is read into what
 * the domain checks (access/machine-client-fields.ts), never trusted.
 */
import { z } from 'zod'
import type { ClientDetailsInput } from '../../access/machine-client-fields.ts'
import type { ClientFormProblem } from '../client-messages.ts'
import { ALL_REGIONS, oneOrMany, text } from './user-form.ts'

const clientFormSchema = z.object({
  name: text,
  scopes: oneOrMany,
  regions: oneOrMany,
  providerClientId: text,
})

/** What was typed and ticked, as posted: kept to show the form again. */
export interface ClientFormInput {
  readonly name: string
  readonly scopes: readonly string[]
  readonly regions: readonly string[]
  readonly providerClientId: string
}

export interface ReadClientForm {
  readonly input: ClientFormInput
  readonly details: ClientDetailsInput
  readonly problems: readonly ClientFormProblem[]
}

export const EMPTY_CLIENT_FORM: ClientFormInput = { name: '', scopes: [], regions: [], providerClientId: '' }

export function readClientForm(body: unknown): ReadClientForm {
  const input = clientFormSchema.parse(body ?? {})
  const all = input.regions.includes(ALL_REGIONS)
  const codes = input.regions.filter((region) => region !== ALL_REGIONS)
  const problems: ClientFormProblem[] =
    all && codes.length > 0 ? [{ field: 'regions', code: 'allAndSomeRegions' }] : []
  const providerClientId = input.providerClientId.trim()
  return {
    input,
    details: {
      name: input.name,
      scopes: input.scopes,
      regions: all ? 'all' : codes,
      providerClientId: providerClientId === '' ? undefined : providerClientId,
    },
    problems,
  }
}
