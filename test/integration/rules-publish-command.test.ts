/**
 * `ipic rules publish` and `ipic rules simulate --format json` as an
 * operator runs them: each bad input refused in one clear message with
 * nothing stored, then a publication, its repetition, and the run that it
 * lets through. On the embedded database of a data directory of its own.
 */
import assert from 'node:assert/strict'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openDatabase } from '../../src/db/connect.ts'
import { RULES_DIR } from '../support/database.ts'
import { runIpic } from '../support/ipic-command.ts'

describe('ipic rules publish', () => {
  let scratch: string
  let env: NodeJS.ProcessEnv

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ipic-publish-command-'))
    env = {
      IPIC_DATA_DIR: join(scratch, 'data'),
      IPIC_RULES_DIR: RULES_DIR,
      IPIC_TODAY: '2026-03-02',
      DATABASE_URL: '',
      IPIC_DEMO: '0',
    }
    const extract = join(scratch, 'extract.ndjson')
    const generated = await runIpic(
      ['generate', '--persons', '300', '--seed', '4', '--out', extract, '--today', '2026-03-02'],
      env,
    )
    assert.equal(generated.code, 0, generated.stderr)
    const imported = await runIpic(['import', extract, '--no-rules'], env)
    assert.equal(imported.code, 0, imported.stderr)
  })
  after(() => rm(scratch, { recursive: true, force: true }))

  /** The publications stored, read once the command has let go of the data directory. */
  async function publications(): Promise<string[]> {
    const database = await openDatabase({ kind: 'pglite', dataDir: join(scratch, 'data') })
    try {
      const rows = await database.db.selectFrom('rule_set_publications').select('version').execute()
      return rows.map((row) => row.version)
    } finally {
      await database.close()
    }
  }

  it('refuses bad input, each in one clear message, storing nothing', async () => {
    const empty = join(scratch, 'empty')
    await mkdir(empty)
    const unknownField = join(scratch, 'unknown-field')
    await cp(RULES_DIR, unknownField, { recursive: true })
    const em = join(unknownField, 'EM_REVIEW.yaml')
    await writeFile(
      em,
      (await readFile(em, 'utf8')).replace('vulnerability.emContraindicated', 'vulnerability.emContra'),
    )
    const failing = join(scratch, 'failing')
    await cp(RULES_DIR, failing, { recursive: true })
    const ftr = join(failing, 'FAILED_TO_REPORT.yaml')
    await writeFile(
      ftr,
      (await readFile(ftr, 'utf8')).replace(
        'is followed up\n      expect: recommended',
        'is followed up\n      expect: not recommended\n      decidedBy: missedLastEvent',
      ),
    )

    const cases: [string[], RegExp[]][] = [
      [
        ['rules', 'publish', RULES_DIR],
        [/change notes are required: say what changed and why, with --notes/],
      ],
      [['rules', 'publish', RULES_DIR, '--notes', '   '], [/change notes are required/]],
      [['rules', 'publish', RULES_DIR, '--notes', 'x', '--by', 'nobody'], [/there is no user nobody/]],
      [
        ['rules', 'publish', empty, '--notes', 'x'],
        [/has 1 problem:/, /there are no rule files/, /Nothing was published\./],
      ],
      [['rules', 'publish', join(scratch, 'missing'), '--notes', 'x'], [/cannot read the rule directory/]],
      [
        ['rules', 'publish', unknownField, '--notes', 'x'],
        [/EM_REVIEW\.yaml/, /vulnerability\.emContra/],
      ],
      [
        ['rules', 'publish', failing, '--notes', 'x'],
        [/FAILED {2}FAILED_TO_REPORT\.yaml › FAILED_TO_REPORT › One missed event/, /1 rule test case failed/],
      ],
    ]
    for (const [args, messages] of cases) {
      const result = await runIpic(args, env)
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`)
      for (const message of messages) assert.match(result.stderr, message, args.join(' '))
      assert.doesNotMatch(result.stderr, /unexpected error/)
    }
    assert.deepEqual(await publications(), [])
    // Not published, the rules do not run, and say how to publish them.
    const run = await runIpic(['rules', 'run'], env)
    assert.equal(run.code, 1)
    assert.match(run.stderr, /has not been published, so it does not run: .*ipic rules publish /)
  })

  it('reports the impact as JSON, publishes once, and then the rules run', async () => {
    const simulated = await runIpic(['rules', 'simulate', '--rules', RULES_DIR, '--format', 'json'], env)
    assert.equal(simulated.code, 0, simulated.stderr)
    const report = JSON.parse(simulated.stdout)
    assert.equal(report.format, 1)
    assert.equal(report.liveVersion, null)
    assert.equal(report.persons, 300)
    assert.equal(report.totals.added, report.totals.draft)

    const published = await runIpic(
      ['rules', 'publish', RULES_DIR, '--notes', 'The rules we start with.'],
      env,
    )
    assert.equal(published.code, 0, published.stderr)
    assert.match(published.stdout, /Recommendations by task type/)
    assert.match(
      published.stdout,
      /Published rule set (\w+) at .* through ipic rules publish run by the account /,
    )
    const again = await runIpic(['rules', 'publish', RULES_DIR, '--notes', 'Other words'], env)
    assert.equal(again.code, 0, again.stderr)
    assert.match(
      again.stdout,
      /was already published at .* with the notes "The rules we start with\."\. Nothing was stored/,
    )
    assert.equal((await publications()).length, 1)

    const run = await runIpic(['rules', 'run'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, new RegExp(`with rule set ${report.draftVersion}: 300 persons evaluated`))
  })
})
