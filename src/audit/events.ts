/**
 * What the audit trail records: one variant per kind of event, each with
 * the details that kind needs, and the one way to write one
 * (`recordAuditEvent`, or `auditEventRow` for a statement that writes it
 * beside other rows). Rows are never changed afterwards (a trigger refuses
 * it); see docs/decisions/0014-audit-trail.md for what is audited and why.
 *
 * A caller that shows personal data writes its event before the page goes
 * out, in the same statement or transaction as the read where it can: if
 * the write fails, the request fails, and nothing is shown unaudited.
 */
import { type InsertObject, type Kysely, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { ChangedBy } from './changed-by.ts'
import { type ApiClientAuditEvent, MAX_REFUSED_TEXT_LENGTH } from './client-events.ts'

export const AUDIT_KINDS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'timed-out',
  'case-viewed',
  'search',
  'decision',
  'mi-download',
  'data-quality-download',
  'user-added',
  'user-changed',
  'user-deactivated',
  'user-reactivated',
  'rule-run',
  'rule-set-changed',
  'rule-set-published',
  'audit-purged',
  'contest-recorded',
  'contest-decided',
  'job-retried',
  'client-added',
  'client-revoked',
  'api-refused',
  'subscriber-added',
  'subscriber-changed',
  'subscriber-removed',
  'subscriber-replayed',
  'events-read',
  'rule-run-queued',
] as const

export type AuditKind = (typeof AUDIT_KINDS)[number]

export function isAuditKind(value: unknown): value is AuditKind {
  return typeof value === 'string' && (AUDIT_KINDS as readonly string[]).includes(value)
}

/** The longest attempted user ID kept from a failed sign-in: enough to recognise a typo, no more. */
export const MAX_ATTEMPTED_ID_LENGTH = 100

export type SignInMethod = 'password' | 'single-sign-on'

/** A user's account as a change left it or found it (never a password). */
export interface AuditedUser {
  readonly name: string
  readonly email: string | null
  readonly roles: readonly string[]
  /** 'all', or the ROM region codes. */
  readonly regions: 'all' | readonly string[]
  readonly active: boolean
}

/** Search criteria as the user gave them, by name; only those given. */
export type SearchCriteria = Readonly<Record<string, string | readonly string[]>>

/**
 * Who acted, through the API (`clientId`, the machine client) or not: a
 * user on the pages; or through the API a caseworker the client names (a
 * decision), or the client alone (a search, a task read, a download).
 */
export type AuditActor =
  | { readonly userId: string; readonly clientId?: string | undefined }
  | { readonly userId: null; readonly clientId: string }

type Acted = { readonly at: Date } & AuditActor

/** Something a command did (an operator, not a user of the pages), or a user did. */
interface ActedOrCommand {
  readonly at: Date
  /** Null when an `ipic` command did it. */
  readonly userId: string | null
}

interface UserChange extends ActedOrCommand {
  /** The user changed. */
  readonly subjectUserId: string
}

export type AuditEvent =
  | ContestAuditEvent
  | JobRetriedEvent
  | SubscriberAuditEvent
  | ApiClientAuditEvent
  | (Acted & { readonly kind: 'sign-in'; readonly method: SignInMethod })
  | {
      readonly kind: 'sign-in-failed'
      readonly at: Date
      /**
       * The ID tried, as typed (kept cut to MAX_ATTEMPTED_ID_LENGTH; it is the
       * user when it names one); null when a single sign-on failed before
       * the provider said who it was.
       */
      readonly attemptedId: string | null
      readonly method: SignInMethod
      /** 'incorrect' (wrong ID or password: never said which), 'throttled', or the single sign-on refusal. */
      readonly reason: string
    }
  | (Acted & { readonly kind: 'sign-out' })
  | (Acted & { readonly kind: 'timed-out'; readonly reason: 'idle' | 'absolute' })
  | (Acted & {
      readonly kind: 'case-viewed'
      readonly personId: string
      /** Null when an API client read the person's record itself, through no task. */
      readonly taskId: number | null
      /** The page of the case shown (web/case/sections.ts). */
      readonly section: string
    })
  | (Acted & {
      /** A run of the live rule set queued by an API client (the run's own 'rule-run' follows when it ends). */
      readonly kind: 'rule-run-queued'
      readonly jobId: string
      readonly full: boolean
    })
  | (Acted & {
      /** A page of the decision events' pull feed that held events (src/events/service.ts). */
      readonly kind: 'events-read'
      readonly events: number
      /** The first and last event IDs given, in the feed's order. */
      readonly firstEventId: number
      readonly lastEventId: number
    })
  | (Acted & {
      readonly kind: 'search'
      /** Where the search was made: the review region and tab. */
      readonly region: string
      readonly tab: string
      readonly criteria: SearchCriteria
      /** The page of results shown, and how many results there were in all. */
      readonly page: number
      readonly results: number
    })
  | (Acted & {
      readonly kind: 'decision'
      readonly personId: string
      readonly taskId: number
      readonly status: string
      /** The task's version the decision made. */
      readonly taskVersion: number
      readonly reasons?: readonly string[] | undefined
    })
  | (Acted & {
      /** The MI report, or the data-quality list's CSV. */
      readonly kind: 'mi-download' | 'data-quality-download'
      /** JSON lines through the API only. */
      readonly format: 'xlsx' | 'csv' | 'jsonl'
      readonly from: string
      readonly to: string
      /** 'all', or the ROM region codes the file covers. */
      readonly regions: 'all' | readonly string[]
      /**
       * mi_downloads.id: how the download ended and its row count are recorded
       * there. Null for an export by an API client, which that table (one row
       * per user's download) cannot hold: its end goes to the service's log.
       */
      readonly downloadId: number | null
    })
  | (UserChange & { readonly kind: 'user-added'; readonly after: AuditedUser })
  | (UserChange & {
      readonly kind: 'user-changed' | 'user-deactivated' | 'user-reactivated'
      readonly before: AuditedUser
      readonly after: AuditedUser
    })
  | (ActedOrCommand & {
      readonly kind: 'rule-run'
      readonly runId: number
      /** What started it: a command, an import, the demo seed. */
      readonly trigger: string
      readonly ruleSetVersion: string
      readonly status: 'COMPLETED' | 'FAILED'
      readonly personsEvaluated: number | null
    })
  | (ActedOrCommand & {
      readonly kind: 'rule-set-changed'
      /** The version last recorded; null for the first. */
      readonly from: string | null
      readonly to: string
    })
  | (ActedOrCommand & {
      /** A rule set allowed to run (src/rules/publication.ts); the user is the one named with --by, if any. */
      readonly kind: 'rule-set-published'
      readonly version: string
      /** How it was published: the command and the operating-system account. */
      readonly publishedFrom: string
    })
  | (ActedOrCommand & {
      readonly kind: 'audit-purged'
      /** Events before this instant were deleted. */
      readonly before: Date
      readonly deleted: number
    })

/** Representations or a contest recorded about a task, and its outcome (src/tasks/contests.ts). */
export type ContestAuditEvent =
  | (Acted & {
      readonly kind: 'contest-recorded'
      readonly personId: string
      readonly taskId: number
      readonly contestId: number
      readonly assignedTo: string | null
    })
  | (Acted & {
      readonly kind: 'contest-decided'
      readonly personId: string
      readonly taskId: number
      readonly contestId: number
      readonly outcome: 'UPHELD' | 'CHANGED'
      /** The task's version the change made; absent when the decision was upheld. */
      readonly taskVersion?: number | undefined
    })

/**
 * A failed background job given another attempt (src/audit/job-retries.ts):
 * by an administrator on the Background jobs page, or by `ipic jobs retry`,
 * which names the operating-system account that ran it, as `ipic rules
 * publish` does.
 */
export type JobRetriedEvent = {
  readonly kind: 'job-retried'
  readonly at: Date
  readonly jobId: string
  /** The job's kind as its queue is named (src/jobs/kinds.ts), kept as it was then. */
  readonly jobKind: string
} & JobRetriedBy

export type JobRetriedBy = ChangedBy

/**
 * A subscriber to the decision events added, paused or resumed, removed, or
 * its deliveries replayed from a point in time (src/events/subscribers.ts):
 * on the Event subscribers page, or by `ipic subscribers`, naming the
 * account that ran it, as for a job's retry.
 */
export type SubscriberAuditEvent = { readonly at: Date; readonly subscriberId: number } & JobRetriedBy &
  (
    | {
        readonly kind: 'subscriber-added'
        readonly name: string
        readonly url: string
        /** The event types it receives; null for all. */
        readonly eventTypes: readonly string[] | null
      }
    | { readonly kind: 'subscriber-changed'; readonly change: 'paused' | 'resumed' }
    | { readonly kind: 'subscriber-removed'; readonly name: string; readonly url: string }
    /** Deliveries start again from the first event at or after `from` (an ISO instant). */
    | { readonly kind: 'subscriber-replayed'; readonly from: string }
  )

/** Anything that runs queries: the database or a transaction. */
export type AuditWriter = Pick<Kysely<Tables>, 'insertInto'>

/**
 * Text as typed, cut to at most `max` UTF-16 units without splitting a
 * character, and storable in jsonb: half of a surrogate pair (left by a cut,
 * or sent alone) and NUL cannot be, and the whole event would be lost with
 * them, so each becomes U+FFFD.
 */
function storable(text: string): boolean {
  return text.isWellFormed() && !text.includes(String.fromCharCode(0))
}

function cutToLength(text: string, max: number): string {
  const cut = text.slice(0, max)
  const last = cut.charCodeAt(cut.length - 1)
  const whole = last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut
  return whole.toWellFormed().replaceAll(String.fromCharCode(0), '\uFFFD')
}

/** The row an event is stored as: the columns the filters use, and the rest in details. */
/** The client's own events name it themselves; any other event made through the API names it beside who acted. */
const CLIENT_EVENT_KINDS: ReadonlySet<AuditKind> = new Set(['client-added', 'client-revoked', 'api-refused'])

/**
 * The details column of a caseworker's case-viewed event, as auditEventRow
 * writes it, for a statement that selects the event's other columns from
 * the task it reads (review/open-case.ts).
 */
export function caseViewedDetails(section: string): string {
  const row = rowOf({ kind: 'case-viewed', at: new Date(0), userId: '', personId: '', taskId: null, section })
  return row.details as string
}

export function auditEventRow(event: AuditEvent): InsertObject<Tables, 'audit_events'> {
  if (CLIENT_EVENT_KINDS.has(event.kind) || !('clientId' in event) || event.clientId == null) {
    return rowOf(event)
  }
  const { clientId, ...withoutClient } = event
  return { ...rowOf(withoutClient as AuditEvent), client_id: clientId }
}

function rowOf(event: AuditEvent): InsertObject<Tables, 'audit_events'> {
  const base = { at: event.at, kind: event.kind }
  switch (event.kind) {
    case 'sign-in-failed': {
      const { kind: _k, at: _a, attemptedId, ...details } = event
      return {
        ...base,
        // The user whose ID was tried, when there is one, so their account's trail shows it
        // (an ID the database cannot hold as text names nobody, and is not looked up).
        user_id:
          attemptedId === null || !storable(attemptedId)
            ? null
            : sql<string | null>`(select id from users where id = ${attemptedId})`,
        details: JSON.stringify({
          ...details,
          attemptedId: attemptedId === null ? null : cutToLength(attemptedId, MAX_ATTEMPTED_ID_LENGTH),
        }),
      }
    }
    case 'case-viewed':
    case 'decision':
    case 'contest-recorded':
    case 'contest-decided': {
      const { kind: _k, at: _a, userId, personId, taskId, ...details } = event
      return {
        ...base,
        user_id: userId,
        person_id: personId,
        task_id: taskId,
        details: JSON.stringify(details),
      }
    }
    case 'user-added':
    case 'user-changed':
    case 'user-deactivated':
    case 'user-reactivated': {
      const { kind: _k, at: _a, userId, subjectUserId, ...details } = event
      return { ...base, user_id: userId, subject_user_id: subjectUserId, details: JSON.stringify(details) }
    }
    case 'client-added':
    case 'client-revoked': {
      const { kind: _k, at: _a, userId, clientId, ...details } = event
      return { ...base, user_id: userId, client_id: clientId, details: JSON.stringify(details) }
    }
    case 'api-refused': {
      const { kind: _k, at: _a, clientId, attemptedClientId, path, ...details } = event
      return {
        ...base,
        user_id: null,
        client_id: clientId,
        details: JSON.stringify({
          ...details,
          detail: cutToLength(details.detail, 2 * MAX_REFUSED_TEXT_LENGTH),
          path: cutToLength(path, MAX_REFUSED_TEXT_LENGTH),
          ...(attemptedClientId === undefined
            ? {}
            : { attemptedClientId: cutToLength(attemptedClientId, MAX_REFUSED_TEXT_LENGTH) }),
        }),
      }
    }
    case 'audit-purged': {
      const { kind: _k, at: _a, userId, before, deleted } = event
      return { ...base, user_id: userId, details: JSON.stringify({ before: before.toISOString(), deleted }) }
    }
    default: {
      const { kind: _k, at: _a, userId, ...details } = event
      return { ...base, user_id: userId, details: JSON.stringify(details) }
    }
  }
}

/**
 * Writes one event. Pass the transaction of the work it records, so that
 * both happen or neither does; an error here must fail the caller's action.
 */
export async function recordAuditEvent(db: AuditWriter, event: AuditEvent): Promise<void> {
  await db.insertInto('audit_events').values(auditEventRow(event)).execute()
}
