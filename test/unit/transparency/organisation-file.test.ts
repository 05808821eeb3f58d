/**
 * The reference file's checks: each problem named with where it is, and a
 * missing field left for the record to report rather than refused here.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import {
  FIELD_MAX_CHARACTERS,
  organisationEntries,
  readOrganisationFile,
} from '../../../src/transparency/organisation-file.ts'

function problems(data: unknown): readonly string[] {
  const file = organisationEntries(data, 'transparency.yaml')
  return file.ok ? [] : file.problems
}

describe('the transparency reference file', () => {
  it('accepts a file with only some fields: the gaps are the record’s to report', () => {
    assert.deepEqual(problems({ team: 'Reporting' }), [])
    assert.deepEqual(problems({}), [])
  })

  it('names a field the standard does not have, and one the service writes itself', () => {
    assert.deepEqual(problems({ contact_emial: 'a@b.gov.uk', models: 'x' }), [
      'contact_emial: the transparency record has no such field (fields are named as in the Algorithmic Transparency Recording Standard, like contact_email); models: the service writes this field itself from its own data: remove it from the file',
    ])
  })

  it('refuses a value of the wrong kind, a bad address and a date that does not exist', () => {
    assert.deepEqual(
      problems({
        team: 42,
        contact_email: 'not an email',
        website_url: 'http://example.gov.uk',
        date_of_completion: '2026-02-31',
        tags: 'immigration',
      }).toSorted(),
      [
        'contact_email: must be an email address, like team@department.gov.uk',
        'date_of_completion: must be a date written YYYY-MM-DD',
        'tags: must be a list of tags',
        'team: must be text',
        'website_url: must be a web address starting https://',
      ],
    )
  })

  it('refuses text over the limit, and an impact assessment or risk missing its parts', () => {
    assert.deepEqual(problems({ benefit: 'x'.repeat(FIELD_MAX_CHARACTERS + 1) }), [
      'benefit: must be 5,000 characters or fewer',
    ])
    assert.deepEqual(
      problems({
        impact_assessment: [{ summary: 'no name' }],
        risks_and_mitigations: [{ risk: 'A risk', mitigation: ' ' }],
      }),
      [
        'impact_assessment.0.name: must be text',
        'risks_and_mitigations.0.mitigation: must say how the risk is mitigated',
      ],
    )
  })

  it('refuses a file that is not a list of fields, or not YAML, saying where', async () => {
    assert.deepEqual(problems(['a', 'b']), ['the file must be a list of fields and values'])
    const dir = await mkdtemp(join(tmpdir(), 'ipic-transparency-file-'))
    try {
      await writeFile(join(dir, 'transparency.yaml'), 'team: [unclosed\n')
      const file = await readOrganisationFile(dir)
      assert.ok(!file.ok)
      assert.match(file.problems[0] ?? '', /^line \d+, column \d+: /)
      const absent = await readOrganisationFile(join(dir, 'nowhere'))
      assert.ok(!absent.ok)
      assert.match(absent.problems[0] ?? '', /^the file /)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
