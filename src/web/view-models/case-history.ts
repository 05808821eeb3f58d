/**
 * The case view's history: every status change of the task, with who made
 * it (a caseworker or the rules) and what they recorded with it.
 */
import type { TaskHistoryEvent } from '../../review/task-view.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import type { TaskStatus } from '../../tasks/task.ts'
import { evidenceLines } from './review-evidence.ts'

export interface TimelineItem {
  readonly title: string
  readonly byline: string
  readonly datetime: string
  readonly when: string
  readonly lines: readonly string[]
}

export const EVENT_TITLES: Record<TaskStatus, string> = {
  RECOMMENDED: 'Recommended',
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  ON_HOLD: 'Placed on hold',
  WITHDRAWN: 'Withdrawn',
}

export function historyTimeline(events: readonly TaskHistoryEvent[]): TimelineItem[] {
  return events.map((e) => {
    const lines: string[] = []
    if (e.reasons.length > 0) lines.push(`Reasons: ${e.reasons.map((r) => r.label).join('; ')}`)
    if (e.details) lines.push(`Details: ${e.details}`)
    if (e.note) lines.push(e.status === 'ACCEPTED' ? `What they checked: ${e.note}` : `Note: ${e.note}`)
    if (e.checksConfirmed)
      lines.push('Confirmed that barriers, vulnerability and family circumstances were checked')
    if (e.evidence) lines.push(...evidenceLines(e.evidence))
    if (e.user === null && e.ruleSetVersion) lines.push(`Rule set version ${e.ruleSetVersion}`)
    return {
      title: EVENT_TITLES[e.status],
      byline: e.user?.name ?? 'the rules',
      datetime: e.occurredAt.toISOString(),
      when: formatTimeOnDate(e.occurredAt),
      lines,
    }
  })
}
