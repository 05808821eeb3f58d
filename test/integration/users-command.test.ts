/**
 * `ipic users add | set-roles | deactivate | reactivate`, run as an
 * operator runs them (the real command, its own process, the embedded
 * database in a scratch folder): roles in any letter case, an unknown role
 * refused with the roles named, and every change in the audit trail as the
 * work of a command (no user) with the user before and after.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openDatabase } from '../../src/db/connect.ts'
import { runIpic } from '../support/ipic-command.ts'
import { storedUser, userChangeEvents } from '../support/user-admin.ts'

describe('ipic users: add, set-roles, deactivate, reactivate', {
  skip: Boolean(process.env.DATABASE_URL) && 'covered on PGlite',
}, () => {
  let dataDir: string
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ipic-users-command-'))
  })
  after(() => rm(dataDir, { recursive: true, force: true }))

  const ipic = (args: string[], input = '') =>
    runIpic(['users', ...args], { IPIC_DATA_DIR: dataDir, DATABASE_URL: '' }, input)

  /** The database the commands wrote, opened once they have all finished. */
  async function inDatabase<T>(read: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>) {
    const database = await openDatabase({ kind: 'pglite', dataDir })
    try {
      return await read(database.db)
    } finally {
      await database.close()
    }
  }

  it('refuses an unknown role before touching anything, naming the roles', async () => {
    const refused = await ipic(['add', '--id', 'x1', '--name', 'X', '--role', 'superuser', '--region', 'LSE'])
    assert.equal(refused.code, 1)
    assert.equal(
      refused.stderr.trim(),
      'ipic: Unknown role: superuser. The roles are CASEWORKER (Caseworker), MANAGER (Manager), RULE_AUTHOR (Rule author), MI_ANALYST (MI analyst), ADMIN (Administrator), AUDITOR (Auditor), in any letter case',
    )
  })

  it('adds, sets roles and regions, deactivates and reactivates, each recorded as a command’s work', async () => {
    const added = await ipic(
      [
        'add',
        '--id',
        'cw.cli',
        '--name',
        'Cleo Line',
        '--role',
        'caseworker',
        '--region',
        'LSE',
        '--password-stdin',
      ],
      'a-long-password-1\n',
    )
    assert.equal(added.code, 0, added.stderr)
    assert.equal(added.stdout, 'Added cw.cli (Cleo Line)\n')

    const setRoles = await ipic([
      'set-roles',
      '--id',
      'cw.cli',
      '--role',
      'Caseworker',
      'MANAGER',
      '--region',
      'mee',
      'NW',
    ])
    assert.equal(setRoles.code, 0, setRoles.stderr)
    assert.equal(setRoles.stdout, 'Changed cw.cli (Cleo Line): Caseworker, Manager; MEE, NW\n')

    // Without --region, the regions stay as they are.
    const rolesOnly = await ipic(['set-roles', '--id', 'cw.cli', '--role', 'mi analyst'])
    assert.equal(rolesOnly.stdout, 'Changed cw.cli (Cleo Line): MI analyst; MEE, NW\n')

    const unknownRegion = await ipic([
      'set-roles',
      '--id',
      'cw.cli',
      '--role',
      'caseworker',
      '--region',
      'ZZ',
    ])
    assert.equal(unknownRegion.code, 1)
    assert.equal(unknownRegion.stderr.trim(), 'ipic: --region: unknown ROM region ZZ')

    const deactivated = await ipic(['deactivate', '--id', 'cw.cli'])
    assert.equal(
      deactivated.stdout,
      'Deactivated cw.cli (Cleo Line): MI analyst; MEE, NW; deactivated; their sessions have ended\n',
    )
    const again = await ipic(['deactivate', '--id', 'cw.cli'])
    assert.equal(again.stdout, 'cw.cli is already deactivated: nothing changed\n')
    const reactivated = await ipic(['reactivate', '--id', 'cw.cli'])
    assert.equal(reactivated.stdout, 'Reactivated cw.cli (Cleo Line): MI analyst; MEE, NW\n')
    const nobody = await ipic(['deactivate', '--id', 'nobody'])
    assert.equal(nobody.code, 1)
    assert.equal(nobody.stderr.trim(), 'ipic: No user has the ID nobody')

    const [stored, events] = await inDatabase(
      async (db) => [await storedUser(db, 'cw.cli'), await userChangeEvents(db)] as const,
    )
    assert.deepEqual(
      [stored?.roles, stored?.regions, stored?.active, stored?.version],
      [['MI_ANALYST'], ['MEE', 'NW'], true, 5],
    )
    assert.deepEqual(
      events.map((event) => [event.kind, event.user_id, event.subject_user_id]),
      [
        ['user-added', null, 'cw.cli'],
        ['user-changed', null, 'cw.cli'],
        ['user-changed', null, 'cw.cli'],
        ['user-deactivated', null, 'cw.cli'],
        ['user-reactivated', null, 'cw.cli'],
      ],
    )
    assert.deepEqual(events[1]?.details, {
      before: { name: 'Cleo Line', email: null, roles: ['CASEWORKER'], regions: ['LSE'], active: true },
      after: {
        name: 'Cleo Line',
        email: null,
        roles: ['CASEWORKER', 'MANAGER'],
        regions: ['MEE', 'NW'],
        active: true,
      },
    })
  })
})
