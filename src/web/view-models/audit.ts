/**
 * The audit pages in words: each kind named, each event's details as a
 * sentence, times in London, the filters as the user left them, and the
 * links to the pages before and after (by position, not page number: see
 * audit/search.ts).
 */
import { AUDIT_KINDS, type AuditedUser, type AuditKind } from '../../audit/events.ts'
import type { AuditFilterInput } from '../../audit/filter.ts'
import type { AuditPage, PersonViewer, StoredAuditEvent } from '../../audit/search.ts'
import { isJobKind } from '../../jobs/kinds.ts'
import type { RunTrigger } from '../../tasks/rule-run.ts'
import { auditFilterQuery, positionText } from '../forms/audit-filter.ts'
import { JOB_KIND_NAMES } from '../job-messages.ts'
import { paths } from '../paths.ts'
import { type FormErrors, type FormProblem, formErrors } from './forms.ts'

export const AUDIT_KIND_NAMES: Readonly<Record<AuditKind, string>> = {
  'sign-in': 'Signed in',
  'sign-in-failed': 'Sign-in failed',
  'sign-out': 'Signed out',
  'timed-out': 'Timed out',
  'case-viewed': 'Case viewed',
  search: 'Searched tasks',
  decision: 'Decision',
  'mi-download': 'MI report downloaded',
  'data-quality-download': 'Data-quality list downloaded',
  'user-added': 'User added',
  'user-changed': 'User changed',
  'user-deactivated': 'User deactivated',
  'user-reactivated': 'User reactivated',
  'rule-run': 'Rules run',
  'rule-set-changed': 'Rule set changed',
  'rule-set-published': 'Rule set published',
  'audit-purged': 'Old audit events deleted',
  'contest-recorded': 'Contest recorded',
  'contest-decided': 'Contest decided',
  'job-retried': 'Background job retried',
  'client-added': 'API client added',
  'client-revoked': 'API client revoked',
  'api-refused': 'API request refused',
  'subscriber-added': 'Event subscriber added',
  'subscriber-changed': 'Event subscriber paused or resumed',
  'subscriber-removed': 'Event subscriber removed',
  'subscriber-replayed': 'Event deliveries replayed',
  'events-read': 'Decision events read',
  'rule-run-queued': 'Rule run queued',
}

const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
})

/** "2 Mar 2026, 09:00:05", in London. */
export function auditTime(instant: Date): string {
  return londonDateTime.format(instant)
}

type Details = Readonly<Record<string, unknown>>

/** What started a rule run, as the end of "started by …". */
const RUN_TRIGGERS: Readonly<Record<RunTrigger, string>> = {
  manual: 'a command',
  import: 'an import',
  start: 'the service starting',
  schedule: 'the schedule',
  api: 'an API client',
}

/** A trigger this version does not know (written by a later one) is shown as stored. */
const runTriggerWords = (trigger: string): string =>
  Object.hasOwn(RUN_TRIGGERS, trigger) ? RUN_TRIGGERS[trigger as RunTrigger] : trigger

const str = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''))
const list = (value: unknown): string => (Array.isArray(value) ? value.map(str).join(', ') : str(value))
const regionsText = (value: unknown) => (value === 'all' ? 'all regions' : list(value))

function userChanges(before: Partial<AuditedUser> | undefined, after: Partial<AuditedUser>): string {
  const fields: [keyof AuditedUser, string][] = [
    ['name', 'Name'],
    ['email', 'Email'],
    ['roles', 'Roles'],
    ['regions', 'Regions'],
    ['active', 'Active'],
  ]
  const shown = (field: keyof AuditedUser, value: unknown) =>
    field === 'regions'
      ? regionsText(value)
      : field === 'active'
        ? value
          ? 'yes'
          : 'no'
        : list(value) || 'none'
  return fields
    .filter(([field]) => !before || JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map(([field, label]) =>
      before
        ? `${label}: ${shown(field, before[field])} to ${shown(field, after[field])}`
        : `${label}: ${shown(field, after[field])}`,
    )
    .join('; ')
}

/** What an event's details say, in a sentence. */
export function auditDetails(event: AuditedEvent): string {
  const sentence = kindDetails(event)
  // A user's action sent by a client (a decision through the API) names the client; with no user, the user column does.
  const client =
    event.clientId && event.userId && !CHANGES_TO_CLIENTS.has(event.kind)
      ? `Through API client ${event.clientId}`
      : ''
  return [sentence, client].filter((part) => part !== '').join('. ')
}

type AuditedEvent = Pick<StoredAuditEvent, 'kind' | 'details' | 'taskId'> &
  Partial<Pick<StoredAuditEvent, 'clientId' | 'userId'>>

/** Kinds whose client is the one changed, named in the details, not one that acted. */
const CHANGES_TO_CLIENTS: ReadonlySet<AuditKind> = new Set(['client-added', 'client-revoked'])

function kindDetails(event: AuditedEvent): string {
  const d: Details = event.details
  switch (event.kind) {
    case 'sign-in':
      return d.method === 'single-sign-on' ? 'Through single sign-on' : 'With a password'
    case 'sign-in-failed': {
      const tried =
        d.attemptedId === null || d.attemptedId === undefined ? '' : `User ID tried: ${str(d.attemptedId)}. `
      return `${tried}Reason: ${str(d.reason)}`
    }
    case 'sign-out':
      return ''
    case 'timed-out':
      return d.reason === 'absolute'
        ? 'Signed in for longer than a session may last'
        : 'No activity for too long'
    case 'case-viewed':
      return `Section: ${str(d.section)}, task ${event.taskId ?? ''}`
    case 'search': {
      const criteria = (d.criteria ?? {}) as Details
      const parts = Object.entries(criteria).map(([name, value]) => `${name} ${list(value)}`)
      return `Region ${str(d.region)}, ${str(d.tab)} tab, page ${str(d.page)}: ${str(d.results)} results${parts.length > 0 ? `. ${parts.join('; ')}` : ''}`
    }
    case 'decision':
      return `${str(d.status)}, task ${event.taskId ?? ''} version ${str(d.taskVersion)}${Array.isArray(d.reasons) ? `. Reasons: ${list(d.reasons)}` : ''}`
    case 'mi-download':
    case 'data-quality-download':
      return `${str(d.format).toUpperCase()}, ${str(d.from)} to ${str(d.to)}, ${regionsText(d.regions)}`
    case 'user-added':
      return userChanges(undefined, (d.after ?? {}) as Partial<AuditedUser>)
    case 'user-changed':
    case 'user-deactivated':
    case 'user-reactivated':
      return userChanges((d.before ?? {}) as Partial<AuditedUser>, (d.after ?? {}) as Partial<AuditedUser>)
    case 'rule-run':
      return `${str(d.status)}, rule set ${str(d.ruleSetVersion)}, started by ${runTriggerWords(str(d.trigger))}${d.personsEvaluated === null || d.personsEvaluated === undefined ? '' : `, ${str(d.personsEvaluated)} persons evaluated`}`
    case 'rule-set-changed':
      return d.from ? `From ${str(d.from)} to ${str(d.to)}` : `First rule set: ${str(d.to)}`
    case 'rule-set-published':
      return `Version ${str(d.version)}, through ${str(d.publishedFrom)}`
    case 'contest-recorded':
      return `Contest ${str(d.contestId)} on task ${event.taskId ?? ''}${d.assignedTo ? `, assigned to ${str(d.assignedTo)}` : ', in the queue'}`
    case 'contest-decided':
      return `Contest ${str(d.contestId)} on task ${event.taskId ?? ''}: ${d.outcome === 'CHANGED' ? `decision changed (version ${str(d.taskVersion)})` : 'decision upheld'}`
    case 'job-retried':
      return jobRetriedDetails(d)
    case 'client-added':
      return `${str(event.clientId)} (${str(d.name)}): scopes ${list(d.scopes)}; ${regionsText(d.regions)}${clientChangedThrough(d)}`
    case 'client-revoked':
      return `${str(event.clientId)}${clientChangedThrough(d)}`
    case 'api-refused':
      return `${str(d.status)} to ${str(d.method)} ${str(d.path)}: ${str(d.detail)}${d.attemptedClientId === undefined ? '' : ` (client ID tried: ${str(d.attemptedClientId)})`}`
    case 'rule-run-queued':
      return `Job ${str(d.jobId)}${d.full === true ? ', every person' : ''}`
    case 'events-read':
      return `${str(d.events)} decision events, evt_${str(d.firstEventId)} to evt_${str(d.lastEventId)}`
    case 'subscriber-added':
      return `Subscriber ${str(d.subscriberId)}, ${str(d.name)}: ${str(d.url)}${subscriberThrough(d)}`
    case 'subscriber-changed':
      return `Subscriber ${str(d.subscriberId)} ${str(d.change)}${subscriberThrough(d)}`
    case 'subscriber-removed':
      return `Subscriber ${str(d.subscriberId)}, ${str(d.name)}: ${str(d.url)}${subscriberThrough(d)}`
    case 'subscriber-replayed':
      return `Subscriber ${str(d.subscriberId)} from ${auditTime(new Date(str(d.from)))}${subscriberThrough(d)}`
    case 'audit-purged':
      return `${str(d.deleted)} events from before ${auditTime(new Date(str(d.before)))}`
    default:
      return ''
  }
}

/** "Rule run job 1f0…, from the Background jobs page", or through the command and its account. */
function jobRetriedDetails(d: Details): string {
  const kind = str(d.jobKind)
  const job = `${isJobKind(kind) ? JOB_KIND_NAMES[kind] : kind} job ${str(d.jobId)}`
  return d.through === 'command'
    ? `${job}, through ipic jobs retry run by the account ${str(d.account)}`
    : `${job}, from the Background jobs page`
}

/** ", on the API clients page", or through the command and its account. */
function clientChangedThrough(d: Details): string {
  return d.through === 'command'
    ? `, through ipic clients run by the account ${str(d.account)}`
    : ', on the API clients page'
}

/** ", on the Event subscribers page", or through the command and its account. */
function subscriberThrough(d: Details): string {
  return d.through === 'command'
    ? `, through ipic subscribers run by the account ${str(d.account)}`
    : ', on the Event subscribers page'
}

/** Who acted when no user did: an API client, someone unknown at sign-in, or a command. */
function actorWithoutUser(event: StoredAuditEvent): string {
  if (event.clientId && !CHANGES_TO_CLIENTS.has(event.kind)) return `API client ${event.clientId}`
  if (event.kind === 'sign-in-failed') return 'Unknown user'
  if (event.kind === 'api-refused') return 'Unknown API client'
  return 'A command'
}

export interface AuditEventRow {
  readonly time: string
  readonly userId: string
  readonly userName: string
  readonly kind: string
  readonly personId: string
  readonly personHref: string | undefined
  /** The user a change was made to, where one was. */
  readonly subjectUserId: string
  readonly details: string
}

export function auditEventRows(events: readonly StoredAuditEvent[]): AuditEventRow[] {
  return events.map((event) => ({
    time: auditTime(event.at),
    userId: event.userId ?? actorWithoutUser(event),
    userName: event.userName ?? '',
    kind: AUDIT_KIND_NAMES[event.kind] ?? event.kind,
    personId: event.personId ?? '',
    personHref: event.personId ? paths.auditPerson(event.personId) : undefined,
    subjectUserId: event.subjectUserId ?? '',
    details: auditDetails(event),
  }))
}

export interface AuditPagination {
  readonly previous?: { readonly href: string; readonly text: string }
  readonly next?: { readonly href: string; readonly text: string }
}

/** "Newer events" and "Older events", each where there are any. */
export function auditPagination(
  page: AuditPage,
  hrefFor: (position: Record<string, string>) => string,
): AuditPagination | null {
  if (!page.newer && !page.older) return null
  return {
    ...(page.newer
      ? { previous: { href: hrefFor({ newer: positionText(page.newer) }), text: 'Newer events' } }
      : {}),
    ...(page.older
      ? { next: { href: hrefFor({ older: positionText(page.older) }), text: 'Older events' } }
      : {}),
  }
}

interface Option {
  readonly value: string
  readonly text: string
  readonly selected: boolean
}

interface DateItem {
  readonly name: string
  readonly value: string
  readonly classes: string
}

function dateItems(parts: AuditFilterInput['from'], hasError: boolean): DateItem[] {
  const error = hasError ? ' govuk-input--error' : ''
  return [
    { name: 'day', value: parts.day, classes: `govuk-input--width-2${error}` },
    { name: 'month', value: parts.month, classes: `govuk-input--width-2${error}` },
    { name: 'year', value: parts.year, classes: `govuk-input--width-4${error}` },
  ]
}

export interface AuditListPage extends FormErrors {
  readonly input: AuditFilterInput
  readonly fromItems: readonly DateItem[]
  readonly toItems: readonly DateItem[]
  readonly kindItems: readonly Option[]
  /** Null when the filters had a problem: nothing was searched. */
  readonly rows: readonly AuditEventRow[] | null
  readonly pagination: AuditPagination | null
  readonly csvHref: string
  readonly clearHref: string
  readonly maxDays: number
}

export function auditListPage(input: {
  readonly filter: AuditFilterInput
  readonly problems: readonly FormProblem[]
  readonly page: AuditPage | null
  readonly maxDays: number
}): AuditListPage {
  const query = auditFilterQuery(input.filter)
  const errors = formErrors(input.problems, { from: 'from-day', to: 'to-day' })
  return {
    ...errors,
    input: input.filter,
    fromItems: dateItems(input.filter.from, errors.fieldErrors.from !== undefined),
    toItems: dateItems(input.filter.to, errors.fieldErrors.to !== undefined),
    kindItems: [
      { value: '', text: 'Any kind', selected: input.filter.kind === '' },
      ...AUDIT_KINDS.map((kind) => ({
        value: kind,
        text: AUDIT_KIND_NAMES[kind],
        selected: input.filter.kind === kind,
      })),
    ],
    rows: input.page ? auditEventRows(input.page.events) : null,
    pagination: input.page
      ? auditPagination(input.page, (position) => paths.audit({ ...query, ...position }))
      : null,
    csvHref: paths.auditCsv(query),
    clearHref: paths.audit(),
    maxDays: input.maxDays,
  }
}

export interface PersonViewerRow {
  readonly userId: string
  readonly userName: string
  readonly first: string
  readonly last: string
  readonly sections: string
  readonly events: number
}

export interface AuditPersonPage {
  readonly personId: string
  readonly viewers: readonly PersonViewerRow[]
  readonly rows: readonly AuditEventRow[]
  readonly pagination: AuditPagination | null
  readonly csvHref: string
}

export function auditPersonPage(input: {
  readonly personId: string
  readonly viewers: readonly PersonViewer[]
  readonly page: AuditPage
}): AuditPersonPage {
  return {
    personId: input.personId,
    viewers: input.viewers.map((viewer) => ({
      userId: viewer.userId ?? 'A command',
      userName: viewer.userName ?? '',
      first: auditTime(viewer.first),
      last: auditTime(viewer.last),
      sections: viewer.sections.join(', '),
      events: viewer.events,
    })),
    rows: auditEventRows(input.page.events),
    pagination: auditPagination(input.page, (position) => paths.auditPerson(input.personId, position)),
    csvHref: paths.auditCsv({ person: input.personId }),
  }
}
