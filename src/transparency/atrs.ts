/**
 * The fields of an Algorithmic Transparency Recording Standard (ATRS)
 * record, version 3.0, in the standard's order, under the standard's own
 * reference numbers and attribute names, so a record this service produces
 * can be laid beside published ones field by field.
 *
 * Each field says who fills it in:
 * - `organisation`: only people know it (who owns the tool, the impact
 *   assessments, the contact address); it comes from the reference file
 *   (organisation-file.ts);
 * - `service`: the running service knows it better than anyone (the rules,
 *   the fields they read, the volumes, the decision rates), so it is
 *   generated and cannot go stale;
 * - `both`: generated, with the organisation's words first where given.
 *
 * Left out on purpose: the record's ID (given when the record is published)
 * and its archive date (a live service is not archived). The model
 * specification (2.4.2) repeats for each rule, as the standard repeats it
 * for each model.
 */

export type FieldSource = 'organisation' | 'service' | 'both'

export interface AtrsField {
  readonly ref: string
  readonly attribute: string
  readonly name: string
  readonly required: boolean
  readonly source: FieldSource
}

export interface AtrsSection {
  readonly title: string
  readonly fields: readonly AtrsField[]
}

function field(
  ref: string,
  attribute: string,
  name: string,
  source: FieldSource,
  required = true,
): AtrsField {
  return { ref, attribute, name, required, source }
}

export const STANDARD_VERSION = '3.0'

export const METADATA: AtrsSection = {
  title: 'Metadata and title information',
  fields: [
    field('0.3', 'organisation_type', 'Organisation type', 'organisation'),
    field('0.4', 'function', 'Function', 'organisation'),
    field('0.5', 'capability', 'Capability', 'organisation'),
    field('0.6', 'task', 'Task', 'organisation'),
    field('0.7', 'tags', 'Tags', 'organisation'),
    field('0.8', 'date_of_completion', 'Date of completion', 'organisation'),
    field('0.9', 'date_updated', 'Date updated', 'service'),
    field('0.11', 'title', 'Title', 'organisation'),
    field('0.12', 'organisation_name', 'Organisation name', 'organisation'),
    field('0.13', 'phase', 'Phase', 'organisation'),
    field('0.14', 'region', 'Region', 'organisation'),
    field('0.15', 'one_sentence_description', 'One sentence description', 'organisation'),
  ],
}

export const TIER_1: AtrsSection = {
  title: 'Tier 1: overview',
  fields: [
    field('1.1', 'name', 'Name', 'organisation'),
    field('1.2', 'description', 'Description', 'organisation'),
    field('1.3', 'website_url', 'Website URL', 'organisation'),
    field('1.4', 'contact_email', 'Contact email', 'organisation'),
  ],
}

export const TIER_2: readonly AtrsSection[] = [
  {
    title: 'Owner and responsibility',
    fields: [
      field('2.1.1', 'organisation_or_department', 'Organisation or department', 'organisation'),
      field('2.1.2', 'team', 'Team', 'organisation'),
      field('2.1.3', 'senior_responsible_owner', 'Senior responsible owner', 'organisation'),
      field('2.1.4', 'external_supplier_involvement', 'External supplier involvement', 'organisation'),
      field('2.1.4.1', 'external_supplier', 'External supplier', 'organisation', false),
      field('2.1.4.2', 'companies_house_number', 'Companies House Number', 'organisation', false),
      field('2.1.4.3', 'external_supplier_role', 'External supplier role', 'organisation', false),
      field('2.1.4.4', 'procurement_procedure_type', 'Procurement procedure type', 'organisation', false),
      field('2.1.4.5', 'data_access_terms', 'Data access terms', 'organisation', false),
    ],
  },
  {
    title: 'Description and rationale',
    fields: [
      field('2.2.1', 'detailed_description', 'Detailed description', 'service', false),
      field('2.2.2', 'scope', 'Scope', 'organisation'),
      field('2.2.3', 'benefit', 'Benefit', 'organisation'),
      field('2.2.4', 'previous_process', 'Previous process', 'organisation', false),
      field('2.2.5', 'alternatives_considered', 'Alternatives considered', 'organisation', false),
    ],
  },
  {
    title: 'Decision-making process',
    fields: [
      field('2.3.1', 'process_integration', 'Process integration', 'organisation'),
      field('2.3.2', 'provided_information', 'Provided information', 'service'),
      field('2.3.3', 'frequency_and_scale_of_usage', 'Frequency and scale of usage', 'service'),
      field('2.3.4', 'human_decisions_and_review', 'Human decisions and review', 'both'),
      field('2.3.5', 'required_training', 'Required training', 'organisation'),
      field('2.3.6', 'appeals_and_review', 'Appeals and review', 'both', false),
    ],
  },
  {
    title: 'Tool specification',
    fields: [
      field('2.4.1.1', 'system_architecture', 'System architecture', 'service'),
      field('2.4.1.2', 'phase', 'Phase', 'organisation'),
      field('2.4.1.3', 'maintenance', 'Maintenance', 'both'),
      field('2.4.1.4', 'models', 'Models', 'service'),
    ],
  },
]

/** Repeated for each rule: the rules are the tool's models. */
export const MODEL_SPECIFICATION: readonly AtrsField[] = [
  field('2.4.2.1', 'model_name', 'Model name', 'service'),
  field('2.4.2.2', 'model_version', 'Model version', 'service'),
  field('2.4.2.3', 'model_task', 'Model task', 'service'),
  field('2.4.2.4', 'model_input', 'Model input', 'service'),
  field('2.4.2.5', 'model_output', 'Model output', 'service'),
  field('2.4.2.6', 'model_architecture', 'Model architecture', 'service'),
  field('2.4.2.7', 'model_performance', 'Model performance', 'service'),
  field('2.4.2.8', 'datasets', 'Datasets', 'service'),
  field('2.4.2.9', 'dataset_purposes', 'Dataset purposes', 'service'),
]

export const DATA_AND_RISKS: readonly AtrsSection[] = [
  {
    title: 'Data specification',
    fields: [
      field('2.4.3.1', 'source_data_name', 'Source data name', 'organisation'),
      field('2.4.3.2', 'data_modality', 'Data modality', 'service'),
      field('2.4.3.3', 'data_description', 'Data description', 'service'),
      field('2.4.3.4', 'data_quantities', 'Data quantities', 'service'),
      field('2.4.3.5', 'sensitive_attributes', 'Sensitive attributes', 'service'),
      field(
        '2.4.3.6',
        'data_completeness_and_representativeness',
        'Data completeness and representativeness',
        'both',
      ),
      field('2.4.3.7', 'source_data_url', 'Source data URL', 'organisation'),
      field('2.4.3.8', 'data_collection', 'Data collection', 'organisation'),
      field('2.4.3.9', 'data_cleaning', 'Data cleaning', 'service', false),
      field('2.4.3.10', 'data_sharing_agreements', 'Data sharing agreements', 'organisation'),
      field('2.4.3.11', 'data_access_and_storage', 'Data access and storage', 'both'),
    ],
  },
  {
    title: 'Risks, mitigations and impact assessments',
    fields: [
      field('2.5.1', 'impact_assessment', 'Impact assessment', 'organisation'),
      field('2.5.2', 'risks_and_mitigations', 'Risks and mitigations', 'organisation'),
    ],
  },
]

const EVERY_FIELD = [METADATA, TIER_1, ...TIER_2, ...DATA_AND_RISKS].flatMap((section) => section.fields)

/** Every field the organisation may write in the reference file, by attribute. */
export const ORGANISATION_FIELDS: ReadonlyMap<string, AtrsField> = new Map(
  EVERY_FIELD.filter((f) => f.source !== 'service').map((f) => [f.attribute, f]),
)

/** The fields only the service writes: the reference file may not set them. */
export const SERVICE_FIELDS: ReadonlySet<string> = new Set(
  [...EVERY_FIELD, ...MODEL_SPECIFICATION].filter((f) => f.source === 'service').map((f) => f.attribute),
)
