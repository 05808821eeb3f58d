import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatTable } from '../../src/commands/text-table.ts'

describe('text tables', () => {
  it('pads columns, right-aligns and groups numbers, and underlines the header', () => {
    const table = formatTable(
      [{ header: 'Task type' }, { header: 'Region' }, { header: 'New' }],
      [
        ['FAILED_TO_REPORT', 'LSE', 12345],
        ['SAFEGUARDING', 'MEE', 7],
      ],
    )
    assert.equal(
      table,
      [
        'Task type         Region     New',
        '----------------  ------  ------',
        'FAILED_TO_REPORT  LSE     12,345',
        'SAFEGUARDING      MEE          7',
      ].join('\n'),
    )
  })

  it('prints only the header for no rows, and honours an explicit alignment', () => {
    assert.equal(
      formatTable([{ header: 'A' }, { header: 'Count', align: 'right' }], []),
      'A  Count\n-  -----',
    )
  })
})
