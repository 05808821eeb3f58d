/**
 * The audit page's filters as HTTP carries them: a GET form whose fields
 * (GOV.UK date inputs' `from-day` and so on) are the query string, so a
 * search can be bookmarked and paged; and where a page starts, as the
 * position of the event it follows (`older`) or precedes (`newer`).
 */
import type { AuditFilterInput } from '../../audit/filter.ts'
import type { AuditPageRequest, AuditPosition } from '../../audit/search.ts'

type Query = Record<string, unknown>

function text(query: Query, name: string): string {
  const value = query[name]
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : ''
}

const dateOf = (query: Query, field: 'from' | 'to') => ({
  day: text(query, `${field}-day`),
  month: text(query, `${field}-month`),
  year: text(query, `${field}-year`),
})

export function readAuditFilter(query: unknown): AuditFilterInput {
  const q = (query ?? {}) as Query
  return {
    user: text(q, 'user'),
    person: text(q, 'person'),
    kind: text(q, 'kind'),
    from: dateOf(q, 'from'),
    to: dateOf(q, 'to'),
  }
}

/** The filter as a query string's fields, only those given, for links to other pages of the same search. */
export function auditFilterQuery(input: AuditFilterInput): Record<string, string> {
  const fields: Record<string, string> = {
    user: input.user.trim(),
    person: input.person.trim(),
    kind: input.kind,
    'from-day': input.from.day.trim(),
    'from-month': input.from.month.trim(),
    'from-year': input.from.year.trim(),
    'to-day': input.to.day.trim(),
    'to-month': input.to.month.trim(),
    'to-year': input.to.year.trim(),
  }
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''))
}

const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_(\d{1,15})$/

export function positionText(position: AuditPosition): string {
  return `${position.at}_${position.id}`
}

function positionOf(value: string): AuditPosition | undefined {
  const match = POSITION.exec(value)
  return match ? { at: match[1] as string, id: Number(match[2]) } : undefined
}

/** Which page: after `older`, before `newer`, or (for neither, or a position that is not one) the newest. */
export function readAuditPage(query: unknown): AuditPageRequest {
  const q = (query ?? {}) as Query
  const newer = positionOf(text(q, 'newer'))
  if (newer) return { direction: 'newer', after: newer }
  return { direction: 'older', after: positionOf(text(q, 'older')) }
}
