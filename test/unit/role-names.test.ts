/** roleNamed: the role a person typed at the command line, in any letter case, by code or name. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { roleNamed } from '../../src/access/roles.ts'

describe('roleNamed', () => {
  it('reads a code or a name in any letter case', () => {
    for (const text of ['caseworker', 'Caseworker', 'CASEWORKER', ' caseworker '])
      assert.equal(roleNamed(text), 'CASEWORKER')
    for (const text of ['mi_analyst', 'MI analyst', 'mi-analyst', 'Mi Analyst'])
      assert.equal(roleNamed(text), 'MI_ANALYST')
    assert.equal(roleNamed('administrator'), 'ADMIN')
    assert.equal(roleNamed('admin'), 'ADMIN')
  })

  it('names no role for anything else', () => {
    for (const text of ['', 'superuser', 'case worker', 'ADMIN; drop table users', 'x'.repeat(10_000)]) {
      assert.equal(roleNamed(text), undefined, text.slice(0, 20))
    }
  })
})
