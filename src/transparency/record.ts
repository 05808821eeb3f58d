/**
 * A transparency record in the shape of the ATRS (atrs.ts): the
 * organisation's entries where only people know the answer, the service's
 * own figures and rules where it knows better, each field under the
 * standard's reference and attribute name. A required field the
 * organisation has not filled in is left out of the record and listed in
 * `missing` — never shown as "N/A" — so the command can refuse to call the
 * record complete and the page can say what is still to come.
 */
import { formatLongDate, type IsoDate } from '../dates.ts'
import type { RuleSet } from '../rules/model.ts'
import {
  type AtrsField,
  type AtrsSection,
  DATA_AND_RISKS,
  METADATA,
  MODEL_SPECIFICATION,
  STANDARD_VERSION,
  TIER_1,
  TIER_2,
} from './atrs.ts'
import type { Block } from './blocks.ts'
import { modelBlocks } from './model-fields.ts'
import type { OrganisationEntries } from './organisation-file.ts'
import type { ServiceFacts } from './service-facts.ts'
import { type ServiceContext, serviceBlocks } from './service-fields.ts'

export type { Block } from './blocks.ts'

export interface RecordField {
  readonly ref: string
  readonly attribute: string
  readonly name: string
  readonly blocks: readonly Block[]
}

export interface RecordSection {
  /** A section of the standard, or one rule's model specification (repeated per rule). */
  readonly kind: 'standard' | 'model'
  readonly title: string
  readonly fields: readonly RecordField[]
}

export interface MissingField {
  readonly ref: string
  readonly attribute: string
  readonly name: string
}

export interface TransparencyRecord {
  readonly standardVersion: string
  /** The record's title (0.11), when the organisation has given one. */
  readonly title: string | undefined
  readonly summary: string | undefined
  readonly generatedOn: IsoDate
  readonly ruleSetVersion: string | null
  readonly sections: readonly RecordSection[]
  readonly missing: readonly MissingField[]
}

export interface RecordSources {
  readonly organisation: OrganisationEntries
  readonly facts: ServiceFacts
  /** Undefined while the rule set in force cannot be loaded. */
  readonly ruleSet: RuleSet | undefined
  readonly context: Omit<ServiceContext, 'facts' | 'ruleSet'>
}

export function transparencyRecord(sources: RecordSources): TransparencyRecord {
  const { organisation, facts, ruleSet, context } = sources
  const service: ServiceContext = { ...context, facts, ruleSet }
  const missing: MissingField[] = []
  const fieldOf = (field: AtrsField): RecordField | undefined => {
    const blocks = [
      ...(field.source === 'service' ? [] : organisationBlocks(field.attribute, organisation)),
      ...(field.source === 'organisation' ? [] : serviceBlocks(field.attribute, service)),
    ]
    if (blocks.length > 0) return { ref: field.ref, attribute: field.attribute, name: field.name, blocks }
    if (field.required) missing.push({ ref: field.ref, attribute: field.attribute, name: field.name })
    return undefined
  }
  const sectionOf = (section: AtrsSection): RecordSection => ({
    kind: 'standard',
    title: section.title,
    fields: section.fields.flatMap((field) => fieldOf(field) ?? []),
  })
  const models: RecordSection[] = (ruleSet?.rules ?? []).map((rule) => {
    const blocks = modelBlocks(rule, service)
    return {
      kind: 'model',
      title: `Model specification: ${rule.name}`,
      fields: MODEL_SPECIFICATION.map((field) => ({
        ref: field.ref,
        attribute: field.attribute,
        name: field.name,
        blocks: blocks[field.attribute] ?? [],
      })),
    }
  })
  const sections = [
    sectionOf(METADATA),
    sectionOf(TIER_1),
    ...TIER_2.map(sectionOf),
    ...models,
    ...DATA_AND_RISKS.map(sectionOf),
  ]
  return {
    standardVersion: STANDARD_VERSION,
    title: organisation.text('title'),
    summary: organisation.text('one_sentence_description'),
    generatedOn: context.today,
    ruleSetVersion: ruleSet?.version ?? null,
    sections,
    missing,
  }
}

function organisationBlocks(attribute: string, organisation: OrganisationEntries): Block[] {
  switch (attribute) {
    case 'tags':
      return organisation.tags.length > 0 ? [{ kind: 'list', items: organisation.tags }] : []
    case 'impact_assessment':
      return organisation.impactAssessments.flatMap((assessment): Block[] => [
        {
          kind: 'paragraph',
          text: assessment.completed_on
            ? `${assessment.name} (completed ${formatLongDate(assessment.completed_on as IsoDate)})`
            : assessment.name,
        },
        ...paragraphs(assessment.summary),
        ...(assessment.url
          ? [{ kind: 'link' as const, text: `Read the ${assessment.name}`, href: assessment.url }]
          : []),
      ])
    case 'risks_and_mitigations':
      return organisation.risks.length > 0
        ? [
            {
              kind: 'table',
              caption: 'Risks and how they are mitigated',
              head: ['Risk', 'Mitigation'],
              rows: organisation.risks.map((r) => [r.risk, r.mitigation]),
              numeric: [],
            },
          ]
        : []
    case 'date_of_completion': {
      const date = organisation.text(attribute)
      return date ? [{ kind: 'paragraph', text: formatLongDate(date as IsoDate) }] : []
    }
    case 'website_url':
    case 'source_data_url': {
      const href = organisation.text(attribute)
      return href ? [{ kind: 'link', text: href, href }] : []
    }
    default:
      return paragraphs(organisation.text(attribute) ?? '')
  }
}

/** Text with blank lines between paragraphs, as written in the reference file. */
export function paragraphs(text: string): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter((part) => part !== '')
    .map((part) => ({ kind: 'paragraph', text: part }))
}
