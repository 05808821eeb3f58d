import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { RECORD_TODAY, validCaseRecord } from '../support/case-record.ts'

const CLI = resolve(import.meta.dirname, '../../src/cli.ts')

/** Runs `ipic` on its own embedded database, as a person at a terminal would (but with pipes). */
function ipic(
  args: string[],
  dataDir: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { DATABASE_URL: _, ...env } = process.env
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        ...env,
        IPIC_DATA_DIR: dataDir,
        IPIC_TODAY: RECORD_TODAY,
        LOG_LEVEL: 'silent',
        IPIC_DEMO: '0',
        ...extraEnv,
      },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', fail)
    child.on('exit', (code) => done({ code, stdout, stderr }))
  })
}

describe('ipic import', () => {
  let folder: string
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ipic-import-command-'))
  })
  after(() => rm(folder, { recursive: true, force: true }))

  it('explains a missing file in one line and exits non-zero', async () => {
    const file = join(folder, 'missing.ndjson')
    const result = await ipic(['import', file, '--no-rules'], join(folder, 'data'))
    assert.equal(result.code, 1)
    assert.equal(result.stderr, `ipic: ${file} cannot be read: there is no such file\n`)
    assert.equal(result.stdout, '')
  })

  it('exits non-zero, naming the rejects file, when every line is rejected', async () => {
    const file = join(folder, 'all-bad.ndjson')
    await writeFile(file, 'not json\n{}\n')
    const result = await ipic(['import', file, '--no-rules'], join(folder, 'data'))
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      `ipic: ${file} holds no valid record: all 2 lines were rejected (see ${file}.rejects.ndjson); nothing was imported\n`,
    )
    assert.equal(result.stdout, '')
  })

  it('exits non-zero for an empty file', async () => {
    const file = join(folder, 'empty.ndjson')
    await writeFile(file, '')
    const result = await ipic(['import', file, '--no-rules'], join(folder, 'data'))
    assert.equal(result.code, 1)
    assert.equal(result.stderr, `ipic: ${file} is empty: nothing was imported\n`)
  })

  it('refuses a full import that would mark most persons absent, unless --allow-mass-absence is given', async () => {
    const data = join(folder, 'absence-data')
    const whole = join(folder, 'whole.ndjson')
    const cut = join(folder, 'cut.ndjson')
    const lines = ['P0001', 'P0002', 'P0003', 'P0004'].map((id) => JSON.stringify(validCaseRecord(id)))
    await writeFile(whole, `${lines.join('\n')}\n`)
    await writeFile(cut, `${lines[0]}\n`)
    assert.equal((await ipic(['import', whole, '--full', '--no-rules'], data)).code, 0)

    const refused = await ipic(['import', cut, '--full'], data)
    assert.equal(refused.code, 1)
    assert.match(
      refused.stderr,
      /^ipic: .*cut\.ndjson: as a full extract it would mark 3 of the 4 persons present \(75%\) as no longer present/,
    )
    assert.equal(refused.stdout, '', 'no summary, and no rule run after the refusal')

    const allowed = await ipic(['import', cut, '--full', '--allow-mass-absence', '--no-rules'], data)
    assert.equal(allowed.code, 0, allowed.stderr)
    assert.match(allowed.stdout, /Marked absent: +3\n/)
  })

  it('refuses --allow-mass-absence without --full', async () => {
    const result = await ipic(
      ['import', join(folder, 'x.ndjson'), '--allow-mass-absence'],
      join(folder, 'data'),
    )
    assert.equal(result.code, 1)
    assert.equal(result.stderr, 'ipic: --allow-mass-absence applies only to a full import: add --full\n')
  })

  it('prints the summary on stdout, naming the rejects file', async () => {
    const file = join(folder, 'extract.ndjson')
    await writeFile(file, `${JSON.stringify(validCaseRecord('P0001'))}\nnot json\n`)
    const result = await ipic(['import', file, '--no-rules'], join(folder, 'data'))
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^Import \d+ finished in [\d.]+ s \([\d,]+ records\/s\)\n/)
    assert.match(
      result.stdout,
      /\n {2}Read: +2\n {2}Inserted: +1\n {2}Updated: +0\n {2}Unchanged: +0\n {2}Rejected: +1\n/,
    )
    assert.match(result.stdout, /Marked absent: +0\n/)
    assert.ok(result.stdout.endsWith(`Rejected records and their problems: ${file}.rejects.ndjson\n`))
    assert.equal(result.stderr, '', 'no progress line when stderr is not a terminal')
  })

  it('runs no rules after an import when IPIC_RUN_RULES_AFTER_IMPORT=false', async () => {
    const file = join(folder, 'no-run.ndjson')
    await writeFile(file, `${JSON.stringify(validCaseRecord('P0002'))}\n`)
    // No rule set is published on this database: a run would be refused, and the import with it.
    const result = await ipic(['import', file], join(folder, 'data'), {
      IPIC_RUN_RULES_AFTER_IMPORT: 'false',
    })
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Inserted: +1\n/)
    assert.doesNotMatch(result.stdout, /rule run|Rule run/i)
  })
})
