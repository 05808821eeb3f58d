/**
 * Who may manage whom and what they may grant (access/user-management.ts):
 * administrators everyone, managers only caseworkers of their own regions;
 * nobody grants a role or region they do not hold, deactivates themselves
 * or takes away their own administrator role.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { RegionScope } from '../../src/access/region-scope.ts'
import type { Role } from '../../src/access/roles.ts'
import {
  type Access,
  checkAccess,
  checkDeactivation,
  grantable,
  type ManagedUser,
  managedScope,
  mayManage,
} from '../../src/access/user-management.ts'

const ALL: RegionScope = { all: true }
const only = (...codes: string[]): RegionScope => ({ all: false, codes })
const user = (id: string, roles: Role[], regions: RegionScope): ManagedUser => ({ id, roles, regions })
const access = (roles: Role[], regions: RegionScope): Access => ({ roles, regions })
const codesOf = (problems: readonly { code: string }[]) => problems.map((problem) => problem.code)

const admin = user('admin', ['ADMIN'], ALL)
const everyRoleAdmin = user('root', ['CASEWORKER', 'MANAGER', 'RULE_AUTHOR', 'MI_ANALYST', 'ADMIN'], ALL)
const regionalAdmin = user('admin.lse', ['ADMIN'], only('LSE'))
const managerLse = user('mgr.lse', ['MANAGER'], only('LSE'))
const managerLseMee = user('mgr.two', ['MANAGER'], only('LSE', 'MEE'))
const caseworkerLse = user('cw.lse', ['CASEWORKER'], only('LSE'))
const caseworkerMee = user('cw.mee', ['CASEWORKER'], only('MEE'))
const caseworkerBoth = user('cw.both', ['CASEWORKER'], only('LSE', 'MEE'))
const otherManager = user('mgr.other', ['MANAGER'], only('LSE'))
const caseworkerAndAuthor = user('cw.author', ['CASEWORKER', 'RULE_AUTHOR'], only('LSE'))
const nationalCaseworker = user('cw.all', ['CASEWORKER'], ALL)
const analyst = user('analyst', ['MI_ANALYST'], ALL)

describe('who may manage whom', () => {
  it('an administrator manages everyone, themselves included', () => {
    for (const subject of [caseworkerLse, otherManager, analyst, admin, everyRoleAdmin]) {
      assert.equal(mayManage(admin, subject), true, subject.id)
    }
    assert.deepEqual(managedScope(admin), { kind: 'everyone' })
  })

  it('a manager manages only caseworkers whose every region is theirs', () => {
    assert.equal(mayManage(managerLse, caseworkerLse), true)
    assert.equal(mayManage(managerLse, caseworkerMee), false, 'another region')
    assert.equal(mayManage(managerLse, caseworkerBoth), false, 'partly another region')
    assert.equal(mayManage(managerLseMee, caseworkerBoth), true)
    assert.equal(mayManage(managerLse, nationalCaseworker), false, 'every region is more than theirs')
    assert.equal(mayManage(managerLse, caseworkerAndAuthor), false, 'more than a caseworker')
    assert.equal(mayManage(managerLse, otherManager), false, 'another manager')
    assert.equal(mayManage(managerLse, managerLse), false, 'themselves')
    assert.equal(mayManage(managerLse, admin), false)
    assert.deepEqual(managedScope(managerLse), {
      kind: 'caseworkers',
      regions: only('LSE'),
      except: 'mgr.lse',
    })
  })

  it('nobody else manages anyone', () => {
    for (const actor of [caseworkerLse, analyst, user('author', ['RULE_AUTHOR'], only('LSE'))]) {
      assert.equal(mayManage(actor, caseworkerLse), false, actor.id)
      assert.deepEqual(managedScope(actor), { kind: 'nobody' })
      assert.deepEqual(grantable(actor), { roles: [], regions: only() })
    }
  })
})

describe('what may be granted', () => {
  it('an administrator grants the roles they hold and the regions within theirs', () => {
    assert.deepEqual(grantable(admin), { roles: ['ADMIN'], regions: ALL })
    assert.deepEqual(grantable(everyRoleAdmin).roles, [
      'CASEWORKER',
      'MANAGER',
      'RULE_AUTHOR',
      'MI_ANALYST',
      'ADMIN',
    ])
    assert.deepEqual(grantable(regionalAdmin), { roles: ['ADMIN'], regions: only('LSE') })
  })

  it('a manager grants only the caseworker role, in their own regions', () => {
    assert.deepEqual(grantable(managerLseMee), { roles: ['CASEWORKER'], regions: only('LSE', 'MEE') })
    assert.deepEqual(checkAccess(managerLse, access(['CASEWORKER'], only('LSE'))), [])
    assert.deepEqual(checkAccess(managerLse, access(['CASEWORKER', 'MANAGER'], only('LSE'))), [
      { field: 'roles', code: 'roleNotGrantable', params: { role: 'MANAGER' } },
    ])
    assert.deepEqual(checkAccess(managerLse, access(['CASEWORKER'], only('LSE', 'MEE'))), [
      { field: 'regions', code: 'regionNotGrantable', params: { region: 'MEE' } },
    ])
    assert.deepEqual(codesOf(checkAccess(managerLse, access(['CASEWORKER'], ALL))), [
      'allRegionsNotGrantable',
    ])
  })

  it('an administrator cannot grant a role they do not hold, nor regions beyond theirs', () => {
    assert.deepEqual(checkAccess(admin, access(['CASEWORKER'], only('LSE'))), [
      { field: 'roles', code: 'roleNotGrantable', params: { role: 'CASEWORKER' } },
    ])
    assert.deepEqual(checkAccess(everyRoleAdmin, access(['CASEWORKER', 'MI_ANALYST'], ALL)), [])
    assert.deepEqual(codesOf(checkAccess(regionalAdmin, access(['ADMIN'], ALL))), ['allRegionsNotGrantable'])
    assert.deepEqual(codesOf(checkAccess(regionalAdmin, access(['ADMIN'], only('MEE')))), [
      'regionNotGrantable',
    ])
  })

  it('keeping a role or region the user already holds is not a grant', () => {
    // The administrator holds no rule author role, but may change the regions of someone who does.
    assert.deepEqual(
      checkAccess(admin, access(['CASEWORKER', 'RULE_AUTHOR'], only('MEE')), caseworkerAndAuthor),
      [],
    )
    assert.deepEqual(
      checkAccess(regionalAdmin, access(['CASEWORKER'], only('LSE', 'MEE')), caseworkerBoth),
      [],
    )
    assert.deepEqual(checkAccess(regionalAdmin, access(['CASEWORKER'], ALL), nationalCaseworker), [])
    // Regions a user with every region keeps when narrowed are theirs already.
    assert.deepEqual(checkAccess(regionalAdmin, access(['CASEWORKER'], only('MEE')), nationalCaseworker), [])
    assert.deepEqual(codesOf(checkAccess(managerLse, access(['CASEWORKER'], only('MEE')), caseworkerLse)), [
      'regionNotGrantable',
    ])
  })

  it('needs a role and a region', () => {
    assert.deepEqual(codesOf(checkAccess(everyRoleAdmin, access([], only()))), [
      'rolesMissing',
      'regionsMissing',
    ])
  })

  it('nobody takes away their own administrator role', () => {
    assert.deepEqual(codesOf(checkAccess(everyRoleAdmin, access(['MANAGER'], ALL), everyRoleAdmin)), [
      'ownAdministratorRole',
    ])
    // Another administrator's role may be taken away: the actor is still one.
    assert.deepEqual(checkAccess(everyRoleAdmin, access(['MANAGER'], ALL), admin), [])
  })
})

describe('deactivation', () => {
  it('nobody deactivates their own account', () => {
    assert.deepEqual(checkDeactivation(admin, admin), [{ field: 'user', code: 'ownAccount' }])
    assert.deepEqual(checkDeactivation(managerLse, managerLse), [{ field: 'user', code: 'ownAccount' }])
    assert.deepEqual(checkDeactivation(managerLse, caseworkerLse), [])
  })
})
