import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { duplicatePerson, lineTooLong, notUtf8, pathOf } from '../../src/cases/problems.ts'
import { quoted } from '../../src/cases/quoted.ts'
import { firstInvalidUtf8Byte } from '../../src/cases/utf8.ts'

describe('problem wording', () => {
  it('writes paths as a person would point at a value', () => {
    assert.equal(pathOf(['reporting', 'nextDates', 1]), 'reporting.nextDates[1]')
    assert.equal(pathOf(['barriers', 0, 'raisedOn']), 'barriers[0].raisedOn')
    assert.equal(pathOf([]), 'record')
  })

  it('names the earlier line of a repeated person ID', () => {
    assert.equal(duplicatePerson('P001', 3), 'personId P001 appears earlier in this file, at line 3')
    assert.equal(
      duplicatePerson('P001', 12_345),
      'personId P001 appears earlier in this file, at line 12,345',
    )
  })

  it('gives sizes with thousands separators', () => {
    assert.equal(lineTooLong(102_400, 65_536), 'line is 102,400 bytes long; the limit is 65,536 bytes')
    assert.equal(notUtf8(0), 'line is not valid UTF-8 (the first bad byte is byte 1 of the line)')
  })
})

describe('quoted', () => {
  it('quotes short text as JSON and describes other values in words', () => {
    assert.equal(quoted('XX'), '"XX"')
    assert.equal(quoted('say "hi"'), '"say \\"hi\\""')
    assert.equal(quoted(7), '7')
    assert.equal(quoted(false), 'false')
    assert.equal(quoted(null), 'null')
    assert.equal(quoted([1]), 'a list')
    assert.equal(quoted({ a: 1 }), 'a group of fields')
  })

  it('cuts long text to its start and says how long it was', () => {
    assert.equal(quoted('x'.repeat(100_000)), `"${'x'.repeat(40)}…" (100,000 characters)`)
  })
})

describe('firstInvalidUtf8Byte', () => {
  const at = (...bytes: number[]) => firstInvalidUtf8Byte(new Uint8Array(bytes))

  it('finds nothing wrong in valid UTF-8 of every length', () => {
    assert.equal(firstInvalidUtf8Byte(new TextEncoder().encode('aé€😀')), -1)
  })

  it('points at a stray continuation byte or an impossible lead byte', () => {
    assert.equal(at(0x61, 0x80), 1)
    assert.equal(at(0x61, 0x62, 0xff), 2)
    assert.equal(at(0xc0, 0xaf), 0)
  })

  it('points at a sequence cut short, by the end of the line or by another character', () => {
    assert.equal(at(0x61, 0xe2, 0x82), 1)
    assert.equal(at(0xe2, 0x41, 0x41), 0)
  })

  it('refuses overlong forms, surrogates and code points above U+10FFFF', () => {
    assert.equal(at(0xe0, 0x80, 0xaf), 0)
    assert.equal(at(0xed, 0xa0, 0x80), 0)
    assert.equal(at(0xf4, 0x90, 0x80, 0x80), 0)
  })
})
