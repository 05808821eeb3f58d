/**
 * Environment → typed configuration. Local defaults are safe for a laptop
 * (embedded database, demo data); in production (NODE_ENV=production) the
 * service refuses to start without its secrets and a real database.
 *
 * The variables and their checks are in config/environment.ts; the parts
 * with rules of their own (the databases, signing in, proxies, jobs) each
 * have a module in config/, and this one puts them together.
 */
import { resolve } from 'node:path'
import { type Clock, clockFixedTo, systemClock } from './clock.ts'
import { type ApiSettings, apiSettings } from './config/api.ts'
import { type ApiTokenIssuerSettings, apiTokenIssuerSettings } from './config/api-tokens.ts'
import { ConfigError } from './config/config-error.ts'
import { type DatabaseConfig, databaseOf, type ReplicaConfig, replicaOf } from './config/database.ts'
import { readEnvironment } from './config/environment.ts'
import { type JobSettings, jobSettings } from './config/jobs.ts'
import { type SignInThrottleLimits, signInMethods, signInThrottleLimits } from './config/sign-in.ts'
import type { SingleSignOnSettings } from './config/single-sign-on.ts'
import type { TrustedProxies } from './config/trusted-proxies.ts'
import type { IsoDate } from './dates.ts'

export type { ApiTokenIssuerSettings } from './config/api-tokens.ts'
export { ConfigError } from './config/config-error.ts'
export type { DatabaseConfig, ReplicaConfig } from './config/database.ts'
export { CONFIG_VARIABLES } from './config/environment.ts'
export type { JobSettings } from './config/jobs.ts'
export type { SignInThrottleLimits } from './config/sign-in.ts'
export { SINGLE_SIGN_ON_CALLBACK_PATH, type SingleSignOnSettings } from './config/single-sign-on.ts'
export type { TrustedProxies } from './config/trusted-proxies.ts'

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
  /** The OpenID provider whose access tokens the API accepts besides its own, if one is configured. */
  readonly apiTokenIssuer: ApiTokenIssuerSettings | undefined
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
  /** A rule change's impact report: the change of a group's recommendation rate (in percentage points) that is flagged, and the size under which a group is called small. */
  readonly ruleImpact: { readonly marginPoints: number; readonly smallGroup: number }
  /** The MI dashboard's equality tables show a group's figures only when it has at least this many people (or decisions). */
  readonly equalityMinimumGroup: number
  /** Background jobs (docs/decisions/0017-job-queue.md): when the daily ones are sent, and how soon a lost one is retried. */
  readonly jobs: JobSettings
  /** The JSON API's rate limit per client (docs/decisions/0021-json-api.md). */
  readonly api: ApiSettings
}

/** A development-only secret: never accepted in production. */
const LOCAL_SESSION_SECRET = 'local-development-session-secret-not-for-production'

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = readEnvironment(env)
  const production = e.NODE_ENV === 'production'
  if (production && !e.SESSION_SECRET) throw new ConfigError('SESSION_SECRET must be set in production')
  if (production && !e.DATABASE_URL) throw new ConfigError('DATABASE_URL must be set in production')
  const signInThrottle = signInThrottleLimits(e)
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
  const { singleSignOn, localAccounts } = signInMethods(e, production)
  const database = databaseOf(e)
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
    signInThrottle,
    singleSignOn,
    localAccounts,
    apiTokenIssuer: apiTokenIssuerSettings(e, production),
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
    ruleImpact: { marginPoints: e.IPIC_IMPACT_MARGIN_POINTS, smallGroup: e.IPIC_IMPACT_SMALL_GROUP },
    equalityMinimumGroup: e.IPIC_EQUALITY_MINIMUM_GROUP,
    jobs: jobSettings(e),
    api: apiSettings(e),
  }
}

export function clockFor(config: Pick<Config, 'today'>): Clock {
  return config.today ? clockFixedTo(config.today) : systemClock()
}
