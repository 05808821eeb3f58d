/**
 * Which caseload profiles a benchmark measures (docs/decisions/0025-realistic-caseload.md):
 * `--profile realistic|stress|both`, or IPIC_BENCH_PROFILE when the option is
 * not given. Both means realistic first (the headline), then stress (the
 * worst case, comparable with figures measured before profiles existed).
 *
 * Imports the profile list alone, not the generator, so a bench's child
 * process that measures memory holds none of it.
 */
import {
  CASELOAD_PROFILES,
  type CaseloadProfileName,
  isCaseloadProfileName,
} from '../../src/cases/synthetic/profile.ts'

export type { CaseloadProfileName }

/** The option for parseArgs. */
export const PROFILE_OPTION = { profile: { type: 'string' } } as const

export function benchProfiles(
  given: string | undefined,
  fallback: CaseloadProfileName | 'both',
): CaseloadProfileName[] {
  const chosen = given ?? process.env.IPIC_BENCH_PROFILE ?? fallback
  if (chosen === 'both') return [...CASELOAD_PROFILES]
  if (isCaseloadProfileName(chosen)) return [chosen]
  throw new Error(`--profile (or IPIC_BENCH_PROFILE) must be realistic, stress or both (got "${chosen}")`)
}

/** For a bench too long to run both: one profile, and how to run the other. */
export function benchProfile(given: string | undefined): CaseloadProfileName {
  const profiles = benchProfiles(given, 'realistic')
  if (profiles.length !== 1)
    throw new Error('this benchmark runs one caseload profile at a time: realistic or stress')
  return profiles[0] as CaseloadProfileName
}

/** "Caseload profile: realistic (for the other: npm run bench:web -- --profile stress)". */
export function profileLine(script: string, profile: CaseloadProfileName): string {
  const other = CASELOAD_PROFILES.find((name) => name !== profile)
  return `Caseload profile: ${profile} (for the other: npm run ${script} -- --profile ${other})\n`
}
