/**
 * The live rule set (IPIC_RULES_DIR), loaded once when the process starts:
 * the rules page, /info and every rule run the process starts then speak of
 * one version. Rule files change with a release, which restarts the service;
 * `ipic rules run` in another process loads the files as they are then.
 *
 * A rule set with problems is kept as its problems: `ipic serve` refuses to
 * start with them, and the rules page lists them.
 */
import type { Kysely } from 'kysely'
import type { ReferenceData } from '../db/reference-data.ts'
import type { Tables } from '../db/tables.ts'
import { loadRuleSet, RuleSetError } from './load.ts'
import type { RuleSet } from './model.ts'
import {
  findRuleRun,
  type LiveRuleSet,
  latestRuleRuns,
  listRuleRuns,
  type RuleRunRecord,
  type RulesOverview,
  type TaskTypeEntry,
} from './overview.ts'
import {
  findPublication,
  isPublished,
  listPublications,
  type Publication,
  type PublicationSummary,
} from './publication.ts'

/** What the Rule changes pages name things by: task types and regions, code to name. */
export interface ChangeNames {
  readonly taskTypes: ReadonlyMap<string, string>
  readonly regions: ReadonlyMap<string, string>
}

/** The task types a rule may recommend: the active ones in the reference data. */
export function ruleTaskTypes(reference: ReferenceData): Map<string, { enforcement: boolean }> {
  return new Map(activeTaskTypes(reference).map((type) => [type.code, { enforcement: type.enforcement }]))
}

/** The active task types, in the reference data's order. */
function activeTaskTypes(reference: ReferenceData): TaskTypeEntry[] {
  return reference.taskTypes.taskTypes
    .filter((type) => type.active)
    .map(({ code, name, description, enforcement }) => ({ code, name, description, enforcement }))
}

export class LiveRules {
  readonly live: LiveRuleSet
  /** The task types the rules serve: the active ones in the reference data. */
  readonly taskTypes: readonly TaskTypeEntry[]
  readonly #db: Kysely<Tables>

  private constructor(db: Kysely<Tables>, live: LiveRuleSet, taskTypes: readonly TaskTypeEntry[]) {
    this.#db = db
    this.live = live
    this.taskTypes = taskTypes
  }

  /** Loads the rule set in `directory`, checked against the reference data's task types. */
  static async load(db: Kysely<Tables>, directory: string, reference: ReferenceData): Promise<LiveRules> {
    const taskTypes = activeTaskTypes(reference)
    try {
      const ruleSet = await loadRuleSet(directory, { taskTypes: ruleTaskTypes(reference) })
      return new LiveRules(db, { kind: 'loaded', ruleSet }, taskTypes)
    } catch (error) {
      if (!(error instanceof RuleSetError)) throw error
      return new LiveRules(db, { kind: 'invalid', problems: error.problems }, taskTypes)
    }
  }

  /** The version in force; null when the rule set has problems. */
  get version(): string | null {
    return this.live.kind === 'loaded' ? this.live.ruleSet.version : null
  }

  /** The rule set in force; a RuleSetError with its problems when it has any. */
  ruleSet(): RuleSet {
    if (this.live.kind === 'invalid') throw new RuleSetError(this.live.problems)
    return this.live.ruleSet
  }

  /** Whether a version has been published, and so may run. */
  isPublished(version: string): Promise<boolean> {
    return isPublished(this.#db, version)
  }

  /** The Rule changes page: every publication, newest first, and the version in force. */
  async publications(): Promise<{
    readonly publications: readonly PublicationSummary[]
    readonly inForce: string | null
  }> {
    return { publications: await listPublications(this.#db), inForce: this.version }
  }

  /** One publication with its impact report, and the names its codes stand for; undefined if not published. */
  async publication(
    version: string,
  ): Promise<{ readonly publication: Publication; readonly names: ChangeNames } | undefined> {
    const publication = await findPublication(this.#db, version)
    if (!publication) return undefined
    const regions = await this.#db
      .selectFrom('rom_regions')
      .select(['code', 'name'])
      .orderBy('position')
      .execute()
    return {
      publication,
      names: {
        taskTypes: new Map(this.taskTypes.map((type) => [type.code, type.name])),
        regions: new Map(regions.map((region) => [region.code, region.name])),
      },
    }
  }

  /** Everything the rules page shows: the rule set, its task types, the last runs and the regions they counted. */
  async overview(): Promise<RulesOverview> {
    const [runs, regions] = await Promise.all([
      latestRuleRuns(this.#db),
      this.#db.selectFrom('rom_regions').select(['code', 'name']).orderBy('position').execute(),
    ])
    return { live: this.live, taskTypes: this.taskTypes, runs, regions }
  }

  /** Rule runs, newest first, before the run `beforeId` when given. */
  runs(page: { readonly beforeId?: number | undefined; readonly limit: number }): Promise<RuleRunRecord[]> {
    return listRuleRuns(this.#db, page)
  }

  run(id: number): Promise<RuleRunRecord | undefined> {
    return findRuleRun(this.#db, id)
  }
}
