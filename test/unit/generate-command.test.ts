import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { UserFacingError } from '../../src/commands/errors.ts'
import { generate } from '../../src/commands/generate.ts'

/** The summary lines a command printed while it ran (the test runner reports through stdout too: only those are kept). */
async function summaryPrinted(t: TestContext, run: () => Promise<void>): Promise<string[]> {
  const printed: string[] = []
  const write = process.stdout.write
  t.mock.method(process.stdout, 'write', (text: string | Uint8Array, ...rest: never[]) => {
    if (typeof text === 'string' && text.startsWith('Wrote ')) printed.push(text)
    else write.call(process.stdout, text, ...rest)
    return true
  })
  try {
    await run()
  } finally {
    t.mock.restoreAll()
  }
  return printed
}

describe('ipic generate', () => {
  let folder: string
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ipic-generate-command-'))
  })
  after(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  for (const today of ['2026-02-30', '02/03/2026', 'tomorrow', '2026-3-2', '']) {
    it(`refuses --today ${JSON.stringify(today)} without writing anything`, async () => {
      const out = join(folder, 'refused.ndjson')
      await assert.rejects(
        generate({ persons: 3, seed: 1, out, today }),
        (error: Error) =>
          error instanceof UserFacingError &&
          error.message.includes('--today') &&
          error.message.includes('YYYY-MM-DD'),
      )
      assert.ok(!(await readdir(folder)).includes('refused.ndjson'))
    })
  }

  for (const profile of ['Realistic', 'worst', '']) {
    it(`refuses --profile ${JSON.stringify(profile)} without writing anything`, async () => {
      const out = join(folder, 'refused-profile.ndjson')
      await assert.rejects(
        generate({ persons: 3, seed: 1, out, today: '2026-03-02', profile }),
        (error: Error) =>
          error instanceof UserFacingError &&
          error.message === `--profile must be realistic or stress (got "${profile}")`,
      )
      assert.ok(!(await readdir(folder)).includes('refused-profile.ndjson'))
    })
  }

  it('writes the stress caseload when asked, and says so', async (t) => {
    const out = join(folder, 'stress.ndjson')
    const printed = await summaryPrinted(t, () =>
      generate({ persons: 5, seed: 4, out, today: '2026-03-02', profile: 'stress' }),
    )
    assert.match(printed[0] as string, /^Wrote 5 persons \(stress caseload, seed 4, today 2026-03-02\)/)
  })

  it('explains an output folder that does not exist in one line', async () => {
    const out = join(folder, 'no-such-folder', 'extract.ndjson.gz')
    await assert.rejects(
      generate({ persons: 3, seed: 1, out, today: '2026-03-02' }),
      (error: Error) =>
        error instanceof UserFacingError &&
        error.message === `cannot write ${out}: the folder does not exist`,
    )
  })

  it('explains an output path that is a folder', async () => {
    await assert.rejects(
      generate({ persons: 3, seed: 1, out: folder, today: '2026-03-02' }),
      (error: Error) =>
        error instanceof UserFacingError && error.message === `cannot write ${folder}: it is a folder`,
    )
  })

  it('writes the extract on the given date and prints a one-line summary', async (t) => {
    const out = join(folder, 'extract.ndjson')
    const printed = await summaryPrinted(t, () =>
      generate({ persons: 12, seed: 4, out, today: '2026-03-02' }),
    )

    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n')
    assert.equal(lines.length, 12)
    assert.equal(JSON.parse(lines[0] as string).personId, 'P0000001')
    assert.equal(printed.length, 1)
    assert.match(
      printed[0] as string,
      /^Wrote 12 persons \(realistic caseload, seed 4, today 2026-03-02\) to .+extract\.ndjson \([\d.]+ kB\) in [\d.]+ s\.\n$/,
    )
  })
})
