/**
 * A real OpenID provider (oidc-provider, a certified implementation) on a
 * loopback port inside the test process, with one client registered for
 * the service under test: a confidential client that must use PKCE.
 *
 * Its sign-in page is a minimal form of its own: any username signs in (a
 * test provider trusts everyone), and "Cancel" answers the service with
 * error=access_denied. The account's subject is not the username, so a test
 * sees the service map the `preferred_username` claim, not `sub`, to its
 * user ID. Consent is given in advance, as a first-party provider does.
 *
 * `tamperWithNextIdToken` makes the provider's token endpoint hand back, once,
 * an ID token with changed claims, signed with the provider's own key: what
 * a token for another client, an expired one or one from another sign-in
 * looks like, which only the client's checks can catch.
 */
import { createPrivateKey, createSign, generateKeyPairSync, type JsonWebKey, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider'

export const TEST_CLIENT_ID = 'ipic-test-client'
const CLIENT_SECRET = randomBytes(24).toString('base64url')
const KEY_ID = 'test-signing-key'

export type IdTokenClaims = Record<string, unknown>

export interface TestIdentityProvider {
  /** e.g. http://127.0.0.1:41234 */
  readonly issuer: string
  /** The settings that point the service at this provider, as an installation sets them. */
  readonly env: Readonly<Record<string, string>>
  /** The next ID token issued carries these claims instead, re-signed with the provider's key. */
  tamperWithNextIdToken(change: (claims: IdTokenClaims) => IdTokenClaims): void
  close(): Promise<void>
}

export interface TestIdentityProviderOptions {
  /** Where the service listens (its origin), for the redirect URIs registered with the provider. */
  readonly serviceOrigin: string
  /** Shown on the service's "Sign in with …" button. */
  readonly name?: string
}

/** The subject the provider gives `username`: deliberately not the username itself. */
export function subjectOf(username: string): string {
  return `subject-${Buffer.from(username).toString('hex')}`
}

function usernameOf(subject: string): string {
  return Buffer.from(subject.replace(/^subject-/, ''), 'hex').toString('utf8')
}

export async function startIdentityProvider(
  options: TestIdentityProviderOptions,
): Promise<TestIdentityProvider> {
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) =>
    response.writeHead(503).end()
  const server = createServer((request, response) => handle(request, response))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const signingKey: JsonWebKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: KEY_ID,
    use: 'sig',
    alg: 'RS256',
  }
  const provider = new Provider(issuer, providerConfiguration(options.serviceOrigin, signingKey))

  let tamper: ((claims: IdTokenClaims) => IdTokenClaims) | undefined
  provider.use(async (ctx, next) => {
    await next()
    const body = ctx.body as { id_token?: unknown } | undefined
    if (ctx.path !== '/token' || ctx.status !== 200 || typeof body?.id_token !== 'string' || !tamper) return
    const change = tamper
    tamper = undefined
    body.id_token = signedJwt(change(claimsOf(body.id_token)), signingKey)
  })

  const providerHandler = provider.callback()
  handle = (request, response) => {
    const interaction = /^\/interaction\/([\w-]+)$/.exec(request.url ?? '')
    if (!interaction) return void providerHandler(request, response)
    const answer = request.method === 'POST' ? finishInteraction : showSignInForm
    answer(provider, request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
    })
  }

  return {
    issuer,
    env: {
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: TEST_CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URL: `${options.serviceOrigin}/sign-in/callback`,
      OIDC_PROVIDER_NAME: options.name ?? 'Test Identity',
    },
    tamperWithNextIdToken: (change) => {
      tamper = change
    },
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

function providerConfiguration(serviceOrigin: string, signingKey: JsonWebKey): Configuration {
  return {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        client_secret: CLIENT_SECRET,
        client_name: 'IPIC',
        redirect_uris: [`${serviceOrigin}/sign-in/callback`],
        post_logout_redirect_uris: [`${serviceOrigin}/signed-out`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [signingKey as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    ttl: {
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      IdToken: 600,
    },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // The provider's own page loads a web font from elsewhere; a test browser must load nothing from outside.
        logoutSource: (ctx, form) => {
          ctx.body = `<!DOCTYPE html>
<html lang="en"><head><title>Test Identity: sign out</title></head>
<body><main><h1>Sign out of Test Identity?</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign out</button>
</main></body></html>`
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, subject) => ({
      accountId: subject,
      claims: () => ({ sub: subject, preferred_username: usernameOf(subject), name: usernameOf(subject) }),
    }),
    // Consent given in advance: the provider and the service belong to one organisation.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc
      if (!client || !session?.accountId) return undefined
      const existing = session.grantIdFor(client.clientId)
      if (existing) return ctx.oidc.provider.Grant.find(existing)
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId })
      grant.addOIDCScope('openid profile')
      await grant.save()
      return grant
    },
    renderError: (ctx, out) => {
      ctx.type = 'text/plain'
      ctx.body = JSON.stringify(out)
    },
  }
}

async function showSignInForm(provider: Provider, request: IncomingMessage, response: ServerResponse) {
  const { uid } = await provider.interactionDetails(request, response)
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!DOCTYPE html>
<html lang="en"><head><title>Test Identity: sign in</title></head>
<body><main><h1>Sign in to Test Identity</h1>
<form method="post" action="/interaction/${uid}">
<label for="username">Username</label> <input id="username" name="username" autocomplete="off">
<button type="submit">Continue</button>
<button type="submit" name="cancel" value="yes">Cancel</button>
</form></main></body></html>`)
}

async function finishInteraction(provider: Provider, request: IncomingMessage, response: ServerResponse) {
  let body = ''
  for await (const chunk of request) body += chunk
  const form = new URLSearchParams(body)
  const result = form.get('cancel')
    ? { error: 'access_denied', error_description: 'The user cancelled the sign-in' }
    : { login: { accountId: subjectOf(form.get('username') ?? '') } }
  await provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false })
}

function claimsOf(jwt: string): IdTokenClaims {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

function signedJwt(claims: IdTokenClaims, key: JsonWebKey): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: KEY_ID })}.${encode(claims)}`
  const signature = createSign('RSA-SHA256')
    .update(input)
    .sign(createPrivateKey({ key, format: 'jwk' }))
  return `${input}.${signature.toString('base64url')}`
}
