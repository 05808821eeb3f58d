import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newErrorReference } from '../../../src/web/server/error-reference.ts'

describe('newErrorReference', () => {
  it('is two groups of four characters without easily confused letters', () => {
    for (let i = 0; i < 200; i++) {
      assert.match(newErrorReference(), /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    }
  })

  it('differs each time', () => {
    const references = new Set(Array.from({ length: 200 }, newErrorReference))
    assert.equal(references.size, 200)
  })
})
