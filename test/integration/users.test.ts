import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { verifyPassword } from '../../src/access/passwords.ts'
import { addUser, findUser, listUsers, UserError } from '../../src/access/users.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { runIpic } from '../support/ipic-command.ts'

describe('users', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(() => database.reset())
  after(() => database.close())

  it('adds a user with a hashed password, roles and regions', async () => {
    const user = await addUser(database.db, {
      id: 'jsmith1',
      name: 'Jo Smith',
      roles: ['CASEWORKER'],
      regions: ['LSE', 'MEE'],
      password: 'correct horse battery',
    })
    assert.deepEqual(user.regions, { all: false, codes: ['LSE', 'MEE'] })
    const stored = await findUser(database.db, 'jsmith1')
    assert.ok(stored?.passwordHash?.startsWith('scrypt$'))
    assert.equal(stored?.passwordHash?.includes('correct horse'), false)
    assert.equal(await verifyPassword('correct horse battery', stored!.passwordHash!), true)
    assert.equal(await verifyPassword('wrong horse battery', stored!.passwordHash!), false)
  })

  it('gives national roles every region', async () => {
    await addUser(database.db, {
      id: 'lead',
      name: 'Lee Ead',
      roles: ['MI_ANALYST'],
      regions: 'all',
      password: null,
    })
    const [user] = await listUsers(database.db)
    assert.deepEqual(user?.regions, { all: true })
  })

  it('refuses unknown regions, duplicate IDs, short passwords and missing roles, saying which', async () => {
    const base = {
      id: 'x1',
      name: 'X',
      roles: ['CASEWORKER' as const],
      regions: ['LSE'],
      password: 'long enough password',
    }
    await assert.rejects(addUser(database.db, { ...base, regions: ['ZZ'] }), /Unknown ROM region: ZZ/)
    await assert.rejects(
      addUser(database.db, { ...base, password: 'short' }),
      /password: must be at least 12/,
    )
    await assert.rejects(addUser(database.db, { ...base, roles: [] }), /roles: needs a role/)
    await assert.rejects(addUser(database.db, { ...base, id: 'has space' }), UserError)
    await addUser(database.db, base)
    await assert.rejects(addUser(database.db, base), /already exists/)
    assert.equal((await listUsers(database.db)).length, 1)
  })
})

describe('ipic users (command line)', {
  skip: Boolean(process.env.DATABASE_URL) && 'covered on PGlite',
}, () => {
  let dataDir: string
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ipic-users-'))
  })
  after(() => rm(dataDir, { recursive: true, force: true }))

  /** `ipic ARGS…` on this test's own embedded database. */
  const ipic = (args: string[], input = '') =>
    runIpic(args, { IPIC_DATA_DIR: dataDir, DATABASE_URL: '' }, input)

  it('adds a user with the password from standard input, lists it, and explains a refusal', async () => {
    const added = await ipic(
      [
        'users',
        'add',
        '--id',
        'mgr.nw',
        '--name',
        'Max Green',
        '--role',
        'MANAGER',
        '--region',
        'NW',
        '--password-stdin',
      ],
      'a-long-password-1\n',
    )
    assert.equal(added.code, 0, added.stderr)
    assert.match(added.stdout, /Added mgr\.nw \(Max Green\)/)
    const listed = await ipic(['users', 'list'])
    assert.match(listed.stdout, /mgr\.nw\tMax Green\tManager\tNW/)
    const refused = await ipic(
      [
        'users',
        'add',
        '--id',
        'x2',
        '--name',
        'X',
        '--role',
        'CASEWORKER',
        '--region',
        'ZZ',
        '--password-stdin',
      ],
      'a-long-password-1\n',
    )
    assert.equal(refused.code, 1)
    assert.equal(refused.stderr.trim(), 'ipic: --region: unknown ROM region ZZ')
  })
})
