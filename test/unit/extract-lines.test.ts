import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ExtractLine, LineSplitter } from '../../src/cases/extract-lines.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

/** Feeds the chunks in order and describes each line as its number and text (or its overlong length). */
function split(chunks: (string | Uint8Array)[], maxBytes?: number): (string | [number, string])[] {
  const splitter = new LineSplitter(maxBytes)
  const lines: ExtractLine[] = []
  for (const chunk of chunks) lines.push(...splitter.push(typeof chunk === 'string' ? bytes(chunk) : chunk))
  lines.push(...splitter.end())
  return lines.map((line) =>
    line.kind === 'line'
      ? `${line.number}:${new TextDecoder().decode(line.bytes)}`
      : [line.number, `too long ${line.length}, starts ${new TextDecoder().decode(line.head.slice(0, 5))}`],
  )
}

describe('LineSplitter', () => {
  it('numbers lines from 1 and does not invent a line after the final newline', () => {
    assert.deepEqual(split(['a\nb\n']), ['1:a', '2:b'])
  })

  it('keeps a last line that has no newline', () => {
    assert.deepEqual(split(['a\nb']), ['1:a', '2:b'])
  })

  it('joins a line split across chunks, however small the chunks', () => {
    assert.deepEqual(split(['{"per', 'sonId"', ':1}\n{"x"', ':2}\n']), ['1:{"personId":1}', '2:{"x":2}'])
    assert.deepEqual(split([...'ab\ncd\n']), ['1:ab', '2:cd'])
  })

  it('keeps empty lines in place so that later line numbers stay right', () => {
    assert.deepEqual(split(['a\n\n\nb\n']), ['1:a', '2:', '3:', '4:b'])
  })

  it('drops the carriage return of Windows line endings, even when the chunk ends between \\r and \\n', () => {
    assert.deepEqual(split(['a\r\nb\r', '\nc\r\n']), ['1:a', '2:b', '3:c'])
  })

  it('does not split a multi-byte character that straddles two chunks', () => {
    const text = bytes('é€\n')
    assert.deepEqual(split([text.slice(0, 1), text.slice(1, 3), text.slice(3)]), ['1:é€'])
  })

  it('reports an overlong line by its length and first bytes, then carries on counting', () => {
    assert.deepEqual(split(['ok\n0123456789abcdef\nnext\n'], 10), [
      '1:ok',
      [2, 'too long 16, starts 01234'],
      '3:next',
    ])
  })

  it('stops keeping an overlong line that arrives in many chunks, but still measures it', () => {
    const chunks = ['ab', 'cdefgh', 'ijklmnop', 'qrst', '\nend']
    assert.deepEqual(split(chunks, 10), [[1, 'too long 20, starts abcde'], '2:end'])
  })

  it('reports an overlong last line that has no newline', () => {
    assert.deepEqual(split(['x\n', 'abcdefghijkl'], 10), ['1:x', [2, 'too long 12, starts abcde']])
  })

  it('accepts a line of exactly the limit', () => {
    assert.deepEqual(split(['0123456789\n'], 10), ['1:0123456789'])
  })

  it('yields nothing for an empty file', () => {
    assert.deepEqual(split([]), [])
  })
})
