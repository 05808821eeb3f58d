/**
 * The transparency record of the running service, built once per process
 * and handed to the public page and the command. The service's figures are
 * counted over the whole history of tasks, so they are kept for a while
 * rather than counted for every visitor of a public page; the organisation's
 * reference file is read every time (it is small), so an edit shows at once.
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.ts'
import type { ReferenceData } from '../db/reference-data.ts'
import type { Tables } from '../db/tables.ts'
import type { LiveRules } from '../rules/live-rules.ts'
import { readOrganisationFile } from './organisation-file.ts'
import { type TransparencyRecord, transparencyRecord } from './record.ts'
import { type ServiceFacts, serviceFacts } from './service-facts.ts'

/** How long the service's own figures are reused: a record is about months, not minutes. */
export const FACTS_MAX_AGE_MS = 10 * 60_000

export type RecordResult =
  | { readonly ok: true; readonly record: TransparencyRecord }
  /** The reference file could not be read or has problems: each is named with where it is. */
  | { readonly ok: false; readonly path: string; readonly problems: readonly string[] }

export interface TransparencyOptions {
  readonly db: Kysely<Tables>
  readonly clock: Clock
  readonly referenceDir: string
  readonly rules: Pick<LiveRules, 'live'>
  readonly reference: Pick<ReferenceData, 'taskTypes'>
  readonly auditRetentionDays: number
  /** 0 for a command, which runs once. */
  readonly factsMaxAgeMs?: number
}

export class Transparency {
  readonly #options: TransparencyOptions
  readonly #taskTypeNames: ReadonlyMap<string, string>
  #facts: { readonly at: number; readonly facts: Promise<ServiceFacts> } | undefined

  constructor(options: TransparencyOptions) {
    this.#options = options
    this.#taskTypeNames = new Map(options.reference.taskTypes.taskTypes.map((type) => [type.code, type.name]))
  }

  async record(): Promise<RecordResult> {
    const { referenceDir, rules, clock, auditRetentionDays } = this.#options
    const organisation = await readOrganisationFile(referenceDir)
    if (!organisation.ok) return organisation
    const record = transparencyRecord({
      organisation: organisation.entries,
      facts: await this.#currentFacts(),
      ruleSet: rules.live.kind === 'loaded' ? rules.live.ruleSet : undefined,
      context: { today: clock.today(), taskTypeNames: this.#taskTypeNames, auditRetentionDays },
    })
    return { ok: true, record }
  }

  #currentFacts(): Promise<ServiceFacts> {
    const maxAge = this.#options.factsMaxAgeMs ?? FACTS_MAX_AGE_MS
    const now = Date.now()
    if (this.#facts && now - this.#facts.at < maxAge) return this.#facts.facts
    const facts = serviceFacts(this.#options.db, this.#options.clock.now())
    // A failed count is not kept: the next visitor tries again.
    facts.catch(() => {
      if (this.#facts?.facts === facts) this.#facts = undefined
    })
    this.#facts = { at: now, facts }
    return facts
  }
}
