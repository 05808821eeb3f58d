import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { safeReturnPath } from '../../../src/web/return-path.ts'

describe('safeReturnPath', () => {
  it('keeps a path on this service, with its query', () => {
    assert.equal(safeReturnPath('/review-tasks'), '/review-tasks')
    assert.equal(safeReturnPath('/review-tasks?tab=accepted&page=2'), '/review-tasks?tab=accepted&page=2')
  })

  it('drops the fragment', () => {
    assert.equal(safeReturnPath('/cases/1#barriers'), '/cases/1')
  })

  for (const unsafe of [
    'https://evil.example/',
    'http:/evil.example',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'javascript:alert(1)',
    'review-tasks',
    '',
  ]) {
    it(`refuses ${JSON.stringify(unsafe)}`, () => {
      assert.equal(safeReturnPath(unsafe), undefined)
    })
  }

  it('refuses what is not a single string', () => {
    assert.equal(safeReturnPath(undefined), undefined)
    assert.equal(safeReturnPath(['/a', '/b']), undefined)
    assert.equal(safeReturnPath(42), undefined)
  })

  it('refuses the sign-in and sign-out pages, which would loop', () => {
    assert.equal(safeReturnPath('/sign-in'), undefined)
    assert.equal(safeReturnPath('/sign-in?returnTo=%2F'), undefined)
    assert.equal(safeReturnPath('/sign-out'), undefined)
  })

  it('refuses a path too long to be real', () => {
    assert.equal(safeReturnPath(`/${'a'.repeat(3000)}`), undefined)
  })

  it('normalises dot segments without leaving the site', () => {
    assert.equal(safeReturnPath('/a/../../b'), '/b')
  })
})
