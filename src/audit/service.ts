/**
 * The audit trail as the pages read it: built once for the process
 * (src/services.ts) over the database.
 */
import type { Kysely } from 'kysely'
import type { Tables } from '../db/tables.ts'
import {
  type AuditFilter,
  type AuditPage,
  type AuditPageRequest,
  allAuditEvents,
  findAuditEvents,
  type PersonViewer,
  type StoredAuditEvent,
  viewersOfPerson,
} from './search.ts'

export class AuditTrail {
  readonly #db: Kysely<Tables>
  /** The longest range of days one search of the audit may cover. */
  readonly maxDays: number

  constructor(db: Kysely<Tables>, maxDays: number) {
    this.#db = db
    this.maxDays = maxDays
  }

  page(filter: AuditFilter, request?: AuditPageRequest): Promise<AuditPage> {
    return findAuditEvents(this.#db, filter, request)
  }

  /** Every matching event, newest first, a batch at a time (for the CSV). */
  all(filter: AuditFilter): AsyncGenerator<readonly StoredAuditEvent[]> {
    return allAuditEvents(this.#db, filter)
  }

  viewersOf(personId: string): Promise<PersonViewer[]> {
    return viewersOfPerson(this.#db, personId)
  }
}
