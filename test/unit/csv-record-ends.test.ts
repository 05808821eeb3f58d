/**
 * COPY's LF record ends become CRLF, and are counted; line breaks inside
 * quoted fields are data and stay as they are, wherever the chunks are cut.
 */
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { describe, it } from 'node:test'
import { CsvRecordEnds } from '../../src/mi/csv-record-ends.ts'

async function through(chunks: readonly (string | Buffer)[]): Promise<{ text: string; records: number }> {
  const ends = new CsvRecordEnds()
  const out: Buffer[] = []
  for await (const chunk of Readable.from(chunks.map((chunk) => Buffer.from(chunk))).pipe(ends)) {
    out.push(chunk as Buffer)
  }
  return { text: Buffer.concat(out).toString('utf8'), records: ends.records }
}

/** Every way of cutting the bytes in two and three, through characters too. */
function cuts(text: string): Buffer[][] {
  const bytes = Buffer.from(text)
  const ways: Buffer[][] = [[bytes]]
  for (let first = 1; first < bytes.length; first += 1) {
    ways.push([bytes.subarray(0, first), bytes.subarray(first)])
    for (let second = first + 1; second < bytes.length; second += 1) {
      ways.push([bytes.subarray(0, first), bytes.subarray(first, second), bytes.subarray(second)])
    }
  }
  return ways
}

describe('CSV record ends', () => {
  it('turns each LF record end into CRLF and counts the records', async () => {
    assert.deepEqual(await through(['a,b\nc,d\n']), { text: 'a,b\r\nc,d\r\n', records: 2 })
    assert.deepEqual(await through([]), { text: '', records: 0 })
  })

  it('leaves line breaks and doubled quotes inside quoted fields alone, however the chunks are cut', async () => {
    const copy = 'x,"one\ntwo",y\n"a ""q"" \r\n, b",,"\n"\n"""",é🚀\n'
    const expected = 'x,"one\ntwo",y\r\n"a ""q"" \r\n, b",,"\n"\r\n"""",é🚀\r\n'
    for (const chunks of cuts(copy)) {
      assert.deepEqual(
        await through(chunks),
        { text: expected, records: 3 },
        JSON.stringify(chunks.map(String)),
      )
    }
  })
})
