/**
 * The case view's view-models: everything the templates show, already in
 * words. Coded values become their labels (src/cases/values.ts), dates read
 * "25 July 2018", booleans "Yes"/"No" and a missing value "Not recorded",
 * so the templates only lay things out.
 */
import type { CaseRecordList, CaseRecordView } from '../../cases/case-record.ts'
import * as values from '../../cases/values.ts'
import { formatLongDate, type IsoDate } from '../../dates.ts'
import type { CaseHolder } from '../../review/claims.ts'
import type { TaskHistoryEvent, TaskView } from '../../review/task-view.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import { describeExplanation, type ExplanationSection } from '../../rules/explanation.ts'
import type { RecommendationExplanation } from '../../rules/explanation-json.ts'
import { isFullExplanation } from '../../rules/stored-explanation.ts'
import { allowsDecision } from '../../tasks/status-transitions.ts'
import type { TaskStatus } from '../../tasks/task.ts'
import {
  CASE_SECTIONS,
  type CaseSection,
  DECISION_ACTIONS,
  DECISION_OF_ACTION,
  type DecisionAction,
} from '../case/sections.ts'
import { paths } from '../paths.ts'

export const NOT_RECORDED = 'Not recorded'

export interface SummaryRow {
  readonly key: { readonly text: string }
  readonly value: { readonly text: string }
}

export interface TableView {
  readonly caption: string
  readonly head: readonly { readonly text: string }[]
  readonly rows: readonly (readonly { readonly text: string }[])[]
  /** Shown instead of the table when it has no rows. */
  readonly emptyText: string
}

// ----- small formatters -----

export function dateText(date: IsoDate | string | null | undefined): string {
  return date ? formatLongDate(date as IsoDate) : NOT_RECORDED
}

export function yesNo(value: boolean | null | undefined): string {
  return value === null || value === undefined ? NOT_RECORDED : value ? 'Yes' : 'No'
}

/** A coded value's label; the code itself if the list does not know it (never hide data). */
export function labelOf(
  list: { readonly labels: Readonly<Record<string, string>> },
  code: string | null,
): string {
  if (code === null || code === '') return NOT_RECORDED
  return list.labels[code] ?? code
}

function numberText(value: number | null): string {
  return value === null ? NOT_RECORDED : String(value)
}

function row(key: string, value: string): SummaryRow {
  return { key: { text: key }, value: { text: value } }
}

// ----- the page frame -----

const STATUS_TAGS: Record<TaskStatus, { readonly text: string; readonly classes: string }> = {
  RECOMMENDED: { text: 'Recommended', classes: 'govuk-tag--blue' },
  ACCEPTED: { text: 'Accepted', classes: 'govuk-tag--green' },
  REJECTED: { text: 'Rejected', classes: 'govuk-tag--red' },
  ON_HOLD: { text: 'On hold', classes: 'govuk-tag--yellow' },
  WITHDRAWN: { text: 'Withdrawn', classes: 'govuk-tag--grey' },
}

export function statusTag(status: TaskStatus): { readonly text: string; readonly classes: string } {
  return STATUS_TAGS[status]
}

/** "You have this case open" or "Sam Other has this case open"; nothing when nobody has. */
export function holderText(holder: CaseHolder | undefined, userId: string): string | undefined {
  if (!holder) return undefined
  const who = holder.userId === userId ? 'You have' : `${holder.name} has`
  return `${who} this case open (since ${formatTimeOnDate(holder.since)})`
}

const ACTION_LABELS: Record<DecisionAction, string> = {
  accept: 'Accept task',
  reject: 'Reject task',
  hold: 'Place on hold',
}

/** The decision actions a status allows (src/tasks/status-transitions.ts), in the page's order. */
export function availableActions(status: TaskStatus): DecisionAction[] {
  return DECISION_ACTIONS.filter((action) => allowsDecision(status, DECISION_OF_ACTION[action]))
}

export function isActionAvailable(status: TaskStatus, action: DecisionAction): boolean {
  return availableActions(status).includes(action)
}

export interface CaseFrame {
  readonly task: {
    readonly id: number
    readonly personName: string
    readonly homeOfficeReference: string
    readonly personId: string
    readonly taskTypeName: string
    readonly status: { readonly text: string; readonly classes: string }
    readonly version: number
  }
  readonly backHref: string
  readonly holder: string | undefined
  /** A sentence about the current decision, when there is one. */
  readonly statusSummary: string | undefined
  readonly subNavigation: readonly {
    readonly text: string
    readonly href: string
    readonly active: boolean
  }[]
  readonly actions: readonly { readonly text: string; readonly href: string; readonly secondary: boolean }[]
}

function statusSummary(task: TaskView): string | undefined {
  const when = formatTimeOnDate(task.statusChangedAt)
  switch (task.status) {
    case 'RECOMMENDED':
      return undefined
    case 'WITHDRAWN':
      return `The rules withdrew this recommendation at ${when}: there is nothing to decide.`
    default: {
      const who = task.statusChangedBy?.name ?? 'the rules'
      return `${EVENT_TITLES[task.status]} by ${who} at ${when}. You can change this decision.`
    }
  }
}

export function caseFrame(input: {
  readonly task: TaskView
  readonly current: CaseSection | undefined
  readonly back: string
  /** The back parameter to carry on, when the user arrived with one. */
  readonly backParam: string | undefined
  readonly holder: CaseHolder | undefined
  readonly userId: string
}): CaseFrame {
  const { task, backParam } = input
  return {
    task: {
      id: task.id,
      personName: task.personName,
      homeOfficeReference: task.homeOfficeReference,
      personId: task.personId,
      taskTypeName: task.taskType.name,
      status: statusTag(task.status),
      version: task.version,
    },
    backHref: input.back,
    holder: holderText(input.holder, input.userId),
    statusSummary: statusSummary(task),
    subNavigation: CASE_SECTIONS.map((section) => ({
      text: section.title,
      href: paths.taskSection(task.id, section.slug, backParam),
      active: section.slug === input.current,
    })),
    actions: availableActions(task.status).map((action, index) => ({
      text: ACTION_LABELS[action],
      href: paths.taskDecision(task.id, action, backParam),
      secondary: index > 0,
    })),
  }
}

// ----- the seven sections of the case record -----

export interface SectionContent {
  readonly summary: readonly SummaryRow[]
  readonly tables: readonly TableView[]
}

export function personDetails(record: CaseRecordView): SectionContent {
  const p = record.person
  return {
    summary: [
      row('Full name', `${p.givenNames} ${p.familyName}`),
      row('Home Office reference', p.homeOfficeReference),
      row('Person ID', p.personId),
      row('Date of birth', dateText(p.dateOfBirth)),
      row('Age disputed', yesNo(p.ageDisputed)),
      row('Country of nationality', p.nationality.name),
      row('Gender', labelOf(values.GENDER, p.gender)),
      row('Red notice status', labelOf(values.RED_NOTICE, p.redNotice)),
      row('Case type', labelOf(values.CASE_TYPE, p.caseType)),
      row('Immigration status', labelOf(values.IMMIGRATION_STATUS, p.immigrationStatus)),
      row('Identified for removal', yesNo(p.identifiedForRemoval)),
      row('Voluntary return declined on', dateText(p.voluntaryReturnDeclinedOn)),
      row('ROM region', p.romRegion.name),
      row('ICE region', p.iceRegion.name),
    ],
    tables: [
      {
        caption: 'Referrals',
        head: [{ text: 'Business area' }, { text: 'Referred on' }],
        rows: record.referrals.map((r) => [{ text: r.businessArea.name }, { text: dateText(r.referredOn) }]),
        emptyText: 'No business area has referred this case.',
      },
    ],
  }
}

export function documentation(record: CaseRecordView): SectionContent {
  const d = record.documentation
  return {
    summary: [
      row('Travel document', labelOf(values.TRAVEL_DOCUMENT, d.travelDocument)),
      row('Travel document held by', labelOf(values.DOCUMENT_HOLDER, d.heldBy)),
      row('Travel document expiry date', dateText(d.expiryDate)),
      row('Emergency travel document status', labelOf(values.ETD_STATUS, d.etdStatus)),
      row('Identity status', labelOf(values.IDENTITY_STATUS, d.identityStatus)),
    ],
    tables: [],
  }
}

export function reportingDetails(record: CaseRecordView): SectionContent {
  const r = record.reporting
  return {
    summary: [
      row('Reporting location', r.location.name),
      row('Reporting type', labelOf(values.REPORTING_TYPE, r.type)),
      row('Reporting frequency', labelOf(values.REPORTING_FREQUENCY, r.frequency)),
      row(
        'Next reporting dates',
        r.nextDates.length === 0 ? NOT_RECORDED : r.nextDates.map(dateText).join(', '),
      ),
      row('Last attended', dateText(r.lastAttended)),
      row('Missed reporting events in the last 90 days', String(r.missedEvents90Days)),
      row('Consecutive missed reporting events', String(r.consecutiveMissed)),
      row('Compliance', labelOf(values.COMPLIANCE, r.compliance)),
      row('Ever out of contact', yesNo(r.everOutOfContact)),
      row('Whereabouts', labelOf(values.WHEREABOUTS, r.whereabouts)),
      row('Bail residence condition', yesNo(r.bail.residenceCondition)),
      row('Electronic monitoring', labelOf(values.ELECTRONIC_MONITORING, r.bail.electronicMonitoring)),
      row('Curfew', yesNo(r.bail.curfew)),
      row('Electronic monitoring last reviewed', dateText(r.bail.emLastReviewed)),
    ],
    tables: [],
  }
}

export function barriers(record: CaseRecordView): SectionContent {
  return {
    summary: [],
    tables: [
      {
        caption: 'Barriers to removal',
        head: [
          { text: 'Barrier' },
          { text: 'Suspensive' },
          { text: 'Raised on' },
          { text: 'Resolved on' },
          { text: 'Owning team' },
        ],
        rows: record.barriers.map((b) => [
          { text: labelOf(values.BARRIER_TYPE, b.type) },
          { text: yesNo(b.suspensive) },
          { text: dateText(b.raisedOn) },
          { text: b.resolvedOn ? dateText(b.resolvedOn) : 'Not resolved' },
          { text: b.owningTeam },
        ]),
        emptyText: 'No barriers are recorded.',
      },
    ],
  }
}

export function harm(record: CaseRecordView): SectionContent {
  const h = record.harm
  return {
    summary: [
      row('Foreign national offender', yesNo(h.foreignNationalOffender)),
      row('Longest sentence (months)', numberText(h.longestSentenceMonths)),
      row('Harm level', labelOf(values.HARM_LEVEL, h.harmLevel)),
      row('Deportation order', yesNo(h.deportationOrder)),
      row('On licence', yesNo(h.onLicence)),
    ],
    tables: [
      {
        caption: 'Offences',
        head: [{ text: 'Offence' }, { text: 'Convicted on' }, { text: 'Sentence (months)' }],
        rows: h.offences.map((o) => [
          { text: labelOf(values.OFFENCE_CATEGORY, o.category) },
          { text: dateText(o.convictedOn) },
          { text: numberText(o.sentenceMonths) },
        ]),
        emptyText: 'No offences are recorded.',
      },
    ],
  }
}

export function familyStatus(record: CaseRecordView): SectionContent {
  const f = record.family
  return {
    summary: [
      row('Relationship status', labelOf(values.RELATIONSHIP, f.relationship)),
      row('Primary carer', yesNo(f.primaryCarer)),
      row('Family case', yesNo(f.familyCase)),
    ],
    tables: [
      {
        caption: 'Children',
        head: [{ text: 'Date of birth' }, { text: 'British' }, { text: 'Lives with the person' }],
        rows: f.children.map((c) => [
          { text: dateText(c.dateOfBirth) },
          { text: yesNo(c.british) },
          { text: yesNo(c.livesWith) },
        ]),
        emptyText: 'No children are recorded.',
      },
    ],
  }
}

export function vulnerability(record: CaseRecordView): SectionContent {
  const v = record.vulnerability
  return {
    summary: [
      row('Adult at risk level', String(v.adultAtRiskLevel)),
      row('National Referral Mechanism', labelOf(values.NRM_STATUS, v.nrmStatus)),
      row('Risk of self-harm', yesNo(v.selfHarmRisk)),
      row('Care leaver', yesNo(v.careLeaver)),
      row('Pregnant', yesNo(v.pregnant)),
      row('Electronic monitoring contraindicated', yesNo(v.emContraindicated)),
    ],
    tables: [
      {
        caption: 'Vulnerability indicators',
        head: [{ text: 'Indicator' }, { text: 'Identified on' }, { text: 'Response recorded' }],
        rows: v.indicators.map((i) => [
          { text: labelOf(values.VULNERABILITY_INDICATOR, i.type) },
          { text: dateText(i.identifiedOn) },
          { text: yesNo(i.responseRecorded) },
        ]),
        emptyText: 'No vulnerability indicators are recorded.',
      },
    ],
  }
}

type RecordSection = Exclude<CaseSection, 'why-recommended' | 'history'>

export const RECORD_SECTIONS: Record<RecordSection, (record: CaseRecordView) => SectionContent> = {
  'person-details': personDetails,
  documentation,
  'reporting-details': reportingDetails,
  barriers,
  harm,
  'family-status': familyStatus,
  vulnerability,
}

/** The lists of the case record each page shows: a page reads only those. */
export const SECTION_LISTS: Record<CaseSection, readonly CaseRecordList[]> = {
  'person-details': ['referrals'],
  documentation: [],
  'reporting-details': [],
  barriers: ['barriers'],
  harm: ['offences'],
  'family-status': ['children'],
  vulnerability: ['indicators'],
  'why-recommended': [],
  history: [],
}

export function isRecordSection(section: CaseSection): section is RecordSection {
  return section in RECORD_SECTIONS
}

// ----- why recommended -----

export interface WhyRecommended {
  readonly sections: readonly ExplanationSection[]
  /** Set when the stored explanation is not in the full form (an older or hand-made task). */
  readonly fallbackNotice: string | undefined
  readonly facts: readonly SummaryRow[]
}

function plainValue(value: unknown): string {
  if (value === null || value === undefined) return NOT_RECORDED
  if (typeof value === 'boolean') return yesNo(value)
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/**
 * `explanation` is the task's explanation in full (explanationForTask in
 * src/rules/stored-explanation.ts, which expands the stored compact form);
 * without one, the stored value is shown as it is.
 */
export function whyRecommended(
  task: TaskView,
  dataChangedAt: Date,
  explanation: RecommendationExplanation | undefined = isFullExplanation(task.explanation)
    ? task.explanation
    : undefined,
): WhyRecommended {
  const facts = [
    row('Rule', task.ruleCode),
    row('Rule set version', task.ruleSetVersion),
    row('Recommended on', formatTimeOnDate(task.createdAt)),
    row("Person's data last changed", formatTimeOnDate(dataChangedAt)),
  ]
  if (explanation) return { sections: describeExplanation(explanation), fallbackNotice: undefined, facts }
  const entries =
    typeof task.explanation === 'object' && task.explanation !== null && !Array.isArray(task.explanation)
      ? Object.entries(task.explanation as Record<string, unknown>)
      : [['explanation', task.explanation] as const]
  return {
    sections: [
      {
        heading: 'Values recorded when the task was recommended',
        lines: entries.map(([name, value]) => ({ text: `${name}: ${plainValue(value)}`, depth: 0 })),
      },
    ],
    fallbackNotice:
      'This recommendation was stored without a full explanation: these are the values it recorded.',
    facts,
  }
}

// ----- history -----

export interface TimelineItem {
  readonly title: string
  readonly byline: string
  readonly datetime: string
  readonly when: string
  readonly lines: readonly string[]
}

const EVENT_TITLES: Record<TaskStatus, string> = {
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
    if (e.note) lines.push(`Note: ${e.note}`)
    if (e.checksConfirmed)
      lines.push('Confirmed that barriers, vulnerability and family circumstances were checked')
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

// ----- a page of the case view -----

export interface CasePage {
  readonly pageTitle: string
  readonly frame: CaseFrame
  readonly sectionTitle: string
  readonly content: SectionContent | undefined
  readonly why: WhyRecommended | undefined
  readonly timeline: readonly TimelineItem[] | undefined
}

export function casePage(input: {
  readonly frame: CaseFrame
  readonly section: CaseSection
  readonly content?: SectionContent
  readonly why?: WhyRecommended
  readonly timeline?: readonly TimelineItem[]
}): CasePage {
  const title = CASE_SECTIONS.find((s) => s.slug === input.section)?.title ?? ''
  return {
    pageTitle: `${title} – ${input.frame.task.personName}`,
    frame: input.frame,
    sectionTitle: title,
    content: input.content,
    why: input.why,
    timeline: input.timeline,
  }
}
