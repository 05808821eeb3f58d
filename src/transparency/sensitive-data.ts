/**
 * Which parts of the case record are sensitive, and why: the transparency
 * record lists the fields the rules read with these flagged, so that anyone
 * can see, for example, that a rule reads health data about vulnerability.
 *
 * Every field the rule language can read is personal data; these are the
 * ones that are more than that — special category data (UK GDPR Article 9),
 * criminal offence data (Article 10), a protected characteristic under the
 * Equality Act 2010 or a likely proxy for one, or data about children.
 * Keyed by the field's name or its group (the part before the first dot), so
 * that a field added to a group is classified with it; a test checks that
 * every field in the catalogue is classified one way or the other.
 */

export type Sensitivity =
  | { readonly sensitive: false }
  | { readonly sensitive: true; readonly category: SensitiveCategory; readonly why: string }

export type SensitiveCategory =
  | 'Protected characteristic'
  | 'Special category data'
  | 'Criminal offence data'
  | 'Data about children'

const NOT_SENSITIVE: Sensitivity = { sensitive: false }

function sensitive(category: SensitiveCategory, why: string): Sensitivity {
  return { sensitive: true, category, why }
}

const AGE = sensitive('Protected characteristic', 'Age is a protected characteristic.')
const OFFENCES = sensitive(
  'Criminal offence data',
  'Convictions, sentences and the risk of harm they indicate.',
)
const HEALTH = sensitive('Special category data', 'Vulnerability, mental and physical health.')

/** By exact field name first, then by group; anything not listed here is refused by the test. */
const BY_FIELD: Readonly<Record<string, Sensitivity>> = {
  'person.dateOfBirth': AGE,
  'person.age': AGE,
  'person.ageDisputed': AGE,
  'person.redNotice': sensitive('Criminal offence data', 'An Interpol red notice is an allegation of crime.'),
  'vulnerability.pregnant': sensitive(
    'Protected characteristic',
    'Pregnancy and maternity is a protected characteristic, and it is health data.',
  ),
  'vulnerability.nrmStatus': sensitive(
    'Special category data',
    'A referral as a possible victim of modern slavery or trafficking.',
  ),
  'children.dateOfBirth': sensitive('Data about children', 'The person’s children.'),
  'children.age': sensitive('Data about children', 'The person’s children.'),
}

const BY_GROUP: Readonly<Record<string, Sensitivity>> = {
  person: NOT_SENSITIVE,
  documentation: NOT_SENSITIVE,
  reporting: NOT_SENSITIVE,
  harm: OFFENCES,
  family: sensitive(
    'Data about children',
    'Family relationships, including whether the person cares for children.',
  ),
  vulnerability: HEALTH,
  barriers: sensitive(
    'Special category data',
    'A barrier to removal may be a medical or protection claim, which can reveal health or beliefs.',
  ),
  offences: OFFENCES,
  children: sensitive('Data about children', 'The person’s children.'),
  vulnerabilityIndicators: HEALTH,
  referrals: sensitive(
    'Special category data',
    'Safeguarding and other referrals may reveal health or vulnerability.',
  ),
}

/** How sensitive a field is; undefined for a field nobody has classified (a test stops that). */
export function sensitivityOf(fieldName: string): Sensitivity | undefined {
  const group = fieldName.split('.')[0] ?? fieldName
  return BY_FIELD[fieldName] ?? BY_GROUP[group]
}
