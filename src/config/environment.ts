/**
 * The environment variables the configuration reads, each with its check
 * and default. An empty variable means "not set", as it does in a shell script.
 */
import { z } from 'zod'
import { parseIsoDate } from '../dates.ts'
import { ConfigError } from './config-error.ts'
import { trustProxySetting } from './trusted-proxies.ts'

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
  IPIC_API_TOKEN_ISSUER: z.string().optional(),
  IPIC_API_AUDIENCE: z.string().trim().min(1).max(500).optional(),
  IPIC_API_CLIENT_ID_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be the name of a claim, such as client_id')
    .default('client_id'),
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
  // Above 0: a margin of 0 would flag every group whose rate moved by one person.
  IPIC_IMPACT_MARGIN_POINTS: z.coerce.number().gt(0).max(100).default(5),
  IPIC_IMPACT_SMALL_GROUP: z.coerce.number().int().min(1).max(1_000_000).default(30),
  IPIC_EQUALITY_MINIMUM_GROUP: z.coerce.number().int().min(1).max(1_000_000).default(10),
  IPIC_JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(30),
  IPIC_AUDIT_PURGE_SCHEDULE: cronSchedule.default('15 2 * * *'),
  IPIC_SESSION_CLEANUP_SCHEDULE: cronSchedule.default('45 * * * *'),
  IPIC_FACTS_PRUNE_SCHEDULE: cronSchedule.default('40 3 * * *'),
  // Per API client and instance (docs/decisions/0021-json-api.md).
  IPIC_API_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  IPIC_API_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
})

/** Every environment variable the configuration reads: docs/operating.md describes each (a test checks). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(environment.shape)

/** The variables as checked, with their defaults filled in. */
export type Environment = z.output<typeof environment>

/** Checks every variable at once, so that one start names every problem. */
export function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const set = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  )
  const parsed = environment.safeParse(set)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`)
  }
  return parsed.data
}
