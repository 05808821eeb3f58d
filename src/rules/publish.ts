/**
 * Publishing a rule set: the one way a version becomes allowed to run. The
 * rule set has already passed `rules check` (it could not be loaded
 * otherwise); here its own tests must pass, on the database's engine, and
 * its impact against the live rule set is computed and stored with the
 * change notes and who published it. Anything wrong refuses the whole
 * publication, saying what, and stores nothing.
 */
import type { Kysely } from 'kysely'
import { can } from '../access/permissions.ts'
import { findUser } from '../access/users.ts'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'
import { hasHiddenCharacters } from '../hidden-characters.ts'
import { lastRunRuleSet } from './baseline.ts'
import { compilePinnedMatches } from './compile.ts'
import type { ImpactReport, ImpactSettings } from './impact.ts'
import type { RuleSet } from './model.ts'
import { findPublication, MAX_NOTES_LENGTH, type Publication, recordPublication } from './publication.ts'
import { compareRuleSets } from './simulate.ts'
import { type RuleTestResult, runRuleTests } from './testing.ts'

export interface PublishInput {
  readonly ruleSet: RuleSet
  /** What changed and why, as typed. */
  readonly notes: string | undefined
  /** The user it is published for (--by): a rule author. */
  readonly by: string | undefined
  /** How it was published, in words: the command and the operating-system account that ran it, or the demo's seed. */
  readonly from: string
  readonly clock: Clock
  readonly settings: ImpactSettings
}

export type PublishOutcome =
  | { readonly kind: 'published'; readonly publication: Extract<Publication, { basis: 'published' }> }
  | { readonly kind: 'already'; readonly publication: Publication }
  | {
      readonly kind: 'refused'
      readonly problems: readonly string[]
      readonly failedTests: readonly RuleTestResult[]
    }

/** The problems of the notes and the publisher, before anything is looked at in the database. */
export function notesProblems(notes: string | undefined): string[] {
  const text = notes?.trim() ?? ''
  if (text === '') return ['change notes are required: say what changed and why, with --notes "…"']
  if (hasHiddenCharacters(text, 'multi-line'))
    return ['the change notes contain control characters: type them again']
  if (text.length > MAX_NOTES_LENGTH) {
    return [`the change notes are ${text.length} characters long: at most ${MAX_NOTES_LENGTH} are kept`]
  }
  return []
}

async function publisherProblems(db: Kysely<Tables>, by: string | undefined): Promise<string[]> {
  if (by === undefined) return []
  const user = await findUser(db, by)
  if (!user) return [`there is no user ${by}: --by names the user ID of a rule author`]
  if (!user.active) return [`user ${by} is deactivated and cannot publish a rule set`]
  if (!can(user, 'rules:publish')) return [`user ${by} is not a rule author, so cannot publish a rule set`]
  return []
}

export async function publishRuleSet(db: Kysely<Tables>, input: PublishInput): Promise<PublishOutcome> {
  const { ruleSet } = input
  const problems = [...notesProblems(input.notes), ...(await publisherProblems(db, input.by))]
  if (problems.length > 0) return { kind: 'refused', problems, failedTests: [] }

  const existing = await findPublication(db, ruleSet.version)
  if (existing) return { kind: 'already', publication: existing }

  const failedTests = (await runRuleTests(db, ruleSet)).filter((result) => !result.passed)
  if (failedTests.length > 0) {
    const n = failedTests.length
    return { kind: 'refused', problems: [`${n} rule test ${n === 1 ? 'case' : 'cases'} failed`], failedTests }
  }

  const impact = await impactReportOf(db, ruleSet, input)
  const { stored, publication } = await recordPublication(db, {
    version: ruleSet.version,
    files: ruleSet.files,
    publishedAt: input.clock.now(),
    publishedFrom: input.from,
    publishedBy: input.by ?? null,
    notes: (input.notes ?? '').trim(),
    impact,
  })
  // Someone else published the same version meanwhile: theirs stands.
  if (!stored || publication.basis !== 'published') return { kind: 'already', publication }
  return { kind: 'published', publication }
}

/** The draft against the live rule set (the last completed run's), over today's persons. */
export async function impactReportOf(
  db: Kysely<Tables>,
  draft: RuleSet,
  input: Pick<PublishInput, 'clock' | 'settings'>,
): Promise<ImpactReport> {
  const live = await lastRunRuleSet(db)
  const today = input.clock.today()
  const keys = (ruleSet: RuleSet) => ({
    version: ruleSet.version,
    matches: compilePinnedMatches(ruleSet, { today }),
  })
  return compareRuleSets(db, {
    live: live && keys(live),
    draft: keys(draft),
    today,
    settings: input.settings,
  })
}
