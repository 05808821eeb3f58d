/**
 * Environment → typed configuration. Local defaults are safe for a laptop
 * (embedded database, demo data); in production (NODE_ENV=production) the
 * service refuses to start without its secrets and a real database.
 */
import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { z } from 'zod'
import { type Clock, clockFixedTo, systemClock } from './clock.ts'
import { type IsoDate, parseIsoDate } from './dates.ts'

export type DatabaseConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string }

/** A PostgreSQL read replica of the primary (DATABASE_REPLICA_URL): the MI pages read from it. */
export type ReplicaConfig = { readonly kind: 'postgres'; readonly url: string }

/** How many failed sign-ins cost nothing, and the waits after them (docs/decisions/0012-sign-in-throttle.md). */
export interface SignInThrottleLimits {
  /** Failures for one user ID within the window before each further attempt must wait. */
  readonly maxFailuresPerUser: number
  /** The same for one client address (higher: an office shares one address). */
  readonly maxFailuresPerAddress: number
  /** How long an attempt is remembered. */
  readonly windowMinutes: number
  /** The longest wait between attempts; never more than the window (loadConfig checks). */
  readonly maxDelayMinutes: number
}

/**
 * Which proxies in front of the service to believe (TRUST_PROXY).
 *
 * X-Forwarded-For and X-Forwarded-Proto are only headers: any client can
 * send them. Believing them from everyone would let a client choose its own
 * address, dodging the per-address sign-in limit by changing it on every
 * attempt or locking an office out by forging the office's. So nothing is
 * believed unless configured: either how many proxies stand in front of the
 * service (the client is the address the outermost of them saw), or which
 * addresses those proxies have.
 */
export type TrustedProxies =
  | { readonly kind: 'none' }
  /** This many proxies in front: the address each added to X-Forwarded-For is believed, no further. */
  | { readonly kind: 'hops'; readonly hops: number }
  /** Proxies at these addresses, CIDR ranges or named ranges are believed; any other sender is the client. */
  | { readonly kind: 'addresses'; readonly addresses: readonly string[] }

const TRUST_NO_PROXY: TrustedProxies = { kind: 'none' }

/** Ranges the proxy-addr library (which Fastify uses) knows by name. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])
const MAX_HOPS = 10

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry) || isIP(entry) !== 0) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const version = isIP(address)
  if (version === 0 || prefix === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefix)) return false
  return Number(prefix) <= (version === 4 ? 32 : 128)
}

/** The TRUST_PROXY variable: unset, "false" or 0 trusts nothing; a whole number, hops; else a list. */
const trustProxySetting = z
  .string()
  .optional()
  .transform((value, context): TrustedProxies => {
    const text = value?.trim() ?? ''
    if (text === '' || text === 'false' || text === '0') return TRUST_NO_PROXY
    if (text === 'true') {
      context.addIssue({
        code: 'custom',
        message:
          'must be the number of proxies in front of the service or their addresses: "true" would believe an address any client makes up',
      })
      return z.NEVER
    }
    if (/^\d+$/.test(text)) {
      const hops = Number(text)
      if (hops > MAX_HOPS) {
        context.addIssue({ code: 'custom', message: `must be at most ${MAX_HOPS} proxies` })
        return z.NEVER
      }
      return { kind: 'hops', hops }
    }
    const addresses = text.split(',').map((entry) => entry.trim())
    const wrong = addresses.filter((entry) => !isAddressOrRange(entry))
    if (wrong.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `must be a number of proxies, or IP addresses and CIDR ranges separated by commas (not ${wrong
          .map((entry) => JSON.stringify(entry))
          .join(', ')})`,
      })
      return z.NEVER
    }
    return { kind: 'addresses', addresses }
  })

/**
 * Signing in through an OpenID Connect provider (docs: the README's "Signing
 * in through your identity provider"). The provider answers at the redirect
 * URL, whose path is always SINGLE_SIGN_ON_CALLBACK_PATH.
 */
export interface SingleSignOnSettings {
  /** The provider's issuer identifier; its discovery document is read from here at start. */
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  /** Where the provider sends the browser back to: this service's callback, as registered with the provider. */
  readonly redirectUrl: string
  /** The claim whose value is the user's ID in this service. */
  readonly userIdClaim: string
  /** Always includes `openid`. */
  readonly scopes: readonly string[]
  /** The provider's name as users know it, for "Sign in with …". */
  readonly providerName: string
}

/** The path of the redirect URL: where the service's sign-in route answers the provider. */
export const SINGLE_SIGN_ON_CALLBACK_PATH = '/sign-in/callback'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** An absolute http(s) URL; plain http only on this computer (a provider or service under test) and never in production. */
function webUrl(variable: string, production: boolean, value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(`${variable} must be an absolute URL, such as https://login.example.org`)
  }
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
  if (url.protocol !== 'https:' && !(loopback && !production)) {
    throw new ConfigError(
      `${variable} must be an https:// URL${production ? '' : ' (http:// only for localhost)'}`,
    )
  }
  return url
}

const OIDC_VARIABLES = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const

function singleSignOnSettings(e: z.output<typeof environment>, production: boolean) {
  if (!e.OIDC_ISSUER_URL) {
    const stray = OIDC_VARIABLES.filter((name) => e[name] !== undefined)
    if (stray.length > 0) throw new ConfigError(`${stray.join(', ')} set without OIDC_ISSUER_URL`)
    return undefined
  }
  const missing = OIDC_VARIABLES.filter((name) => e[name] === undefined)
  if (missing.length > 0)
    throw new ConfigError(`OIDC_ISSUER_URL is set, so ${missing.join(', ')} must be too`)
  const redirect = webUrl('OIDC_REDIRECT_URL', production, e.OIDC_REDIRECT_URL ?? '')
  if (redirect.pathname !== SINGLE_SIGN_ON_CALLBACK_PATH || redirect.search !== '' || redirect.hash !== '') {
    throw new ConfigError(
      `OIDC_REDIRECT_URL must be this service's address followed by ${SINGLE_SIGN_ON_CALLBACK_PATH}, such as https://ipic.example.org${SINGLE_SIGN_ON_CALLBACK_PATH}`,
    )
  }
  const scopes = e.OIDC_SCOPES.split(/\s+/).filter((scope) => scope !== '')
  if (!scopes.includes('openid')) throw new ConfigError('OIDC_SCOPES must include openid')
  return {
    issuer: webUrl('OIDC_ISSUER_URL', production, e.OIDC_ISSUER_URL).href.replace(/\/$/, ''),
    clientId: e.OIDC_CLIENT_ID ?? '',
    clientSecret: e.OIDC_CLIENT_SECRET ?? '',
    redirectUrl: redirect.href,
    userIdClaim: e.OIDC_USER_ID_CLAIM,
    scopes,
    providerName: e.OIDC_PROVIDER_NAME,
  } satisfies SingleSignOnSettings
}

export interface Config {
  readonly production: boolean
  readonly port: number
  readonly host: string
  readonly database: DatabaseConfig
  /** Where the MI report, dashboard and data-quality list read from, when not the primary (docs/operating.md). */
  readonly databaseReplica: ReplicaConfig | undefined
  /** Seed synthetic persons and demo users: on by default only on the embedded database. */
  readonly demo: boolean
  readonly demoPersons: number
  readonly today: IsoDate | undefined
  readonly sessionSecret: string
  /** Minutes without a request after which a session ends (a test may set a fraction: config.ts reads whole ones). */
  readonly sessionIdleMinutes: number
  /** Hours from sign-in after which a session ends however busy it has been. */
  readonly sessionMaxHours: number
  /** Failed sign-ins let through without delay per user ID and per client address, and the delays after. */
  readonly signInThrottle: SignInThrottleLimits
  /** The OpenID Connect provider users sign in through, if one is configured. */
  readonly singleSignOn: SingleSignOnSettings | undefined
  /** Whether the sign-in page offers a user ID and password; always, when no provider is configured. */
  readonly localAccounts: boolean
  readonly logLevel: string
  readonly rulesDir: string
  readonly referenceDir: string
  /** Evaluate the rules automatically after every import. */
  readonly runRulesAfterImport: boolean
  /** An import stops, failed, once it has rejected more lines than this. */
  readonly importMaxRejectedLines: number
  /** The largest share (%) of present persons a full import may mark absent without --allow-mass-absence. */
  readonly fullImportMaxAbsentPercent: number
  /** The longest date range, in days, one MI report may cover. */
  readonly miMaxDays: number
  /** The longest reporting-date range a caseworker may search, in days. */
  readonly searchMaxDays: number
  /** How long audit events are kept (`ipic audit purge` deletes older ones), and the longest range the audit page searches at once, in days. */
  readonly audit: { readonly retentionDays: number; readonly maxDays: number }
  /** How many days a decided task stays on the Accepted and Rejected tabs (the event log keeps it for ever). */
  readonly retention: { readonly acceptedDays: number; readonly rejectedDays: number }
  /** The case management system caseworkers must record their updates in (named on the decision pages). */
  readonly caseManagementSystem: string
  /** The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (TRUST_PROXY): none unless configured. */
  readonly trustedProxies: TrustedProxies
  /** Evidence of review: whether accepting needs a note of what was checked, and how quick a decision is too quick to be a review. */
  readonly reviewEvidence: {
    readonly acceptNote: 'optional' | 'required'
    readonly quickDecisionSeconds: number
  }
  /** Background jobs (docs/decisions/0017-job-queue.md): when the daily ones are sent, and how soon a lost one is retried. */
  readonly jobs: JobSettings
  /** A rule change's impact report: the change of a group's recommendation rate (in percentage points) that is flagged, and the size under which a group is called small. */
  readonly ruleImpact: { readonly marginPoints: number; readonly smallGroup: number }
  /** The MI dashboard's equality tables show a group's figures only when it has at least this many people (or decisions). */
  readonly equalityMinimumGroup: number
}

export interface JobSettings {
  /** Seconds a running job's worker may go silent (it died) before another instance retries the job. */
  readonly heartbeatSeconds: number
  /** When the audit purge runs: a cron expression in London time, or undefined when it is not scheduled. */
  readonly auditPurgeSchedule: string | undefined
  /** When expired sessions are deleted: as above. */
  readonly sessionCleanupSchedule: string | undefined
}

/**
 * A cron expression of five fields (minute, hour, day of month, month, day
 * of week), or "off". Only its shape is checked here; the queue checks the
 * rest when it sets the schedule, at start, and names the variable if it
 * refuses it.
 */
const cronSchedule = z
  .string()
  .trim()
  .refine(
    (value) => value === 'off' || /^[\w*,/?#-]+( +[\w*,/?#-]+){4}$/.test(value),
    'must be a cron expression of five fields (minute hour day-of-month month day-of-week), such as "15 2 * * *", or off',
  )
  // null, not undefined, for "off": a default would take the place of undefined.
  .transform((value) => (value === 'off' ? null : value.replace(/ +/g, ' ')))

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((value) =>
    value === undefined || value === '' ? undefined : ['1', 'true', 'yes'].includes(value),
  )

const environment = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_REPLICA_URL: z.string().url().optional(),
  IPIC_DATA_DIR: z.string().default('./data'),
  IPIC_DEMO: flag,
  IPIC_DEMO_PERSONS: z.coerce.number().int().min(0).default(20_000),
  IPIC_TODAY: z
    .string()
    .optional()
    .refine(
      (value) => value === undefined || parseIsoDate(value) !== undefined,
      'must be a real date as YYYY-MM-DD',
    ),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(10),
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  SIGN_IN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  SIGN_IN_FAILURE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  SIGN_IN_MAX_DELAY_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  SIGN_IN_LOCAL_ACCOUNTS: flag,
  OIDC_ISSUER_URL: z.string().optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).max(255).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(1000).optional(),
  OIDC_REDIRECT_URL: z.string().optional(),
  OIDC_USER_ID_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be the name of a claim, such as preferred_username')
    .default('preferred_username'),
  OIDC_SCOPES: z.string().default('openid profile'),
  OIDC_PROVIDER_NAME: z.string().trim().min(1).max(60).default('your work account'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  IPIC_RULES_DIR: z.string().default('./rules'),
  IPIC_REFERENCE_DIR: z.string().default('./reference'),
  IPIC_RUN_RULES_AFTER_IMPORT: flag,
  IPIC_IMPORT_MAX_REJECTED_LINES: z.coerce.number().int().min(0).default(10_000),
  IPIC_FULL_IMPORT_MAX_ABSENT_PERCENT: z.coerce.number().min(0).max(100).default(10),
  IPIC_MI_MAX_DAYS: z.coerce.number().int().min(1).max(3660).default(366),
  IPIC_SEARCH_MAX_DAYS: z.coerce.number().int().min(1).max(366).default(28),
  // At least 30 days: a slip of the units should not purge a month of evidence.
  IPIC_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(30).max(36_500).default(730),
  IPIC_AUDIT_MAX_DAYS: z.coerce.number().int().min(1).max(3660).default(366),
  IPIC_RETENTION_ACCEPTED_DAYS: z.coerce.number().int().min(0).max(3650).default(5),
  IPIC_RETENTION_REJECTED_DAYS: z.coerce.number().int().min(0).max(3650).default(20),
  IPIC_CASE_MANAGEMENT_SYSTEM: z.string().trim().min(1).max(40).default('CID'),
  TRUST_PROXY: trustProxySetting,
  IPIC_ACCEPT_NOTE: z.enum(['optional', 'required']).default('optional'),
  IPIC_QUICK_DECISION_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  IPIC_JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(30),
  IPIC_AUDIT_PURGE_SCHEDULE: cronSchedule.default('15 2 * * *'),
  IPIC_SESSION_CLEANUP_SCHEDULE: cronSchedule.default('45 * * * *'),
  // Above 0: a margin of 0 would flag every group whose rate moved by one person.
  IPIC_IMPACT_MARGIN_POINTS: z.coerce.number().gt(0).max(100).default(5),
  IPIC_IMPACT_SMALL_GROUP: z.coerce.number().int().min(1).max(1_000_000).default(30),
  IPIC_EQUALITY_MINIMUM_GROUP: z.coerce.number().int().min(1).max(1_000_000).default(10),
})

/** Every environment variable the configuration reads: docs/operating.md describes each (a test checks). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(environment.shape)

/** A development-only secret: never accepted in production. */
const LOCAL_SESSION_SECRET = 'local-development-session-secret-not-for-production'

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as it does in a shell script.
  const set = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  )
  const parsed = environment.safeParse(set)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`)
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  if (production && !e.SESSION_SECRET) throw new ConfigError('SESSION_SECRET must be set in production')
  if (production && !e.DATABASE_URL) throw new ConfigError('DATABASE_URL must be set in production')
  // A delay longer than the window would never be served: the attempts it follows would be forgotten first.
  if (e.SIGN_IN_MAX_DELAY_MINUTES > e.SIGN_IN_FAILURE_WINDOW_MINUTES) {
    throw new ConfigError('SIGN_IN_MAX_DELAY_MINUTES must not be more than SIGN_IN_FAILURE_WINDOW_MINUTES')
  }
  if (production && e.IPIC_DEMO) {
    throw new ConfigError(
      'IPIC_DEMO must be off in production: demo mode adds accounts, an administrator among them, whose password is published',
    )
  }
  // Production cookies are sent only over HTTPS, which the service hears of from its TLS proxy alone.
  if (production && e.TRUST_PROXY.kind === 'none') {
    throw new ConfigError(
      'TRUST_PROXY must be set in production: the number of proxies in front of the service, or their addresses',
    )
  }

  const singleSignOn = singleSignOnSettings(e, production)
  // With a provider, local accounts are offered only when asked for; without one, they are the only way in.
  if (e.SIGN_IN_LOCAL_ACCOUNTS === false && !singleSignOn) {
    throw new ConfigError('SIGN_IN_LOCAL_ACCOUNTS is off but no OIDC_ISSUER_URL is set: nobody could sign in')
  }
  const localAccounts = e.SIGN_IN_LOCAL_ACCOUNTS ?? !singleSignOn

  const database: DatabaseConfig = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : { kind: 'pglite', dataDir: resolve(e.IPIC_DATA_DIR) }
  const databaseReplica = replicaOf(e.DATABASE_REPLICA_URL, database)

  return {
    production,
    port: e.PORT,
    host: e.HOST,
    database,
    databaseReplica,
    demo: e.IPIC_DEMO ?? database.kind === 'pglite',
    demoPersons: e.IPIC_DEMO_PERSONS,
    today: e.IPIC_TODAY as IsoDate | undefined,
    sessionSecret: e.SESSION_SECRET ?? LOCAL_SESSION_SECRET,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    signInThrottle: {
      maxFailuresPerUser: e.SIGN_IN_MAX_FAILURES,
      maxFailuresPerAddress: e.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
      windowMinutes: e.SIGN_IN_FAILURE_WINDOW_MINUTES,
      maxDelayMinutes: e.SIGN_IN_MAX_DELAY_MINUTES,
    },
    singleSignOn,
    localAccounts,
    logLevel: e.LOG_LEVEL,
    rulesDir: resolve(e.IPIC_RULES_DIR),
    referenceDir: resolve(e.IPIC_REFERENCE_DIR),
    runRulesAfterImport: e.IPIC_RUN_RULES_AFTER_IMPORT ?? true,
    importMaxRejectedLines: e.IPIC_IMPORT_MAX_REJECTED_LINES,
    fullImportMaxAbsentPercent: e.IPIC_FULL_IMPORT_MAX_ABSENT_PERCENT,
    miMaxDays: e.IPIC_MI_MAX_DAYS,
    searchMaxDays: e.IPIC_SEARCH_MAX_DAYS,
    audit: { retentionDays: e.IPIC_AUDIT_RETENTION_DAYS, maxDays: e.IPIC_AUDIT_MAX_DAYS },
    retention: {
      acceptedDays: e.IPIC_RETENTION_ACCEPTED_DAYS,
      rejectedDays: e.IPIC_RETENTION_REJECTED_DAYS,
    },
    caseManagementSystem: e.IPIC_CASE_MANAGEMENT_SYSTEM,
    trustedProxies: e.TRUST_PROXY,
    reviewEvidence: { acceptNote: e.IPIC_ACCEPT_NOTE, quickDecisionSeconds: e.IPIC_QUICK_DECISION_SECONDS },
    jobs: {
      heartbeatSeconds: e.IPIC_JOB_HEARTBEAT_SECONDS,
      auditPurgeSchedule: e.IPIC_AUDIT_PURGE_SCHEDULE ?? undefined,
      sessionCleanupSchedule: e.IPIC_SESSION_CLEANUP_SCHEDULE ?? undefined,
    },
    ruleImpact: { marginPoints: e.IPIC_IMPACT_MARGIN_POINTS, smallGroup: e.IPIC_IMPACT_SMALL_GROUP },
    equalityMinimumGroup: e.IPIC_EQUALITY_MINIMUM_GROUP,
  }
}

/**
 * DATABASE_REPLICA_URL, checked against the primary. A replica of the
 * embedded database cannot exist, and one URL for both is a slip that would
 * only look like a replica: each is refused at start rather than ignored.
 */
function replicaOf(url: string | undefined, primary: DatabaseConfig): ReplicaConfig | undefined {
  if (url === undefined) return undefined
  if (primary.kind !== 'postgres') {
    throw new ConfigError(
      'DATABASE_REPLICA_URL is set but DATABASE_URL is not: the embedded database has no read replica; set DATABASE_URL to the primary PostgreSQL database, or unset DATABASE_REPLICA_URL',
    )
  }
  if (new URL(url).href === new URL(primary.url).href) {
    throw new ConfigError(
      'DATABASE_REPLICA_URL is the same as DATABASE_URL: unset it and the MI pages read from the primary, or give the address of the replica',
    )
  }
  return { kind: 'postgres', url }
}

export function clockFor(config: Pick<Config, 'today'>): Clock {
  return config.today ? clockFixedTo(config.today) : systemClock()
}
