/**
 * The fields of the transparency record the service writes itself, from the
 * rule set in force and its own counts: what it does, what the caseworker
 * sees, how often it is used and how people decide, how it is built and
 * maintained, and what data it reads. Worded for a member of the public.
 */
import { londonDateOf } from '../clock.ts'
import { formatLongDate, type IsoDate } from '../dates.ts'
import { fieldsReadBy } from '../rules/fields-read.ts'
import { LISTS } from '../rules/list-fields.ts'
import type { RuleSet } from '../rules/model.ts'
import type { Block } from './blocks.ts'
import { sensitivityOf } from './sensitive-data.ts'
import type { ContestCount, DecisionRate, ServiceFacts } from './service-facts.ts'

export interface ServiceContext {
  readonly today: IsoDate
  readonly facts: ServiceFacts
  readonly ruleSet: RuleSet | undefined
  /** Task type names by code, from the reference data. */
  readonly taskTypeNames: ReadonlyMap<string, string>
  readonly auditRetentionDays: number
}

const count = (n: number) => n.toLocaleString('en-GB')
const paragraph = (text: string): Block => ({ kind: 'paragraph', text })

export function serviceBlocks(attribute: string, context: ServiceContext): Block[] {
  const writer = WRITERS[attribute]
  return writer ? writer(context) : []
}

const WRITERS: Readonly<Record<string, (context: ServiceContext) => Block[]>> = {
  date_updated: ({ today }) => [
    paragraph(`${formatLongDate(today)}: made from the live service on that day.`),
  ],
  detailed_description: ({ ruleSet }) => [
    paragraph(
      'After each import of case data from the case management system, the service evaluates its rules over every person it holds. ' +
        `There is one rule for each kind of task${ruleSet ? ` (${ruleSet.rules.length} in all)` : ''}.`,
    ),
    paragraph(
      'A rule has safeguards, which are checked first and exclude a person whatever else is true; eligibility conditions, all of which must hold; ' +
        'and priority factors, whose points add up to the priority of the recommendation. A person who is not excluded by a safeguard and meets every condition is recommended for the task.',
    ),
    paragraph(
      'The rules are written by people from published policy, in plain English with exact conditions, and are tested before they are used. ' +
        'The service does not use machine learning or a statistical model, and it learns nothing from past decisions.',
    ),
  ],
  provided_information: () => [
    paragraph(
      'For each recommendation a caseworker sees the person’s case record, the kind of task, its priority and the date it is tied to, and “Why recommended”: ' +
        'every safeguard that was checked, every condition with the person’s own value beside it, the priority factors with their points, and the version of the rules that made it.',
    ),
    paragraph('The caseworker then accepts it, rejects it giving reasons, or places it on hold.'),
  ],
  frequency_and_scale_of_usage: ({ facts }) => [
    paragraph(
      `The service holds ${count(facts.personsHeld)} people’s cases and ${count(facts.openRecommendations)} recommendations are waiting for a decision. ` +
        `In the last 30 days the rules ran ${times(facts.ruleRunsLast30Days)}.`,
    ),
    {
      kind: 'table',
      caption: 'Recommendations and decisions each month',
      head: ['Month', 'Recommended', 'Accepted', 'Rejected', 'Placed on hold', 'Withdrawn by the rules'],
      rows: facts.months.map((m) => [
        monthWords(m.month),
        count(m.recommended),
        count(m.accepted),
        count(m.rejected),
        count(m.onHold),
        count(m.withdrawn),
      ]),
      numeric: [1, 2, 3, 4, 5],
    },
  ],
  human_decisions_and_review: ({ facts, taskTypeNames }) => [
    paragraph(
      'No recommendation takes effect by itself. A caseworker decides each one: accepts it, rejects it with reasons, or places it on hold. ' +
        'Every decision is recorded with who made it and when, and it cannot be overwritten by someone who has not seen the case as it now stands.',
    ),
    ...(facts.rates.length > 0 ? [ratesTable(facts.rates, taskTypeNames)] : []),
  ],
  appeals_and_review: ({ facts, taskTypeNames }) => contestBlocks(facts.contests, taskTypeNames),
  system_architecture: () => [
    paragraph(
      'A web service used by caseworkers and managers through a browser, with a PostgreSQL database. ' +
        'An import reads an extract of case data and checks every record; the rules, kept as versioned files, are turned into database queries and evaluated over every person after each import.',
    ),
  ],
  maintenance: ({ facts }) => [
    paragraph(
      'The rules are maintained by a rules team. Every change is tested against the rules’ own test cases, and a new version of the rules is used only from the next rule run. ' +
        'Each version is kept, and so is the person’s data each recommendation was made on, so every recommendation can be traced to the rules that made it and its explanation worked out again as it was then.',
    ),
    {
      kind: 'table',
      caption: 'Versions of the rules used, newest first',
      head: ['Version', 'First used'],
      rows: facts.ruleSets.map((set) => [set.version, formatLongDate(londonDateOf(set.firstUsed))]),
      numeric: [],
    },
  ],
  models: ({ ruleSet }) =>
    ruleSet
      ? [{ kind: 'list', items: ruleSet.rules.map((rule) => `${rule.name}: ${oneLine(rule.description)}`) }]
      : [],
  data_modality: () => [paragraph('Structured records (tabular data).')],
  data_description: () => [
    paragraph(
      'One record for each person subject to reporting, with their immigration case, travel documents, reporting history and bail conditions, risk of harm, family, and vulnerability; ' +
        `and lists of their ${LISTS.map((list) => list.pluralLabel).join(', ')}.`,
    ),
  ],
  data_quantities: ({ facts }) => [
    paragraph(
      `${count(facts.personsHeld)} people’s records. In the last 30 days, ${count(facts.importsLast30Days.imports)} extracts with ${count(facts.importsLast30Days.recordsRead)} records were imported.`,
    ),
  ],
  sensitive_attributes: ({ ruleSet }) => [
    paragraph(
      'The rules cannot read nationality, gender or ethnicity: the service holds them for equality monitoring only. ' +
        'The rules read these sensitive parts of the case record:',
    ),
    ...(ruleSet ? [sensitiveTable(ruleSet)] : []),
  ],
  data_completeness_and_representativeness: ({ facts }) => {
    const { recordsRead, rejected } = facts.importsLast30Days
    return recordsRead === 0
      ? []
      : [
          paragraph(
            `In the last 30 days ${count(rejected)} of ${count(recordsRead)} records read (${percent(rejected, recordsRead)}) failed the import’s checks and were not used. ` +
              'Each is listed for the data owner to correct at source.',
          ),
        ]
  },
  data_cleaning: () => [
    paragraph(
      'Every record of an extract is checked against the extract’s published schema: required fields, codes, dates that exist, and values in range. ' +
        'A record that fails is not imported and is listed with the reason; the service does not guess or repair values.',
    ),
  ],
  data_access_and_storage: ({ auditRetentionDays }) => [
    paragraph(
      'Caseworkers and managers see only the cases of their own regions, and each role may do only what its work needs. ' +
        `Every view of a person’s record, every search and every decision is recorded in an audit trail kept for ${count(auditRetentionDays)} days, which auditors can search by person.`,
    ),
  ],
}

function contestBlocks(contests: readonly ContestCount[], names: ReadonlyMap<string, string>): Block[] {
  const total = (pick: (c: ContestCount) => number) => contests.reduce((sum, c) => sum + pick(c), 0)
  const received = total((c) => c.received)
  if (received === 0) return [paragraph('No representations or contests have been recorded yet.')]
  return [
    paragraph(
      `${received === 1 ? 'One representation or contest has' : `${count(received)} representations or contests have`} been recorded. ` +
        `Decisions upheld: ${count(total((c) => c.upheld))}; changed: ${count(total((c) => c.changed))}; waiting for a review: ${count(total((c) => c.open))}. ` +
        'Each is reviewed by someone who did not take the decision.',
    ),
    {
      kind: 'table',
      caption: 'Representations and contests, by rule and version',
      head: ['Rule', 'Version', 'Received', 'Upheld', 'Changed', 'Waiting', 'Days to outcome (middle value)'],
      rows: contests.map((c) => [
        names.get(c.taskType) ?? c.taskType,
        c.ruleSetVersion,
        count(c.received),
        count(c.upheld),
        count(c.changed),
        count(c.open),
        c.medianDaysToOutcome === null ? 'None decided yet' : count(c.medianDaysToOutcome),
      ]),
      numeric: [2, 3, 4, 5, 6],
    },
  ]
}

function ratesTable(rates: readonly DecisionRate[], names: ReadonlyMap<string, string>): Block {
  return {
    kind: 'table',
    caption: 'Decisions people made on each rule’s recommendations, by version of the rules',
    head: ['Rule', 'Version', 'Accepted', 'Rejected', 'Placed on hold', 'Share accepted'],
    rows: rates.map((r) => [
      names.get(r.taskType) ?? r.taskType,
      r.ruleSetVersion,
      count(r.accepted),
      count(r.rejected),
      count(r.onHold),
      percent(r.accepted, r.accepted + r.rejected + r.onHold),
    ]),
    numeric: [2, 3, 4, 5],
  }
}

/**
 * The sensitive data any rule reads, a row per kind of sensitivity: which
 * rule reads what is in each rule's model specification.
 */
function sensitiveTable(ruleSet: RuleSet): Block {
  const byKind = new Map<string, { category: string; why: string; labels: string[] }>()
  for (const field of ruleSet.rules.flatMap(fieldsReadBy)) {
    const sensitivity = sensitivityOf(field.name)
    if (!sensitivity?.sensitive) continue
    const key = `${sensitivity.category}: ${sensitivity.why}`
    const kind = byKind.get(key) ?? { category: sensitivity.category, why: sensitivity.why, labels: [] }
    if (!kind.labels.includes(field.label)) kind.labels.push(field.label)
    byKind.set(key, kind)
  }
  return {
    kind: 'table',
    caption: 'Sensitive data the rules read',
    head: ['Kind', 'Why', 'Data read'],
    rows: [...byKind.values()].map((kind) => [kind.category, kind.why, kind.labels.join(', ')]),
    numeric: [],
  }
}

function times(n: number): string {
  return n === 1 ? 'once' : `${count(n)} times`
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`
}

function monthWords(month: string): string {
  return formatLongDate(`${month}-01` as IsoDate).replace(/^1 /, '')
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
