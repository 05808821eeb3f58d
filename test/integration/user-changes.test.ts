/**
 * The user changes themselves (access/user-changes.ts), on the database:
 * two changes made at once against the same version (one goes through, the
 * other is refused as stale), a change whose audit event cannot be written
 * (nothing changes: the two are one transaction), and the command line
 * actor, bound by no grant rule.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import { type Actor, COMMAND_LINE, changeAccessAs, setActiveAs } from '../../src/access/user-changes.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { addStaff, STAFF, storedUser, userChangeEvents } from '../support/user-admin.ts'

const AT = new Date('2026-03-02T09:00:00Z')
const asUser = (id: keyof typeof STAFF): Actor => {
  const user = STAFF[id]
  return {
    kind: 'user',
    user: {
      id,
      roles: user.roles,
      regions: user.regions === 'all' ? { all: true } : { all: false, codes: user.regions },
    },
  }
}

describe('user changes', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(async () => {
    await database?.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addStaff(database)
  })

  it('of two changes made at once against one version, one goes through and the other is stale', async () => {
    const change = (actor: Actor, region: string) =>
      changeAccessAs(database.db, {
        actor,
        at: AT,
        userId: 'cw.lse',
        expectedVersion: 1,
        access: { roles: ['CASEWORKER'], regions: { all: false, codes: [region] } },
      })
    const results = await Promise.all([change(asUser('root'), 'MEE'), change(asUser('admin'), 'NW')])
    assert.deepEqual(results.map((result) => result.kind).sort(), ['changed', 'stale'])
    const stale = results.find((result) => result.kind === 'stale')
    const stored = await storedUser(database.db, 'cw.lse')
    assert.equal(stored?.version, 2)
    if (stale?.kind === 'stale')
      assert.deepEqual(stale.current.regions, { all: false, codes: stored?.regions })
    assert.equal((await userChangeEvents(database.db)).length, 1)
  })

  it('changes nothing when the audit event cannot be written', async () => {
    await sql`insert into sessions (id, data, expires_at) values ('s1', '{"userId":"cw.lse"}', now() + interval '1 hour')`.execute(
      database.db,
    )
    await sql`alter table audit_events rename to audit_events_away`.execute(database.db)
    try {
      await assert.rejects(
        setActiveAs(database.db, {
          actor: asUser('root'),
          at: AT,
          userId: 'cw.lse',
          expectedVersion: 1,
          active: false,
        }),
      )
      await assert.rejects(
        changeAccessAs(database.db, {
          actor: asUser('root'),
          at: AT,
          userId: 'cw.lse',
          expectedVersion: 1,
          access: { roles: ['MANAGER'], regions: { all: true } },
        }),
      )
    } finally {
      await sql`alter table audit_events_away rename to audit_events`.execute(database.db)
    }
    const stored = await storedUser(database.db, 'cw.lse')
    assert.deepEqual([stored?.active, stored?.roles, stored?.version], [true, ['CASEWORKER'], 1])
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from sessions`.execute(
      database.db,
    )
    assert.equal(rows[0]?.count, 1, 'the session is still there')
  })

  it('the command line may give any role or region, but not none', async () => {
    const give = (roles: ('ADMIN' | 'RULE_AUTHOR')[]) =>
      changeAccessAs(database.db, {
        actor: COMMAND_LINE,
        at: AT,
        userId: 'root',
        expectedVersion: undefined,
        access: { roles, regions: { all: true } },
      })
    assert.equal(
      (await give(['RULE_AUTHOR'])).kind,
      'changed',
      'even an administrator’s own role, to recover a service',
    )
    const none = await give([])
    assert.equal(none.kind, 'invalid')
    if (none.kind === 'invalid') assert.deepEqual(none.problems, [{ field: 'roles', code: 'rolesMissing' }])
    const [event] = await userChangeEvents(database.db)
    assert.equal(event?.user_id, null)
  })
})
