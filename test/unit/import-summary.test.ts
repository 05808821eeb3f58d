import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatImportSummary } from '../../src/commands/import.ts'

describe('formatImportSummary', () => {
  it('lines the counts up, gives the rate and names the rejects file', () => {
    const text = formatImportSummary({
      importId: 4,
      read: 1_000_000,
      inserted: 990_000,
      updated: 5_000,
      unchanged: 4_990,
      rejected: 10,
      markedAbsent: 2,
      seconds: 16,
      rejectsFile: '/data/extract.ndjson.rejects.ndjson',
    })
    assert.equal(
      text,
      [
        'Import 4 finished in 16.0 s (62,500 records/s)',
        '  Read:          1,000,000',
        '  Inserted:        990,000',
        '  Updated:           5,000',
        '  Unchanged:         4,990',
        '  Rejected:             10',
        '  Marked absent:         2',
        'Rejected records and their problems: /data/extract.ndjson.rejects.ndjson',
        '',
      ].join('\n'),
    )
  })

  it('leaves out the rejects file when nothing was rejected', () => {
    const text = formatImportSummary({
      importId: 1,
      read: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      markedAbsent: 0,
      seconds: 0,
      rejectsFile: undefined,
    })
    assert.doesNotMatch(text, /Rejected records/)
    assert.match(text, /\(3 records\/s\)/)
  })
})
