/**
 * importExtract refuses a file it cannot read (missing, or gzip that is cut
 * short, corrupt or not gzip at all) with one line saying why, and writes
 * nothing: no person, no import, no rejects file.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { ImportFileError } from '../../src/cases/import.ts'
import { importTestHarness, ndjson, record } from '../support/import-harness.ts'

describe('importExtract', () => {
  const harness = importTestHarness()
  const { extract, run, personIds, imports } = harness

  describe('refuses a file it cannot read, writing nothing', () => {
    async function assertRefused(file: string, message: RegExp) {
      await assert.rejects(run(file), (error: Error) => {
        assert.ok(error instanceof ImportFileError, `expected ImportFileError, got ${error}`)
        assert.match(error.message, message)
        assert.doesNotMatch(error.message, /\n/, 'one line')
        return true
      })
      assert.deepEqual(await personIds(), [])
      assert.deepEqual(await imports(), [])
      assert.equal(existsSync(`${file}.rejects.ndjson`), false)
    }

    it('a missing file', async () => {
      await assertRefused(
        join(harness.folder, 'missing.ndjson'),
        /missing\.ndjson cannot be read: there is no such file/,
      )
    })

    it('a truncated gzip', async () => {
      const whole = gzipSync(ndjson([record('P0001'), record('P0002'), record('P0003')]))
      const file = join(harness.folder, 'cut.ndjson.gz')
      await writeFile(file, whole.subarray(0, Math.floor(whole.length / 2)))
      await assertRefused(file, /cut\.ndjson\.gz is a damaged gzip file \(it ends too early/)
    })

    it('a corrupt gzip', async () => {
      const whole = gzipSync(ndjson([record('P0001'), record('P0002')]))
      whole.fill(0x55, 20, 40)
      const file = join(harness.folder, 'corrupt.ndjson.gz')
      await writeFile(file, whole)
      await assertRefused(file, /corrupt\.ndjson\.gz is a damaged gzip file/)
    })

    it('a file named .gz that is not gzip', async () => {
      const file = await extract('plain.ndjson.gz', [record('P0001')])
      await assertRefused(file, /is named \.gz but is not a gzip file/)
    })
  })
})
