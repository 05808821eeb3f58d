import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { can, isPermission, PERMISSIONS, type Permission } from '../../src/access/permissions.ts'
import { ROLE_CODES, type Role } from '../../src/access/roles.ts'

// The table of docs/decisions/0013-permissions.md, written out again: a change to one must be made to the other.
// biome-ignore format: a table, one permission a line
const EXPECTED: Readonly<Record<Permission, string>> = {
  //                CASEWORKER MANAGER RULE_AUTHOR MI_ANALYST ADMIN AUDITOR
  'tasks:review':   'yes       yes     no          yes        yes   no',
  'cases:read':     'yes       yes     no          no         no    no',
  'tasks:decide':   'yes       yes     no          no         no    no',
  'tasks:assign':   'yes       yes     no          no         no    no',
  'tasks:assign-others': 'no     yes     no          no         no    no',
  'mi:read':        'no        yes     no          yes        yes   no',
  'mi:download':    'yes       yes     no          yes        yes   no',
  'rules:read':     'yes       yes     yes         yes        yes   yes',
  'rules:simulate': 'no        no      yes         no         no    no',
  'rules:publish':  'no        no      yes         no         no    no',
  'rules:changes':  'no        yes     yes         yes        no    no',
  'rules:run':      'no        no      no          no         yes   no',
  'users:manage':   'no        yes     no          no         yes   no',
  'audit:read':     'no        no      no          no         yes   yes',
  'jobs:read':      'no        no      no          no         yes   no',
  'jobs:retry':     'no        no      no          no         yes   no',
  'clients:manage': 'no        no      no          no         yes   no',
  'contests:record': 'yes      yes     no          no         no    no',
  'contests:review': 'yes      yes     no          no         no    no',
}
const COLUMNS: readonly Role[] = ['CASEWORKER', 'MANAGER', 'RULE_AUTHOR', 'MI_ANALYST', 'ADMIN', 'AUDITOR']

describe('permissions', () => {
  it('gives each role what the table says', () => {
    assert.deepEqual([...COLUMNS].sort(), [...ROLE_CODES].sort())
    for (const permission of PERMISSIONS) {
      const actual = COLUMNS.map((role) => (can({ roles: [role] }, permission) ? 'yes' : 'no'))
      assert.deepEqual(actual, EXPECTED[permission].split(/\s+/), permission)
    }
  })

  it('gives a user of several roles everything any of them may do', () => {
    const authorAndCaseworker = { roles: ['RULE_AUTHOR', 'CASEWORKER'] as const }
    assert.equal(can(authorAndCaseworker, 'rules:simulate'), true)
    assert.equal(can(authorAndCaseworker, 'tasks:decide'), true)
    assert.equal(can(authorAndCaseworker, 'mi:read'), false)
  })

  it('gives nothing to nobody, or to a user without roles', () => {
    for (const permission of PERMISSIONS) {
      assert.equal(can(null, permission), false)
      assert.equal(can({ roles: [] }, permission), false)
    }
  })

  it('knows its own permissions only', () => {
    assert.equal(isPermission('mi:read'), true)
    assert.equal(isPermission('mi:write'), false)
    assert.equal(isPermission(undefined), false)
    assert.equal(isPermission('toString'), false)
  })
})
