/**
 * The part of the transparency record only people know — who owns the
 * tool, its scope and benefit, the impact assessments, where to write — in
 * `transparency.yaml` in the reference directory, one entry per ATRS field
 * under the standard's attribute name (atrs.ts). Read each time a record is
 * made, so an edit shows without a restart.
 *
 * A field left out or left blank is not a problem here: it is reported as
 * missing by the record (record.ts), which is how a half-finished record is
 * seen. What is a problem: a field the standard does not have, a field the
 * service fills in itself, a value of the wrong kind, an address that is not
 * one, text over the limit — each named with where it is.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { parseYamlText } from '../yaml/parse.ts'
import { readYamlFile } from '../yaml/read-file.ts'
import { ORGANISATION_FIELDS, SERVICE_FIELDS } from './atrs.ts'

export const TRANSPARENCY_FILE = 'transparency.yaml'

/** Long enough for any field of a published record; short enough to stop a pasted document. */
export const FIELD_MAX_CHARACTERS = 5000

const text = z
  .string({ error: 'must be text' })
  .max(FIELD_MAX_CHARACTERS, `must be ${FIELD_MAX_CHARACTERS.toLocaleString('en-GB')} characters or fewer`)
  .transform((value) => value.trim())
const shortText = z.string({ error: 'must be text' }).trim().max(200, 'must be 200 characters or fewer')
const webAddress = z
  .url({ protocol: /^https$/, error: 'must be a web address starting https://' })
  .max(500, 'must be 500 characters or fewer')
const emailAddress = z.email({ error: 'must be an email address, like team@department.gov.uk' })
const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' })

const impactAssessment = z.strictObject({
  name: shortText.min(1, 'must name the assessment'),
  completed_on: isoDate.optional(),
  summary: text,
  url: webAddress.optional(),
})

const riskAndMitigation = z.strictObject({
  risk: text.pipe(z.string().min(1, 'must say what the risk is')),
  mitigation: text.pipe(z.string().min(1, 'must say how the risk is mitigated')),
})

/** The kinds of value the fields take; any field not named here is free text. */
const SPECIAL: Readonly<Record<string, z.ZodType>> = {
  tags: z.array(shortText, { error: 'must be a list of tags' }).max(20, 'must be 20 tags or fewer'),
  date_of_completion: isoDate,
  website_url: webAddress,
  source_data_url: webAddress,
  contact_email: emailAddress,
  impact_assessment: z.array(impactAssessment, { error: 'must be a list of assessments' }),
  risks_and_mitigations: z.array(riskAndMitigation, { error: 'must be a list of risks and mitigations' }),
}

const schema = z.strictObject(
  Object.fromEntries(
    [...ORGANISATION_FIELDS.keys()].map((name) => [name, (SPECIAL[name] ?? text).optional()]),
  ),
)

export type ImpactAssessment = z.output<typeof impactAssessment>
export type RiskAndMitigation = z.output<typeof riskAndMitigation>

export interface OrganisationEntries {
  readonly text: (attribute: string) => string | undefined
  readonly tags: readonly string[]
  readonly impactAssessments: readonly ImpactAssessment[]
  readonly risks: readonly RiskAndMitigation[]
}

export type OrganisationFile =
  | { readonly ok: true; readonly entries: OrganisationEntries }
  | { readonly ok: false; readonly path: string; readonly problems: readonly string[] }

export async function readOrganisationFile(referenceDir: string): Promise<OrganisationFile> {
  const path = join(referenceDir, TRANSPARENCY_FILE)
  const read = await readYamlFile(path)
  if (!read.ok) return { ok: false, path, problems: [`the file ${read.message}`] }
  const parsed = parseYamlText(read.text)
  if (!parsed.ok) {
    const problems = parsed.problems.map(({ at, message }) =>
      'line' in at ? `line ${at.line}, column ${at.column}: ${message}` : `${at.join('.')}: ${message}`,
    )
    return { ok: false, path, problems }
  }
  return organisationEntries(parsed.value ?? {}, path)
}

/** Checks the file's data; exported for the unit tests. */
export function organisationEntries(data: unknown, path: string): OrganisationFile {
  const result = schema.safeParse(data)
  if (!result.success) return { ok: false, path, problems: result.error.issues.map(describeIssue) }
  const values = result.data as Record<string, unknown>
  return {
    ok: true,
    entries: {
      text: (attribute) => {
        const value = values[attribute]
        return typeof value === 'string' && value !== '' ? value : undefined
      },
      tags: (values.tags as string[] | undefined) ?? [],
      impactAssessments: (values.impact_assessment as ImpactAssessment[] | undefined) ?? [],
      risks: (values.risks_and_mitigations as RiskAndMitigation[] | undefined) ?? [],
    },
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${[...issue.path, key].join('.')}: ${unknownField(key)}`).join('; ')
  }
  if (issue.code === 'invalid_type' && issue.path.length === 0)
    return 'the file must be a list of fields and values'
  return `${issue.path.join('.')}: ${issue.message}`
}

function unknownField(key: string): string {
  if (SERVICE_FIELDS.has(key))
    return 'the service writes this field itself from its own data: remove it from the file'
  return 'the transparency record has no such field (fields are named as in the Algorithmic Transparency Recording Standard, like contact_email)'
}
