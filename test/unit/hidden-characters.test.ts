import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hasHiddenCharacters } from '../../src/hidden-characters.ts'

describe('hasHiddenCharacters', () => {
  it('passes what people type, in any script, with punctuation and emoji', () => {
    for (const text of ['', 'jo.caseworker', 'Siobhán O’Neill-Ćosić', '見た 🙂', 'a – b “c” £5 €6']) {
      assert.equal(hasHiddenCharacters(text, 'one-line'), false, text)
      assert.equal(hasHiddenCharacters(text, 'multi-line'), false, text)
    }
  })

  it('allows tabs and line breaks only where the field takes several lines', () => {
    for (const text of ['first line\nsecond', 'windows\r\nline', 'a\tb', 'old mac\rline']) {
      assert.equal(hasHiddenCharacters(text, 'multi-line'), false, JSON.stringify(text))
      assert.equal(hasHiddenCharacters(text, 'one-line'), true, JSON.stringify(text))
    }
  })

  for (const [what, text] of [
    ['a NUL', 'before\u0000after'],
    ['a NUL alone', '\u0000'],
    ['a bell', 'ding\u0007'],
    ['a backspace', 'a\bb'],
    ['a vertical tab', 'a\u000bb'],
    ['a form feed', 'a\u000cb'],
    ['an escape sequence', '\u001b[31mred'],
    ['a unit separator', 'a\u001fb'],
    ['a DEL', 'a\u007fb'],
    ['an unpaired high surrogate', 'a\ud800b'],
    ['an unpaired low surrogate', 'a\udc00b'],
  ] as const) {
    it(`finds ${what} in either shape of field`, () => {
      assert.equal(hasHiddenCharacters(text, 'one-line'), true)
      assert.equal(hasHiddenCharacters(text, 'multi-line'), true)
    })
  }
})
