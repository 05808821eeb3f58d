/**
 * The transparency record made from the reference file, the service's
 * figures and the real rule set: the standard's fields in its order, gaps
 * listed and never filled with "N/A", the sensitive data the rules read
 * flagged, and the text formats keeping the file's text as text.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { before, describe, it } from 'node:test'
import { parse } from 'yaml'
import type { IsoDate } from '../../../src/dates.ts'
import { readReferenceData } from '../../../src/db/reference-data.ts'
import { ruleTaskTypes } from '../../../src/rules/live-rules.ts'
import { loadRuleSet } from '../../../src/rules/load.ts'
import type { RuleSet } from '../../../src/rules/model.ts'
import { type OrganisationEntries, organisationEntries } from '../../../src/transparency/organisation-file.ts'
import { type TransparencyRecord, transparencyRecord } from '../../../src/transparency/record.ts'
import type { ServiceFacts } from '../../../src/transparency/service-facts.ts'
import { recordAsJson, recordAsMarkdown } from '../../../src/transparency/text-formats.ts'
import { REFERENCE_DIR, RULES_DIR } from '../../support/database.ts'

const FACTS: ServiceFacts = {
  months: [{ month: '2026-11', recommended: 1200, accepted: 700, rejected: 250, onHold: 40, withdrawn: 90 }],
  rates: [
    { taskType: 'SAFEGUARDING', ruleSetVersion: 'abc123def456', accepted: 30, rejected: 10, onHold: 0 },
  ],
  contests: [
    {
      taskType: 'SAFEGUARDING',
      ruleSetVersion: 'abc123def456',
      received: 4,
      open: 1,
      upheld: 2,
      changed: 1,
      medianDaysToOutcome: 6,
    },
  ],
  ruleSets: [{ version: 'abc123def456', firstUsed: new Date('2026-06-02T05:00:00Z') }],
  personsHeld: 20_000,
  openRecommendations: 3_100,
  ruleRunsLast30Days: 30,
  importsLast30Days: { imports: 30, recordsRead: 600_000, rejected: 1_200 },
}

describe('the transparency record', () => {
  let ruleSet: RuleSet
  let demoFile: Record<string, unknown>

  before(async () => {
    const reference = await readReferenceData(REFERENCE_DIR)
    ruleSet = await loadRuleSet(RULES_DIR, { taskTypes: ruleTaskTypes(reference) })
    demoFile = parse(await readFile(join(REFERENCE_DIR, 'transparency.yaml'), 'utf8'))
  })

  function entries(data: unknown): OrganisationEntries {
    const file = organisationEntries(data, 'transparency.yaml')
    assert.ok(file.ok, file.ok ? '' : file.problems.join('\n'))
    return file.entries
  }

  function recordOf(
    data: unknown,
    loaded: { ruleSet: RuleSet | undefined } = { ruleSet },
  ): TransparencyRecord {
    return transparencyRecord({
      organisation: entries(data),
      facts: FACTS,
      ruleSet: loaded.ruleSet,
      context: {
        today: '2026-12-05' as IsoDate,
        taskTypeNames: new Map([['SAFEGUARDING', 'Safeguarding referral']]),
        auditRetentionDays: 730,
      },
    })
  }

  const fieldsOf = (record: TransparencyRecord) => record.sections.flatMap((s) => s.fields)
  const textOf = (record: TransparencyRecord, attribute: string) =>
    JSON.stringify(fieldsOf(record).find((f) => f.attribute === attribute)?.blocks ?? [])

  it('is complete from the demo file: every required field filled, in the standard’s order', () => {
    const record = recordOf(demoFile)
    assert.deepEqual(record.missing, [])
    const refs = fieldsOf(record).map((f) => f.ref)
    assert.equal(refs[0], '0.3')
    assert.ok(refs.indexOf('1.4') < refs.indexOf('2.1.1'))
    assert.ok(refs.indexOf('2.4.1.4') < refs.indexOf('2.4.2.1'))
    assert.ok(refs.lastIndexOf('2.4.2.9') < refs.indexOf('2.4.3.1'))
    assert.equal(refs.at(-1), '2.5.2')
  })

  it('writes one model specification per rule, from the rule itself', () => {
    const record = recordOf(demoFile)
    const models = record.sections.filter((s) => s.kind === 'model')
    assert.equal(models.length, ruleSet.rules.length)
    const safeguarding = models.find((s) => s.title.endsWith('Safeguarding referral'))
    assert.ok(safeguarding)
    const performance = JSON.stringify(safeguarding.fields.find((f) => f.attribute === 'model_performance'))
    assert.match(performance, /"abc123def456","30","10","0","75%"/)
    const input = JSON.stringify(safeguarding.fields.find((f) => f.attribute === 'model_input'))
    assert.match(input, /Vulnerability indicators: response recorded \(sensitive\)/)
  })

  it('flags the sensitive data the rules read, and says the rules cannot read nationality or gender', () => {
    const sensitive = textOf(recordOf(demoFile), 'sensitive_attributes')
    assert.match(sensitive, /cannot read nationality, gender or ethnicity/)
    assert.match(
      sensitive,
      /"Protected characteristic","Pregnancy and maternity is a protected characteristic, and it is health data.","Pregnant"/,
    )
    assert.match(sensitive, /Criminal offence data/)
    assert.doesNotMatch(sensitive, /Reporting type/, 'a field that is not sensitive is not listed')
  })

  it('puts the service’s figures in the usage and review fields', () => {
    const record = recordOf(demoFile)
    assert.match(
      textOf(record, 'frequency_and_scale_of_usage'),
      /"November 2026","1,200","700","250","40","90"/,
    )
    assert.match(textOf(record, 'frequency_and_scale_of_usage'), /holds 20,000 people’s cases/)
    assert.match(
      textOf(record, 'human_decisions_and_review'),
      /"Safeguarding referral","abc123def456","30","10","0","75%"/,
    )
    assert.match(
      textOf(record, 'data_completeness_and_representativeness'),
      /1,200 of 600,000 records read \(0%\)/,
    )
    const appeals = textOf(record, 'appeals_and_review')
    assert.match(appeals, /can make representations about any decision/, 'the organisation’s words first')
    assert.match(
      appeals,
      /4 representations or contests have been recorded. Decisions upheld: 2; changed: 1; waiting for a review: 1\./,
    )
    assert.match(appeals, /"Safeguarding referral","abc123def456","4","2","1","1","6"/)
    assert.match(textOf(record, 'maintenance'), /"abc123def456","2 June 2026"/)
  })

  it('lists a required field left out or blank as missing, and shows neither it nor "N/A"', () => {
    const { senior_responsible_owner: _, ...withoutOwner } = demoFile
    const record = recordOf({ ...withoutOwner, team: '   ', risks_and_mitigations: [] })
    assert.deepEqual(
      record.missing.map((m) => m.attribute),
      ['team', 'senior_responsible_owner', 'risks_and_mitigations'],
    )
    const attributes = fieldsOf(record).map((f) => f.attribute)
    assert.ok(!attributes.includes('senior_responsible_owner') && !attributes.includes('team'))
    const markdown = recordAsMarkdown(record)
    assert.doesNotMatch(markdown, /N\/A/)
    assert.match(markdown, /## Not yet provided[\s\S]*2\.1\.3 Senior responsible owner/)
    assert.deepEqual(recordAsJson(record).missing, [
      'team',
      'senior_responsible_owner',
      'risks_and_mitigations',
    ])
  })

  it('still makes a record while the rule set cannot be loaded, without the rules', () => {
    const record = recordOf(demoFile, { ruleSet: undefined })
    assert.equal(record.ruleSetVersion, null)
    assert.equal(record.sections.filter((s) => s.kind === 'model').length, 0)
    assert.deepEqual(
      record.missing.map((m) => m.attribute),
      ['models'],
      'the list of models is missing until the rules load again',
    )
  })

  it('keys the JSON by the standard’s attribute names, one object per model', () => {
    const json = recordAsJson(recordOf(demoFile))
    assert.equal(json.standard_version, '3.0')
    assert.equal(json.fields.contact_email, 'ipic-transparency@example.gov.uk')
    assert.equal(json.fields.organisation_or_department, 'Home Office')
    assert.equal(json.models.length, ruleSet.rules.length)
    assert.deepEqual(Object.keys(json.models[0] ?? {}).slice(0, 2), ['model_name', 'model_version'])
  })

  it('keeps markup from the file as text in Markdown', () => {
    const markdown = recordAsMarkdown(
      recordOf({ ...demoFile, team: '<script>alert(1)</script> *team* [x](javascript:y)' }),
    )
    assert.match(markdown, /\\<script\\>alert\(1\)\\<\/script\\> \\\*team\\\* \\\[x\\\]\(javascript:y\)/)
  })
})
