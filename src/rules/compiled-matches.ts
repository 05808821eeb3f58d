/**
 * A rule set in the form a rule run (src/tasks/rule-run.ts) and a simulation
 * take it: a SELECT of every match, and the same narrowed to listed persons.
 * Tests hand-write one, so the task lifecycle is tested apart from the rule
 * language.
 */
import type { RawBuilder } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { RuleSetFile } from '../db/tables.ts'
import { compilePinnedMatches, type PinnedRuleMatch } from './compile.ts'
import type { RuleSet } from './model.ts'

/** What a run records of a rule set: its version (a content hash) and its files (load.ts). */
export interface RuleSetSource {
  readonly version: string
  readonly files: readonly RuleSetFile[]
}

/**
 * A SELECT of matches, each with the version of the facts it was evaluated
 * on (person_facts.facts_version), which is what a task stores of its proof.
 */
export type MatchesQuery = RawBuilder<PinnedRuleMatch>

/** A rule set compiled to SQL: a SELECT of every match over the present persons (see compile.ts). */
export interface CompiledMatches {
  readonly version: string
  /** No explanation is built: a task's is derived from its facts version when asked (stored-explanation.ts). */
  readonly matches: MatchesQuery
  /**
   * The same matches over only the persons listed in a table (its person_id
   * column). Without it every run is full (see src/tasks/run-scope.ts).
   */
  readonly forPersonsIn?: (table: string) => MatchesQuery
}

/** The pinned matches of the rule set as of `today`, over everyone or over the persons listed in a table. */
export function compileMatches(ruleSet: RuleSet, today: IsoDate): CompiledMatches {
  return {
    version: ruleSet.version,
    matches: compilePinnedMatches(ruleSet, { today }),
    forPersonsIn: (table) => compilePinnedMatches(ruleSet, { today, personsIn: table }),
  }
}
