/**
 * The Rule changes pages: the list of published rule-set versions, newest
 * first, and one version's stored impact report (per task type, per region,
 * per equality group with its flags as tags with words). Every rate is shown
 * with the counts behind it.
 */
import { formatLongDate, type IsoDate } from '../../dates.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import type { ImpactCounts, ImpactReport } from '../../rules/impact.ts'
import {
  apartCount,
  apartWords,
  changeWords,
  countWords,
  DIMENSION_NAMES,
  equalityLines,
  flaggedByTaskType,
  type GroupLine,
  rateWords,
} from '../../rules/impact-words.ts'
import type { ChangeNames } from '../../rules/live-rules.ts'
import type { Publication, PublicationSummary } from '../../rules/publication.ts'
import { paths } from '../paths.ts'

type Cell = { readonly text: string; readonly format?: 'numeric'; readonly classes?: string }
type Tag = { readonly text: string; readonly classes: string }
type SummaryRow = { readonly key: { readonly text: string }; readonly value: { readonly text: string } }

export interface PublicationCard {
  readonly version: string
  /** The impact report's page; null for a version that ran before publication records began. */
  readonly href: string | null
  readonly tags: readonly Tag[]
  readonly rows: readonly SummaryRow[]
}

export interface RuleChangesPage {
  readonly cards: readonly PublicationCard[]
}

const IN_FORCE: Tag = { text: 'In force', classes: 'govuk-tag--green' }

function row(key: string, value: string): SummaryRow {
  return { key: { text: key }, value: { text: value } }
}

/** "Rita Author (author1), through ipic rules publish run by the account ops". */
export function publisherWords(publication: {
  readonly publishedBy: { readonly id: string; readonly name: string } | null
  readonly publishedFrom: string
}): string {
  const by = publication.publishedBy
  return by
    ? `${by.name} (${by.id}), through ${publication.publishedFrom}`
    : `No user named, through ${publication.publishedFrom}`
}

/** The rows the list's card and the version's own page both begin with: when, by whom and why. */
function publishedRows(
  publication: Pick<
    Extract<Publication, { basis: 'published' }>,
    'publishedAt' | 'publishedBy' | 'publishedFrom' | 'notes'
  >,
): SummaryRow[] {
  return [
    row('Published', formatTimeOnDate(publication.publishedAt)),
    row('By', publisherWords(publication)),
    row('Change notes', publication.notes),
  ]
}

export function ruleChangesPage(input: {
  readonly publications: readonly PublicationSummary[]
  readonly inForce: string | null
}): RuleChangesPage {
  return {
    cards: input.publications.map((p) => {
      const tags = p.version === input.inForce ? [IN_FORCE] : []
      if (p.basis === 'before-records') {
        return {
          version: p.version,
          href: null,
          tags,
          rows: [
            row(
              'Published',
              `Before publication records began (first ran at ${formatTimeOnDate(p.publishedAt)})`,
            ),
            row('Impact report', 'None: it ran before reports were kept'),
          ],
        }
      }
      return {
        version: p.version,
        href: paths.ruleChange(p.version),
        tags,
        rows: [
          ...publishedRows(p),
          row(
            'Recommendations',
            `${countWords(p.added)} added, ${countWords(p.removed)} withdrawn, ${countWords(p.unchanged)} unchanged`,
          ),
          row('Groups flagged', p.flagged === 0 ? 'None' : countWords(p.flagged)),
        ],
      }
    }),
  }
}

export interface GroupRow {
  readonly cells: readonly Cell[]
  readonly tags: readonly Tag[]
}

export interface EqualityTableView {
  readonly caption: string
  /** Everyone first, then each group. */
  readonly rows: readonly GroupRow[]
  /** Groups flagged (everyone not counted). */
  readonly flagged: number
}

export interface ImpactReportPage {
  readonly version: string
  readonly summary: readonly SummaryRow[]
  /** The flags in one sentence, for the warning at the top; null when nothing is flagged. */
  readonly warning: string | null
  readonly marginPoints: number
  readonly smallGroup: number
  readonly taskTypeRows: readonly (readonly Cell[])[]
  readonly regionRows: readonly (readonly Cell[])[]
  /** Any task type, one table a dimension, everyone first. */
  readonly equalityTables: readonly EqualityTableView[]
  /** Each task type's flagged groups, with the task type and dimension. */
  readonly flaggedRows: readonly GroupRow[]
  readonly backHref: string
}

const numeric = (n: number): Cell => ({ text: countWords(n), format: 'numeric' })
const countCells = (c: ImpactCounts): Cell[] =>
  [c.live, c.draft, c.added, c.removed, c.unchanged].map(numeric)

function tagsOf(line: GroupLine): Tag[] {
  return line.flags.map((text) => ({
    text,
    classes:
      text === 'Small group'
        ? 'govuk-tag--grey'
        : text.startsWith('Differs')
          ? 'govuk-tag--orange'
          : 'govuk-tag--red',
  }))
}

function lineCells(line: GroupLine): Cell[] {
  const { group } = line
  return [
    { text: rateWords(group.live, group.people) },
    { text: rateWords(group.draft, group.people) },
    { text: changeWords(group.changePoints) },
    { text: apartWords(line.apart) },
  ]
}

/** Only a report that the service published has a page: one from before the records began has none. */
export function impactReportPage(
  publication: Extract<Publication, { basis: 'published' }>,
  names: ChangeNames,
): ImpactReportPage {
  const report = publication.impact
  const typeName = (code: string | null) =>
    code === null ? 'Any task type' : (names.taskTypes.get(code) ?? code)
  const margin = report.marginPoints
  return {
    version: publication.version,
    summary: [
      ...publishedRows(publication),
      row(
        'Compared with',
        report.liveVersion === null
          ? 'No rule set: none had run, so every recommendation was new'
          : `Rule set ${report.liveVersion}, the one the last rule run used`,
      ),
      row(
        'Over',
        `The ${countWords(report.persons)} persons present on ${formatLongDate(report.today as IsoDate)}`,
      ),
    ],
    warning: warningOf(report),
    marginPoints: margin,
    smallGroup: report.smallGroup,
    taskTypeRows: [
      ...report.taskTypes.map((r) => [{ text: typeName(r.taskType) }, ...countCells(r)]),
      [{ text: 'Total', classes: 'govuk-!-font-weight-bold' }, ...countCells(report.totals)],
    ],
    regionRows: report.regions.map((r) => [
      { text: typeName(r.taskType) },
      { text: names.regions.get(r.romRegion) ?? r.romRegion },
      ...countCells(r),
    ]),
    equalityTables: equalityTables(report),
    flaggedRows: flaggedRows(report, typeName),
    backHref: paths.ruleChanges(),
  }
}

/** The flags in one or two sentences; null when there are none. */
function warningOf(report: ImpactReport): string | null {
  const margin = report.marginPoints
  const apart = apartCount(report)
  const sentences = [
    report.flagged === 0
      ? ''
      : `${countWords(report.flagged)} ${report.flagged === 1 ? "group's" : "groups'"} recommendation rate ` +
        `would change by more than ${margin} points.`,
    apart === 0
      ? ''
      : `${countWords(apart)} ${apart === 1 ? "group's" : "groups'"} change would differ from everyone's ` +
        `by more than ${margin} points.`,
  ].filter((sentence) => sentence !== '')
  return sentences.length === 0 ? null : sentences.join(' ')
}

function equalityTables(report: ImpactReport): EqualityTableView[] {
  return report.equality
    .filter((table) => table.taskType === null)
    .map((table) => ({
      caption: DIMENSION_NAMES[table.dimension],
      flagged: table.groups.filter((group) => group.flagged).length,
      rows: equalityLines(report, table).map((line) => ({
        cells: [{ text: line.group.group }, ...lineCells(line)],
        tags: tagsOf(line),
      })),
    }))
}

function flaggedRows(report: ImpactReport, typeName: (code: string | null) => string): GroupRow[] {
  return flaggedByTaskType(report).map(({ taskType, table, line }) => ({
    cells: [
      { text: typeName(taskType) },
      { text: `${DIMENSION_NAMES[table.dimension]}: ${line.group.group}` },
      ...lineCells(line),
    ],
    tags: tagsOf(line),
  }))
}
