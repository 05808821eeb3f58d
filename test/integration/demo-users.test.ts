import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { DEMO_PASSWORD, seedDemoUsers } from '../../src/access/demo-users.ts'
import { authenticate } from '../../src/access/sign-in.ts'
import { listUsers } from '../../src/access/users.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'

describe('demo users', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(() => database.close())
  beforeEach(() => database.reset())

  it('seeds a caseworker and a manager for each ROM region, an administrator with every role, and an auditor', async () => {
    const seeded = await seedDemoUsers(database.db)
    const regions = await database.db.selectFrom('rom_regions').select('code').execute()
    assert.equal(seeded.length, regions.length * 2 + 2)
    const users = await listUsers(database.db)
    const lse = users.filter((user) => !user.regions.all && user.regions.codes.includes('LSE'))
    assert.deepEqual(lse.map((user) => [user.id, user.roles]).sort(), [
      ['caseworker.lse', ['CASEWORKER']],
      ['manager.lse', ['MANAGER']],
    ])
    const admin = users.find((user) => user.id === 'admin')
    // Every role, so that the demo's user pages can give every role.
    assert.deepEqual(admin?.roles, ['CASEWORKER', 'MANAGER', 'RULE_AUTHOR', 'MI_ANALYST', 'ADMIN', 'AUDITOR'])
    assert.equal(admin?.regions.all, true)
    const auditor = users.find((user) => user.id === 'auditor')
    assert.deepEqual(auditor?.roles, ['AUDITOR'])
    assert.equal(auditor?.regions.all, true)
    assert.ok(seeded.every((user) => user.created))
  })

  it('gives every demo account the published demo password', async () => {
    await seedDemoUsers(database.db)
    assert.ok(await authenticate(database.db, 'manager.nw', DEMO_PASSWORD))
    assert.equal(await authenticate(database.db, 'manager.nw', 'something-else'), undefined)
  })

  it('adds nothing the second time, and leaves existing accounts as they are', async () => {
    await seedDemoUsers(database.db)
    await database.db.updateTable('users').set({ name: 'Renamed' }).where('id', '=', 'admin').execute()
    const again = await seedDemoUsers(database.db)
    assert.ok(again.every((user) => !user.created))
    assert.equal(again.length, (await listUsers(database.db)).length)
    const admin = await database.db
      .selectFrom('users')
      .select('name')
      .where('id', '=', 'admin')
      .executeTakeFirst()
    assert.equal(admin?.name, 'Renamed')
  })
})
