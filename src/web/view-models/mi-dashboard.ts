/**
 * The MI dashboard page: for each figure, a chart and the same numbers as a
 * table beneath it, with the flags that ask someone to look closer.
 */
import type { RegionScope } from '../../access/region-scope.ts'
import { formatLongDate } from '../../dates.ts'
import type { ContestStats } from '../../mi/contest-stats.ts'
import { type Dashboard, THRESHOLDS } from '../../mi/dashboard.ts'
import type { OverdueCount } from '../../mi/overdue.ts'
import type { RubberStampMonitoring } from '../../mi/rubber-stamp.ts'
import { paths } from '../paths.ts'
import { contestSection } from './contest-dashboard.ts'
import { type Cell, type DashboardSection, type DecisionsHref, percent } from './dashboard-parts.ts'
import { equalityTables } from './equality-tables.ts'
import { type FormErrors, type FormProblem, formErrors } from './forms.ts'
import { barChartSvg, escapeXml, groupedColumnChartSvg, stackedBarChartSvg } from './mi-charts.ts'
import {
  type DateInputItem,
  dateInputItems,
  filterQueryOf,
  type MiFilterValues,
  type RomRegionOption,
  regionSelectItems,
  type SelectItem,
} from './mi-filters.ts'
import { overdueSection } from './overdue-dashboard.ts'
import { rubberStampSection } from './rubber-stamp.ts'

export type { DashboardSection, DashboardTable } from './dashboard-parts.ts'
export { percent } from './dashboard-parts.ts'

export interface DashboardPage extends FormErrors {
  readonly fromItems: readonly DateInputItem[]
  readonly toItems: readonly DateInputItem[]
  readonly regionItems: readonly SelectItem[] | undefined
  readonly taskTypeItems: readonly SelectItem[]
  readonly sections: readonly DashboardSection[]
}

const FIELD_IDS = { from: 'from-day', to: 'to-day', region: 'region', taskType: 'task-type' }

/** "45 seconds", "12 minutes", "5.5 hours", "2.3 days". */
export function duration(seconds: number | null): string {
  if (seconds === null) return 'No record'
  if (seconds < 90) return `${Math.round(seconds)} seconds`
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} minutes`
  if (seconds < 48 * 3600) return `${(Math.round(seconds / 360) / 10).toFixed(1)} hours`
  return `${(Math.round(seconds / 8640) / 10).toFixed(1)} days`
}

function flagTag(text: string, colour: 'red' | 'orange'): Cell {
  return { html: `<strong class="govuk-tag govuk-tag--${colour}">${text}</strong>` }
}

const num = (value: number): Cell => ({ text: String(value), format: 'numeric' })

/** Why some groups have no figures: said before the tables, so that nobody reads a gap as a zero. */
function smallGroups(minimum: number, of: 'people' | 'decisions'): string {
  return (
    `A group of fewer than ${minimum} ${of} is named without its figures: a rate over so few says little ` +
    'and could point to a person. The overall rate counts everyone.'
  )
}

/** A flag with the way to the decisions behind it. `who` is for screen readers, where the link is read on its own. */
function flagWithDecisions(text: string, href: string, who: string): Cell {
  return {
    html:
      `<strong class="govuk-tag govuk-tag--red">${text}</strong> ` +
      `<a class="govuk-link" href="${escapeXml(href)}">See the decisions<span class="govuk-visually-hidden"> ${escapeXml(who)}</span></a>`,
  }
}

export function dashboardSections(dashboard: Dashboard, decisionsHref: DecisionsHref): DashboardSection[] {
  const weekLabels = dashboard.weeks.map((week) => formatLongDate(week.weekStart as never))
  const sections: DashboardSection[] = [
    {
      id: 'weekly',
      heading: 'Tasks recommended and decided each week',
      text: 'Weeks start on Monday. Decided means accepted or rejected.',
      svg: groupedColumnChartSvg(
        {
          id: 'chart-weekly',
          title: 'Tasks recommended and decided each week',
          description: `${dashboard.weeks.length} weeks. The table below the chart gives each week's figures.`,
        },
        weekLabels.map((label) => label.replace(/ \d{4}$/, '')),
        [
          { name: 'Recommended', values: dashboard.weeks.map((week) => week.recommended) },
          { name: 'Decided', values: dashboard.weeks.map((week) => week.decided) },
        ],
      ),
      tables: [
        {
          caption: 'Tasks each week',
          head: [
            { text: 'Week starting' },
            { text: 'Recommended', format: 'numeric' },
            { text: 'Decided', format: 'numeric' },
          ],
          rows: dashboard.weeks.map((week, index) => [
            { text: weekLabels[index] ?? week.weekStart },
            num(week.recommended),
            num(week.decided),
          ]),
        },
      ],
    },
    {
      id: 'status',
      heading: 'Status by task type',
      text: 'Tasks recommended in the period, by where they stand now.',
      svg: stackedBarChartSvg(
        {
          id: 'chart-status',
          title: 'Status of tasks by task type',
          description:
            'For each task type, one bar made of its recommended, accepted, rejected, on hold and withdrawn tasks, ' +
            'with the total at its end. The table below the chart gives each count.',
        },
        dashboard.statusByType.map((row) => row.taskType),
        [
          { name: 'Recommended', values: dashboard.statusByType.map((row) => row.recommended) },
          { name: 'Accepted', values: dashboard.statusByType.map((row) => row.accepted) },
          { name: 'Rejected', values: dashboard.statusByType.map((row) => row.rejected) },
          { name: 'On hold', values: dashboard.statusByType.map((row) => row.onHold) },
          { name: 'Withdrawn', values: dashboard.statusByType.map((row) => row.withdrawn) },
        ],
      ),
      tables: [
        {
          caption: 'Status by task type',
          head: [
            { text: 'Task type' },
            { text: 'Recommended', format: 'numeric' },
            { text: 'Accepted', format: 'numeric' },
            { text: 'Rejected', format: 'numeric' },
            { text: 'On hold', format: 'numeric' },
            { text: 'Withdrawn', format: 'numeric' },
          ],
          rows: dashboard.statusByType.map((row) => [
            { text: row.taskType },
            num(row.recommended),
            num(row.accepted),
            num(row.rejected),
            num(row.onHold),
            num(row.withdrawn),
          ]),
        },
      ],
    },
    {
      id: 'reasons',
      heading: 'Rejection reasons by task type',
      text: 'A rejection may give more than one reason.',
      svg: barChartSvg(
        {
          id: 'chart-reasons',
          title: 'Rejection reasons by task type',
          description: 'How often each reason was given, for each task type.',
        },
        dashboard.reasonsByType.map((row) => ({
          label: `${row.reason} (${row.taskType})`,
          value: row.count,
          valueText: String(row.count),
        })),
      ),
      tables: [
        {
          caption: 'Rejection reasons by task type',
          head: [{ text: 'Task type' }, { text: 'Reason' }, { text: 'Times given', format: 'numeric' }],
          rows: dashboard.reasonsByType.map((row) => [
            { text: row.taskType },
            { text: row.reason },
            num(row.count),
          ]),
        },
      ],
    },
    {
      id: 'time-to-decide',
      heading: 'Time from recommendation to decision',
      text: `Median over all task types: ${duration(dashboard.overallMedianSeconds)}.`,
      svg: barChartSvg(
        {
          id: 'chart-time',
          title: 'Median time from recommendation to decision, by task type',
          description: 'In hours. The table below gives each median in words.',
        },
        dashboard.decisionTimes.map((row) => ({
          label: row.taskType,
          value: row.medianSeconds / 3600,
          valueText: duration(row.medianSeconds),
        })),
      ),
      tables: [
        {
          caption: 'Median time to decide',
          head: [{ text: 'Task type' }, { text: 'Decisions', format: 'numeric' }, { text: 'Median time' }],
          rows: dashboard.decisionTimes.map((row) => [
            { text: row.taskType },
            num(row.decisions),
            { text: duration(row.medianSeconds) },
          ]),
        },
      ],
    },
    {
      id: 'rules',
      heading: 'Acceptance rate by rule version',
      text: 'A rule whose recommendations are mostly rejected needs its author’s attention.',
      svg: barChartSvg(
        {
          id: 'chart-rules',
          title: 'Acceptance rate by rule and rule-set version',
          description: 'Share of decisions that accepted the recommendation, from 0 to 100%.',
        },
        dashboard.rules.map((rule) => ({
          label: `${rule.ruleCode} (${rule.ruleVersion})`,
          value: rule.rate,
          valueText: percent(rule.rate),
        })),
        { max: 1 },
      ),
      tables: [
        {
          caption: 'Acceptance rate by rule version',
          head: [
            { text: 'Rule' },
            { text: 'Version' },
            { text: 'Accepted', format: 'numeric' },
            { text: 'Rejected', format: 'numeric' },
            { text: 'Acceptance rate', format: 'numeric' },
            { text: '' },
          ],
          rows: dashboard.rules.map((rule) => [
            { text: rule.ruleCode },
            { text: rule.ruleVersion },
            num(rule.accepted),
            num(rule.rejected),
            { text: percent(rule.rate), format: 'numeric' },
            rule.rate < 0.5 ? flagTag('Mostly rejected', 'red') : { text: '' },
          ]),
        },
      ],
    },
    {
      id: 'users',
      heading: 'Decisions by user',
      text:
        `Flagged when a user accepts more than ${percent(THRESHOLDS.rubberStampRate)} of tasks with a median of ` +
        `under ${THRESHOLDS.rubberStampSeconds} seconds between opening the case and accepting it.`,
      svg: undefined,
      tables: [
        {
          caption: 'Acceptance rate and time to accept, by user',
          head: [
            { text: 'User' },
            { text: 'Accepted', format: 'numeric' },
            { text: 'Rejected', format: 'numeric' },
            { text: 'Acceptance rate', format: 'numeric' },
            { text: 'Median time from opening to accepting' },
            { text: '' },
          ],
          rows: dashboard.users.map((user) => [
            { text: user.name ? `${user.name} (${user.userId})` : user.userId },
            num(user.accepted),
            num(user.rejected),
            { text: percent(user.rate), format: 'numeric' },
            { text: duration(user.medianSecondsToAccept) },
            user.flagged
              ? flagWithDecisions(
                  'Check decisions',
                  decisionsHref({ userId: user.userId }),
                  `by ${user.name ?? user.userId}`,
                )
              : { text: '' },
          ]),
        },
      ],
    },
    {
      id: 'recommendation-rates',
      heading: 'Equality monitoring: recommendation rates',
      text:
        'Share of people in the region who had a task recommended. A group below four-fifths or above ' +
        'five-fourths of the overall rate is flagged. Age is on the last day of the period. ' +
        smallGroups(dashboard.equalityOptions.minimumGroupSize, 'people'),
      svg: undefined,
      tables: equalityTables(dashboard.recommendationRates, 'People', 'Recommended'),
    },
    {
      id: 'acceptance-rates',
      heading: 'Equality monitoring: acceptance rates',
      text:
        'Share of decisions that accepted the recommendation, by group. ' +
        smallGroups(dashboard.equalityOptions.minimumGroupSize, 'decisions'),
      svg: undefined,
      tables: equalityTables(dashboard.acceptanceRates, 'Decisions', 'Accepted'),
    },
  ]
  return sections
}

export function dashboardPage(input: {
  readonly scope: RegionScope
  readonly regions: readonly RomRegionOption[]
  readonly taskTypes: readonly { code: string; name: string }[]
  readonly values: MiFilterValues
  readonly problems: readonly FormProblem[]
  readonly dashboard: Dashboard | undefined
  /** Rubber-stamp monitoring from the evidence of review, shown after the other figures. */
  readonly rubberStamp?: RubberStampMonitoring | undefined
  /** Contests recorded in the period, last. */
  readonly contests?: ContestStats | undefined
  /** Open tasks past their due date today, by task type and region. */
  readonly overdue?: readonly OverdueCount[] | undefined
}): DashboardPage {
  const errors = formErrors(input.problems, FIELD_IDS)
  const query = filterQueryOf(input.values)
  const decisionsHref: DecisionsHref = (of) =>
    paths.miDecisions({
      ...query,
      ...('userId' in of ? { user: of.userId } : { ruleVersion: of.ruleVersion }),
    })
  return {
    ...errors,
    fromItems: dateInputItems(input.values.from, errors.fieldErrors.from !== undefined),
    toItems: dateInputItems(input.values.to, errors.fieldErrors.to !== undefined),
    regionItems: regionSelectItems(input.scope, input.regions, input.values.region),
    taskTypeItems: [
      { value: '', text: 'All task types', selected: input.values.taskType === '' },
      ...input.taskTypes.map((type) => ({
        value: type.code,
        text: type.name,
        selected: type.code === input.values.taskType,
      })),
    ],
    sections: input.dashboard
      ? [
          ...dashboardSections(input.dashboard, decisionsHref),
          ...(input.overdue ? [overdueSection(input.overdue)] : []),
          ...(input.rubberStamp ? [rubberStampSection(input.rubberStamp, decisionsHref)] : []),
          ...(input.contests ? [contestSection(input.contests)] : []),
        ]
      : [],
  }
}
