/**
 * Machine clients of the API: the systems allowed to call /api/v1, each
 * with scopes (api-scopes.ts, standing for the roles' permissions) and the
 * regions it may see, as a user has. Registered by an administrator (the API
 * clients page) or an operator (`ipic clients add`), given a secret shown
 * once and kept only as a hash, and revoked, never deleted. Every change
 * and every refused request is in the audit trail with the client's ID.
 */
import { randomBytes } from 'node:crypto'
import { decodeJwt } from 'jose'
import type { Kysely, Selectable } from 'kysely'
import type { ChangedBy } from '../audit/changed-by.ts'
import { type AuditEvent, recordAuditEvent } from '../audit/events.ts'
import type { Clock } from '../clock.ts'
import type { ApiClientRow, Tables } from '../db/tables.ts'
import { type ApiScope, isApiScope, permissionsOf } from './api-scopes.ts'
import { ApiTokens, type IssuedToken, type TokenCheck } from './api-tokens.ts'
import type { CheckedClientDetails } from './machine-client-fields.ts'
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './passwords.ts'
import type { Permission } from './permissions.ts'
import type { ProviderTokens } from './provider-tokens.ts'
import type { User } from './users.ts'

/** A client as an API request acts: what it may do, and where. */
export interface MachineClient {
  readonly clientId: string
  readonly name: string
  /** The scopes this request may use: the client's, narrowed to those its token carries. */
  readonly scopes: readonly ApiScope[]
  readonly permissions: ReadonlySet<Permission>
  readonly regions: User['regions']
}

/** A client as the API clients page and `ipic clients list` show it. */
export interface RegisteredClient extends MachineClient {
  readonly createdAt: Date
  /** Null when a command added it. */
  readonly createdBy: string | null
  /** Whether it has a secret of ours; false when its tokens come from the OpenID provider. */
  readonly hasSecret: boolean
  readonly revoked: { readonly at: Date; readonly by: string | null } | null
  readonly lastTokenAt: Date | null
}

/** Who is adding or revoking: a user on the page, or an operator's command and its account. */
export type ClientChanger = ChangedBy

export interface AddedClient {
  readonly client: RegisteredClient
  /** Shown once and never again; null for a client whose tokens come from the provider. */
  readonly secret: string | null
}

export type AddClientResult =
  | { readonly ok: true; readonly added: AddedClient }
  | { readonly ok: false; readonly code: 'clientIdTaken' }

export type RevokeResult = 'revoked' | 'not-found' | 'already-revoked'

/** A request the API refused, as the audit records it. */
export type ApiRefusal = Omit<Extract<AuditEvent, { kind: 'api-refused' }>, 'kind' | 'at'>

/** Our own client IDs: recognisable in logs, random, and within CLIENT_ID_PATTERN. */
function newClientId(): string {
  return `ipic-${randomBytes(12).toString('base64url')}`
}

function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

function toRegisteredClient(row: Selectable<ApiClientRow>): RegisteredClient {
  const scopes = row.scopes.filter(isApiScope)
  return {
    clientId: row.client_id,
    name: row.name,
    scopes,
    permissions: permissionsOf(scopes),
    regions: row.all_regions ? { all: true } : { all: false, codes: row.regions },
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
    hasSecret: row.secret_hash !== null,
    revoked: row.revoked_at === null ? null : { at: new Date(row.revoked_at), by: row.revoked_by },
    lastTokenAt: row.last_token_at === null ? null : new Date(row.last_token_at),
  }
}

/** The client acting with these scopes only (those it still holds that the token carries). */
export function narrowedTo(client: MachineClient, scopes: readonly ApiScope[]): MachineClient {
  const kept = client.scopes.filter((scope) => scopes.includes(scope))
  return { ...client, scopes: kept, permissions: permissionsOf(kept) }
}

export class MachineClients {
  readonly #db: Kysely<Tables>
  readonly #clock: Clock
  readonly tokens: ApiTokens
  /** The OpenID provider whose tokens are accepted too, when one is configured. */
  readonly provider: ProviderTokens | undefined

  constructor(options: { db: Kysely<Tables>; clock: Clock; provider?: ProviderTokens | undefined }) {
    this.#db = options.db
    this.#clock = options.clock
    this.tokens = new ApiTokens(options)
    this.provider = options.provider
  }

  async add(details: CheckedClientDetails, by: ClientChanger): Promise<AddClientResult> {
    const clientId = details.providerClientId ?? newClientId()
    const secret = details.providerClientId === undefined ? newSecret() : null
    const secretHash = secret === null ? null : await hashPassword(secret)
    const at = this.#clock.now()
    const regions = details.regions.all ? 'all' : details.regions.codes
    const row = await this.#db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('api_clients')
        .values({
          client_id: clientId,
          name: details.name,
          secret_hash: secretHash,
          scopes: [...details.scopes],
          regions: details.regions.all ? [] : [...details.regions.codes],
          all_regions: details.regions.all,
          created_at: at,
          created_by: by.userId,
        })
        .onConflict((conflict) => conflict.column('client_id').doNothing())
        .returningAll()
        .executeTakeFirst()
      if (inserted) {
        await recordAuditEvent(trx, {
          kind: 'client-added',
          at,
          clientId,
          name: details.name,
          scopes: details.scopes,
          regions,
          ...by,
        })
      }
      return inserted
    })
    if (!row) return { ok: false, code: 'clientIdTaken' }
    return { ok: true, added: { client: toRegisteredClient(row), secret } }
  }

  /** Every client, those still in use first, newest first. */
  async list(): Promise<RegisteredClient[]> {
    const rows = await this.#db
      .selectFrom('api_clients')
      .selectAll()
      .orderBy((eb) => eb('revoked_at', 'is', null), 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('client_id')
      .execute()
    return rows.map(toRegisteredClient)
  }

  async find(clientId: string): Promise<RegisteredClient | undefined> {
    const row = await this.#db
      .selectFrom('api_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirst()
    return row && toRegisteredClient(row)
  }

  async revoke(clientId: string, by: ClientChanger): Promise<RevokeResult> {
    const at = this.#clock.now()
    return this.#db.transaction().execute(async (trx) => {
      const revoked = await trx
        .updateTable('api_clients')
        .set({ revoked_at: at, revoked_by: by.userId })
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .returning('client_id')
        .executeTakeFirst()
      if (!revoked) {
        const exists = await trx
          .selectFrom('api_clients')
          .select('client_id')
          .where('client_id', '=', clientId)
          .executeTakeFirst()
        return exists ? 'already-revoked' : 'not-found'
      }
      await recordAuditEvent(trx, { kind: 'client-revoked', at, clientId, ...by })
      return 'revoked'
    })
  }

  /** The client, if it is registered and not revoked. */
  async active(clientId: string): Promise<RegisteredClient | undefined> {
    const client = await this.find(clientId)
    return client && client.revoked === null ? client : undefined
  }

  /**
   * The client whose ID and secret these are, if it is active; as slow for
   * an unknown ID, or one without a secret, as for a wrong secret, so the
   * time taken does not tell which IDs exist.
   */
  async authenticate(clientId: string, secret: string): Promise<RegisteredClient | undefined> {
    const row = await this.#db
      .selectFrom('api_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirst()
    const matches = await verifyPassword(secret, row?.secret_hash ?? UNKNOWN_USER_HASH)
    if (!row || row.secret_hash === null || !matches || row.revoked_at !== null) return undefined
    return toRegisteredClient(row)
  }

  /** A token for the client with these scopes (already checked to be among its own). */
  async issueToken(client: MachineClient, scopes: readonly ApiScope[]): Promise<IssuedToken> {
    const token = await this.tokens.issue(client.clientId, scopes)
    await this.#db
      .updateTable('api_clients')
      .set({ last_token_at: this.#clock.now() })
      .where('client_id', '=', client.clientId)
      .execute()
    return token
  }

  /**
   * The client an access token acts for, narrowed to the token's scopes:
   * refused if the token is not valid or the client has been revoked since
   * it was issued.
   */
  async clientOfToken(
    token: string,
  ): Promise<{ ok: true; client: MachineClient } | Extract<TokenCheck, { ok: false }>> {
    const check = await this.#verifierOf(token).verify(token)
    if (!check.ok) return check
    const client = await this.active(check.clientId)
    if (!client) {
      const known = await this.find(check.clientId)
      return known
        ? { ok: false, reason: 'the client has been revoked', clientId: known.clientId }
        : { ok: false, reason: 'the token names no registered client', clientId: null }
    }
    return { ok: true, client: narrowedTo(client, check.scopes) }
  }

  /** The provider when the token says it issued it (which its verification then checks), else our own. */
  #verifierOf(token: string): Pick<ApiTokens, 'verify'> {
    const provider = this.provider
    if (!provider) return this.tokens
    try {
      return decodeJwt(token).iss === provider.issuer ? provider : this.tokens
    } catch {
      return this.tokens
    }
  }

  /** Records a refused request in the audit trail. */
  async recordRefusal(refusal: ApiRefusal): Promise<void> {
    await recordAuditEvent(this.#db, { kind: 'api-refused', at: this.#clock.now(), ...refusal })
  }
}
