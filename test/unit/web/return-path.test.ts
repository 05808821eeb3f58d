import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { safeReturnPath } from '../../../src/web/server/return-path.ts'

describe('safeReturnPath', () => {
  it('keeps a path on this service, with its query', () => {
    assert.equal(safeReturnPath('/review-tasks'), '/review-tasks')
    assert.equal(safeReturnPath('/review-tasks?tab=accepted&page=2'), '/review-tasks?tab=accepted&page=2')
  })

  it('drops the fragment', () => {
    assert.equal(safeReturnPath('/cases/1#barriers'), '/cases/1')
  })

  // Each of these, taken as a Location or an href, would leave the site (or
  // could, through a proxy that decodes before routing), so none is kept.
  const LEAVING = [
    ['an absolute URL', 'https://evil.example/'],
    ['a scheme with one slash', 'http:/evil.example'],
    ['a scheme with no slash', 'https:evil.example'],
    ['a scheme-relative URL', '//evil.example/path'],
    ['three slashes', '///evil.example'],
    ['a backslash after the slash', '/\\evil.example'],
    ['two backslashes', '\\\\evil.example'],
    ['a backslash then a slash', '\\/evil.example'],
    ['a dot segment before a second slash', '/.//evil.example'],
    ['a double-dot segment before a second slash', '/..//evil.example'],
    ['a segment undone before a second slash', '/a/..//evil.example'],
    ['two segments undone too many', '/a/b/../..//evil.example'],
    ['an escaped dot segment', '/%2e//evil.example'],
    ['an escaped double-dot segment', '/%2E%2E//evil.example'],
    ['a half-escaped double-dot segment', '/.%2e//evil.example'],
    ['escaped slashes', '/%2f%2fevil.example'],
    ['escaped slashes in capitals', '/%2F%2Fevil.example'],
    ['a dot segment and an escaped slash', '/./%2f/evil.example'],
    ['an escaped double dot and slashes', '/%2e%2e%2f%2fevil.example'],
    ['an escaped backslash', '/%5cevil.example'],
    ['an escaped backslash in capitals', '/%5Cevil.example'],
    ['a tab between the slashes', '/\t/evil.example'],
    ['a newline between the slashes', '/\n/evil.example'],
    ['a carriage return between the slashes', '/\r/evil.example'],
    ['an escaped tab between the slashes', '/%09/evil.example'],
    ['an escaped line break (header injection)', '/a%0d%0aSet-Cookie:%20x=1'],
    ['an escaped NUL', '/a%00b'],
    ['a NUL', '/a\u0000b'],
    ['a dot segment and a query', '/.//evil.example?x=1'],
    ['a malformed escape', '/%E0%A4%A'],
    ['a script URL', 'javascript:alert(1)'],
    ['a data URL', 'data:text/html,hi'],
    ['a relative path', 'review-tasks'],
    ['an empty value', ''],
    ['a path too long to be real', `/${'a'.repeat(3000)}`],
  ] as const

  for (const [what, unsafe] of LEAVING) {
    it(`refuses ${what}: ${JSON.stringify(unsafe).slice(0, 60)}`, () => {
      assert.equal(safeReturnPath(unsafe), undefined)
    })
  }

  // Odd but harmless: each stays a path of this service, whoever reads it.
  const STAYING = [
    ['a query that looks like a URL', '/?//evil.example', '/?//evil.example'],
    ['a fragment that looks like a URL', '/#//evil.example', '/'],
    ['an at sign', '/@evil.example', '/@evil.example'],
    ['a double-escaped slash', '/%252f%252fevil.example', '/%252f%252fevil.example'],
    ['fullwidth slashes', '/\uff0f\uff0fevil.example', '/%EF%BC%8F%EF%BC%8Fevil.example'],
    ['a space before a second slash', '/ //evil.example', '/%20//evil.example'],
  ] as const

  for (const [what, value, kept] of STAYING) {
    it(`keeps ${what} as a local path`, () => {
      assert.equal(safeReturnPath(value), kept)
    })
  }

  it('keeps only values that resolve to a path of this origin, whatever the origin', () => {
    for (const [, value] of [...LEAVING, ...STAYING]) {
      const kept = safeReturnPath(value)
      if (kept === undefined) continue
      const url = new URL(kept, 'https://ipic.example.gov.uk')
      assert.equal(url.origin, 'https://ipic.example.gov.uk', kept)
      assert.ok(!url.pathname.startsWith('//'), kept)
    }
  })

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

  it('normalises dot segments without leaving the site', () => {
    assert.equal(safeReturnPath('/a/../../b'), '/b')
  })
})
