/**
 * writeExtract writes generated persons to an extract file, one JSON record
 * a line, gzipped when the name says so, and leaves no partial file behind.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { generateCaseRecords, writeExtract } from '../../src/cases/generate.ts'
import type { ReferenceData } from '../../src/db/reference-data.ts'
import { generateOptions, readTestReference } from '../support/generated-sample.ts'

let reference: ReferenceData

const options = (persons: number, seed?: number) => generateOptions(reference, persons, seed)

before(async () => {
  reference = await readTestReference()
})

describe('writeExtract', () => {
  let folder: string
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ipic-generate-'))
  })
  after(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('writes one JSON record per line and returns the counts', async () => {
    const file = join(folder, 'extract.ndjson')
    const written = await writeExtract(file, options(250))
    const text = await readFile(file, 'utf8')
    assert.deepEqual(written, { persons: 250, bytes: (await stat(file)).size })
    assert.ok(text.endsWith('\n'))
    const lines = text.slice(0, -1).split('\n')
    assert.equal(lines.length, 250)
    assert.deepEqual(
      lines,
      [...generateCaseRecords(options(250))].map((record) => JSON.stringify(record)),
    )
  })

  it('gzips when the name ends in .gz, to the same lines', async () => {
    const plain = join(folder, 'same.ndjson')
    const packed = join(folder, 'same.ndjson.gz')
    await writeExtract(plain, options(400))
    const written = await writeExtract(packed, options(400))
    const compressed = await readFile(packed)
    assert.equal(written.persons, 400)
    assert.equal(written.bytes, compressed.length)
    assert.deepEqual(compressed.subarray(0, 2), Buffer.from([0x1f, 0x8b]))
    assert.equal(gunzipSync(compressed).toString('utf8'), await readFile(plain, 'utf8'))
  })

  it('writes byte-identical files for the same seed', async () => {
    const one = join(folder, 'one.ndjson.gz')
    const two = join(folder, 'two.ndjson.gz')
    await writeExtract(one, options(300, 42))
    await writeExtract(two, options(300, 42))
    assert.deepEqual(await readFile(one), await readFile(two))
  })

  it('writes an empty file for zero persons', async () => {
    const file = join(folder, 'empty.ndjson')
    assert.deepEqual(await writeExtract(file, options(0)), { persons: 0, bytes: 0 })
    assert.equal(await readFile(file, 'utf8'), '')
  })

  it('fails on a folder that does not exist', async () => {
    await assert.rejects(writeExtract(join(folder, 'missing', 'x.ndjson'), options(5)), { code: 'ENOENT' })
  })

  it('refuses bad options before creating the file', async () => {
    const file = join(folder, 'refused.ndjson')
    await assert.rejects(writeExtract(file, options(-1)), RangeError)
    await assert.rejects(stat(file), { code: 'ENOENT' })
  })

  it('removes the partly written file when writing fails part-way', async (t) => {
    const file = join(folder, 'broken.ndjson')
    // Fail on the 300th person, after several batches have reached the file.
    const stringify = JSON.stringify
    t.mock.method(JSON, 'stringify', (value: unknown, ...rest: never[]) => {
      if ((value as { personId?: string } | null)?.personId === 'P0000300')
        throw new Error('serialising failed')
      return stringify(value, ...rest)
    })
    try {
      await assert.rejects(writeExtract(file, options(1_000)), /serialising failed/)
    } finally {
      t.mock.restoreAll()
    }
    await assert.rejects(stat(file), { code: 'ENOENT' })
  })
})
