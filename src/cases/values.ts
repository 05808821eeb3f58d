/**
 * The coded values a case record may hold, with the words shown on pages.
 * These are the extract's vocabulary (what the source system sends), so they
 * live in code; lists a team may change (regions, centres, countries, task
 * types, rejection reasons) are reference data in reference/.
 */
function labelled<const T extends Record<string, string>>(labels: T) {
  return { codes: Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]], labels }
}

export const GENDER = labelled({ M: 'Male', F: 'Female', X: 'Other', U: 'Unknown' })
export const RED_NOTICE = labelled({
  NONE: 'None',
  SUBJECT: 'Subject of a red notice',
  UNVERIFIED: 'Unverified',
})
export const CASE_TYPE = labelled({
  ASYLUM: 'Asylum',
  NON_ASYLUM: 'Non-asylum',
  FNO: 'Foreign national offender',
})
export const IMMIGRATION_STATUS = labelled({
  ASYLUM_CLAIM_PENDING: 'Asylum claim pending',
  APPEAL_PENDING: 'Appeal pending',
  APPEAL_RIGHTS_EXHAUSTED: 'Appeal rights exhausted',
  OVERSTAYER: 'Overstayer',
  ILLEGAL_ENTRANT: 'Illegal entrant',
  LEAVE_CURTAILED: 'Leave curtailed',
  DEPORTATION_ORDER_SIGNED: 'Deportation order signed',
})
export const TRAVEL_DOCUMENT = labelled({
  VALID_PASSPORT: 'Valid passport',
  EXPIRED_PASSPORT: 'Expired passport',
  EMERGENCY_TRAVEL_DOCUMENT: 'Emergency travel document',
  NONE: 'None',
})
export const DOCUMENT_HOLDER = labelled({
  HOME_OFFICE: 'Home Office',
  PERSON: 'The person',
  THIRD_PARTY: 'A third party',
})
export const ETD_STATUS = labelled({
  NOT_STARTED: 'Not started',
  APPLIED: 'Applied',
  INTERVIEW_PENDING: 'Interview pending',
  AGREED: 'Agreed',
  ISSUED: 'Issued',
  REFUSED: 'Refused',
  EXPIRED: 'Expired',
})
export const IDENTITY_STATUS = labelled({
  VERIFIED: 'Verified',
  ACCEPTED_UNVERIFIED: 'Accepted, not verified',
  DISPUTED: 'Disputed',
  UNKNOWN: 'Unknown',
})
export const REPORTING_TYPE = labelled({ IN_PERSON: 'In person', TELEPHONE: 'Telephone', DIGITAL: 'Digital' })
export const REPORTING_FREQUENCY = labelled({
  TWICE_WEEKLY: 'Twice weekly',
  WEEKLY: 'Weekly',
  FORTNIGHTLY: 'Fortnightly',
  MONTHLY: 'Monthly',
  TWO_MONTHLY: 'Every two months',
  QUARTERLY: 'Quarterly',
  SIX_MONTHLY: 'Six-monthly',
})
export const COMPLIANCE = labelled({
  COMPLIANT: 'Compliant',
  FAILED_TO_REPORT: 'Failed to report',
  OUT_OF_CONTACT: 'Out of contact',
  ABSCONDER: 'Absconder',
})
export const WHEREABOUTS = labelled({
  KNOWN: 'Known',
  HOSPITAL: 'In hospital',
  CUSTODY: 'In custody',
  LEFT_UK: 'Left the UK',
  UNKNOWN: 'Unknown',
})
export const ELECTRONIC_MONITORING = labelled({
  NONE: 'None',
  TAG: 'Tag',
  NON_FITTED_DEVICE: 'Non-fitted device',
})
export const BARRIER_TYPE = labelled({
  ASYLUM_CLAIM: 'Asylum claim',
  HUMAN_RIGHTS_CLAIM: 'Human rights claim',
  APPEAL: 'Appeal',
  JUDICIAL_REVIEW: 'Judicial review',
  FURTHER_SUBMISSIONS: 'Further submissions',
  OUTSTANDING_APPLICATION: 'Outstanding application',
  TRAFFICKING_REFERRAL_PENDING: 'Trafficking referral pending',
  NO_TRAVEL_DOCUMENT: 'No travel document',
  NO_RETURNS_ROUTE: 'No returns route',
  MEDICALLY_UNFIT: 'Medically unfit',
  INJUNCTION: 'Injunction',
})
export const HARM_LEVEL = labelled({ HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low', NONE: 'None' })
export const OFFENCE_CATEGORY = labelled({
  VIOLENCE: 'Violence against the person',
  SEXUAL: 'Sexual offences',
  ROBBERY: 'Robbery',
  THEFT: 'Theft',
  DRUGS: 'Drug offences',
  WEAPONS: 'Possession of weapons',
  PUBLIC_ORDER: 'Public order offences',
  FRAUD: 'Fraud',
  IMMIGRATION: 'Immigration offences',
  MOTORING: 'Motoring offences',
  OTHER: 'Other offences',
})
export const RELATIONSHIP = labelled({
  SINGLE: 'Single',
  MARRIED: 'Married or civil partnership',
  PARTNER: 'Living with a partner',
  SEPARATED: 'Separated or divorced',
  WIDOWED: 'Widowed',
  UNKNOWN: 'Unknown',
})
export const NRM_STATUS = labelled({
  NONE: 'No referral',
  PENDING: 'Referral pending',
  POSITIVE_REASONABLE_GROUNDS: 'Positive reasonable grounds',
  POSITIVE_CONCLUSIVE_GROUNDS: 'Positive conclusive grounds',
  NEGATIVE: 'Negative decision',
})
export const VULNERABILITY_INDICATOR = labelled({
  MENTAL_HEALTH: 'Mental health condition',
  PHYSICAL_HEALTH: 'Serious physical health condition',
  DISABILITY: 'Disability',
  TORTURE_VICTIM: 'Victim of torture',
  SEXUAL_VIOLENCE_VICTIM: 'Victim of sexual or gender-based violence',
  MODERN_SLAVERY: 'Possible victim of modern slavery',
  ELDERLY: 'Elderly',
  LGBT: 'LGBTQ+ and at risk',
  OTHER: 'Other vulnerability',
})
