/**
 * A rule set in the form a rule run (src/tasks/rule-run.ts) and a simulation
 * take it: a SELECT of every match, and the same narrowed to listed persons.
 * Tests hand-write one, so the task lifecycle is tested apart from the rule
 * language.
 */
import type { RawBuilder } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { RuleSetFile } from '../db/tables.ts'
import { type CompactRuleMatch, compileRuleSet, type RuleMatch } from './compile.ts'
import type { RuleSet } from './model.ts'

/** What a run records of a rule set: its version (a content hash) and its files (load.ts). */
export interface RuleSetSource {
  readonly version: string
  readonly files: readonly RuleSetFile[]
}

/** A SELECT of matches; its explanation column is what each new task stores. */
export type MatchesQuery = RawBuilder<RuleMatch> | RawBuilder<CompactRuleMatch>

/** A rule set compiled to SQL: a SELECT of every match over the present persons (see compile.ts). */
export interface CompiledMatches {
  readonly version: string
  /** A rule run takes the compact matches: a full explanation costs several times more to build and write. */
  readonly matches: MatchesQuery
  /**
   * The same matches over only the persons listed in a table (its person_id
   * column). Without it every run is full (see src/tasks/run-scope.ts).
   */
  readonly forPersonsIn?: (table: string) => MatchesQuery
}

/** The compact matches of the rule set as of `today`, over everyone or over the persons listed in a table. */
export function compileMatches(ruleSet: RuleSet, today: IsoDate): CompiledMatches {
  return {
    version: ruleSet.version,
    matches: compileRuleSet(ruleSet, { today }).compactMatches,
    forPersonsIn: (table) => compileRuleSet(ruleSet, { today, personsIn: table }).compactMatches,
  }
}
