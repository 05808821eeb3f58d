/**
 * The dashboard's rubber-stamp monitoring (src/mi/rubber-stamp.ts) as a
 * section of the page: each figure a share with the counts behind it
 * ("12 of 40"), per user and per rule version.
 */
import { type ReviewCounts, type RubberStampMonitoring, share } from '../../mi/rubber-stamp.ts'
import { type DashboardSection, type DashboardTable, type DecisionsHref, percent } from './dashboard-parts.ts'
import { escapeXml } from './mi-charts.ts'

/** "30.0% (12 of 40)". */
export function shareWithCounts(count: number, of: number): string {
  return `${percent(share(count, of))} (${count} of ${of})`
}

function countHeads(quickSeconds: number): DashboardTable['head'] {
  return [
    { text: 'Decisions', format: 'numeric' },
    { text: 'Barriers not opened', format: 'numeric' },
    { text: 'Vulnerability not opened', format: 'numeric' },
    { text: 'Family status not opened', format: 'numeric' },
    { text: `Under ${quickSeconds} seconds`, format: 'numeric' },
  ]
}

/** The share above its counts, each on a line of its own so that neither breaks part way. Numbers only: nothing to escape. */
function shareCell(count: number, of: number): DashboardTable['rows'][number][number] {
  return { html: `${percent(share(count, of))} <br>(${count} of ${of})`, format: 'numeric' }
}

function countCells(counts: ReviewCounts): DashboardTable['rows'][number] {
  const of = counts.decisions
  return [
    { text: String(of), format: 'numeric' },
    shareCell(counts.withoutBarriers, of),
    shareCell(counts.withoutVulnerability, of),
    shareCell(counts.withoutFamilyStatus, of),
    shareCell(counts.quick, of),
  ]
}

/** A user's name or a rule version, linking to the decisions behind its row. */
function linkTo(text: string, href: string): DashboardTable['rows'][number][number] {
  return { html: `<a class="govuk-link" href="${escapeXml(href)}">${escapeXml(text)}</a>` }
}

export function rubberStampSection(
  monitoring: RubberStampMonitoring,
  decisionsHref: DecisionsHref,
): DashboardSection {
  const heads = countHeads(monitoring.quickSeconds)
  return {
    id: 'review-evidence',
    heading: 'Evidence of review',
    text:
      'Of the decisions taken in the period (accept, reject, place on hold and changes), the share taken ' +
      'without opening the barriers, vulnerability or family status sections of the case, and the share ' +
      `taken under ${monitoring.quickSeconds} seconds after the decider first opened the task. ` +
      'A high share is a reason to talk with the caseworker about how they review cases, not a measure of their work. ' +
      'Each user and rule version links to the decisions behind its figures.',
    svg: undefined,
    tables: [
      {
        caption: 'Evidence of review, by user',
        head: [{ text: 'User' }, ...heads],
        rows: monitoring.byUser.map((user) => [
          linkTo(
            user.name ? `${user.name} (${user.userId})` : user.userId,
            decisionsHref({ userId: user.userId }),
          ),
          ...countCells(user),
        ]),
      },
      {
        caption: 'Evidence of review, by rule version',
        head: [{ text: 'Rule version' }, ...heads],
        rows: monitoring.byRuleVersion.map((version) => [
          linkTo(version.ruleVersion, decisionsHref({ ruleVersion: version.ruleVersion })),
          ...countCells(version),
        ]),
      },
    ],
  }
}
