/**
 * Everything the user pages refuse, each with a clear GOV.UK error or the
 * 403 page, a log line, and no change to the user's row: a manager reaching
 * beyond their regions' caseworkers, anyone granting a role or region they
 * do not hold, forged form values, a post without its CSRF token, an edit
 * made against an older version of the user, one's own deactivation or
 * administrator role. And deactivation signs the user out at once.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { addStaff, storedUser, submitForm, userChangeEvents, versionIn } from '../support/user-admin.ts'
import {
  addTestUser,
  csrfTokenIn,
  errorSummaryOf,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
} from '../support/web.ts'

describe('user pages: refusals', () => {
  let database: TestDatabase
  let web: TestApp

  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database)
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addStaff(database)
    web.logs.lines.length = 0
  })

  /** The problem codes of every "user change refused" log line. */
  const refusalsLogged = () =>
    web.logs.lines.filter((line) => line.msg === 'user change refused').map((line) => line.problems)

  /** Asserts that nothing about these users changed and nothing was recorded. */
  async function assertUnchanged(...ids: string[]) {
    for (const id of ids) assert.equal((await storedUser(database.db, id))?.version, 1, `${id} is unchanged`)
    assert.deepEqual(await userChangeEvents(database.db), [])
  }

  it('a manager cannot open or change another region’s caseworker, a manager or an administrator', async () => {
    const manager = await signedInClient(web.app, 'mgr.lse')
    const csrf = csrfTokenIn((await manager.get(paths.users())).body)
    for (const subject of ['cw.mee', 'cw.both', 'mgr.mee', 'admin', 'mgr.lse']) {
      for (const url of [paths.user(subject), paths.userAccess(subject), paths.userDeactivate(subject)]) {
        const response = await manager.get(url)
        assert.equal(response.statusCode, 403, url)
        assert.match(response.body, /You do not have permission to see this page/)
      }
      const posts = [
        manager.post(paths.userAccess(subject), {
          _csrf: csrf,
          version: '1',
          roles: 'CASEWORKER',
          regions: 'LSE',
        }),
        manager.post(paths.userDeactivate(subject), { _csrf: csrf, version: '1' }),
        manager.post(paths.userReactivate(subject), { _csrf: csrf, version: '1' }),
      ]
      for (const response of await Promise.all(posts)) assert.equal(response.statusCode, 403, subject)
    }
    assert.ok(web.logs.lines.some((line) => line.msg === 'forbidden'))
    await assertUnchanged('cw.mee', 'cw.both', 'mgr.mee', 'admin', 'mgr.lse')
    // An ID nobody has is "page not found".
    assert.equal((await manager.get(paths.user('nobody'))).statusCode, 404)
  })

  it('a manager cannot give the manager role or another region, even by a forged form', async () => {
    const manager = await signedInClient(web.app, 'mgr.lse')
    const page = paths.userAccess('cw.lse')
    const asManager = await submitForm(manager, page, page, {
      version: '1',
      roles: ['CASEWORKER', 'MANAGER'],
      regions: 'LSE',
    })
    assert.equal(asManager.statusCode, 400)
    assert.deepEqual(errorSummaryOf(asManager.body), [
      ['You cannot give the role Manager: select only roles you can give', '#roles'],
    ])
    const elsewhere = await submitForm(manager, page, page, {
      version: '1',
      roles: 'CASEWORKER',
      regions: ['LSE', 'MEE'],
    })
    assert.deepEqual(errorSummaryOf(elsewhere.body), [['Select only regions you work in', '#regions']])
    const everywhere = await submitForm(manager, paths.userNew(), paths.userNew(), {
      id: 'cw.everywhere',
      name: 'Evan Everywhere',
      roles: 'CASEWORKER',
      regions: 'all',
      password: 'a-long-enough-password',
    })
    assert.deepEqual(errorSummaryOf(everywhere.body), [
      ['You cannot give access to all regions: select regions you work in', '#regions'],
    ])
    assert.equal(await storedUser(database.db, 'cw.everywhere'), undefined)
    assert.deepEqual(refusalsLogged(), [
      ['roleNotGrantable'],
      ['regionNotGrantable'],
      ['allRegionsNotGrantable'],
    ])
    await assertUnchanged('cw.lse')
  })

  it('an administrator cannot give a role or region they do not hold', async () => {
    await addTestUser(database, { id: 'admin.lse', name: 'Lee Admin', roles: ['ADMIN'], regions: ['LSE'] })
    const admin = await signedInClient(web.app, 'admin')
    const form = await admin.get(paths.userNew())
    // Only the roles they hold are offered.
    assert.deepEqual(
      [...form.body.matchAll(/name="roles" type="checkbox" value="([^"]+)"/g)].map((m) => m[1]),
      ['ADMIN'],
    )
    const caseworker = await submitForm(admin, paths.userAccess('cw.lse'), paths.userAccess('cw.lse'), {
      version: '1',
      roles: ['CASEWORKER', 'MI_ANALYST'],
      regions: 'LSE',
    })
    assert.deepEqual(errorSummaryOf(caseworker.body), [
      ['You cannot give the role MI analyst: select only roles you can give', '#roles'],
    ])
    const regional = await signedInClient(web.app, 'admin.lse')
    const wider = await submitForm(regional, paths.userAccess('cw.lse'), paths.userAccess('cw.lse'), {
      version: '1',
      roles: 'CASEWORKER',
      regions: ['LSE', 'NW'],
    })
    assert.deepEqual(errorSummaryOf(wider.body), [['Select only regions you work in', '#regions']])
    assert.doesNotMatch((await regional.get(paths.userNew())).body, /value="all"/)
    await assertUnchanged('cw.lse')
  })

  it('refuses forged and hostile values on the add form, changing nothing', async () => {
    const root = await signedInClient(web.app, 'root')
    const add = (fields: Record<string, string | string[]>) =>
      submitForm(root, paths.userNew(), paths.userNew(), {
        id: 'fine.id',
        name: 'Fine Name',
        roles: 'CASEWORKER',
        regions: 'LSE',
        password: 'a-long-enough-password',
        ...fields,
      })
    const cases: [Record<string, string | string[]>, [string, string][]][] = [
      [{ roles: ['CASEWORKER', 'SUPERUSER'] }, [['Select roles from the list', '#roles']]],
      [{ regions: '<script>alert(1)</script>' }, [['Select regions from the list', '#regions']]],
      [{ regions: "LSE'); drop table users; --" }, [['Select regions from the list', '#regions']]],
      [{ regions: ['LSE', 'all'] }, [['Select all regions or individual regions, not both', '#regions']]],
      [{ id: 'x'.repeat(10_000) }, [['User ID must be 40 characters or fewer', '#id']]],
      [{ name: 'n'.repeat(10_000) }, [['Full name must be 100 characters or fewer', '#name']]],
      [
        { id: "x'; drop table users; --" },
        [
          [
            'User ID must be at least 2 characters and include only letters, numbers, full stops, hyphens and underscores',
            '#id',
          ],
        ],
      ],
      [
        { id: '<b>bold</b>' },
        [
          [
            'User ID must be at least 2 characters and include only letters, numbers, full stops, hyphens and underscores',
            '#id',
          ],
        ],
      ],
      [{ id: 'new' }, [['User ID cannot be “new”: choose another', '#id']]],
      [{ id: 'cw.lse' }, [['A user with this ID already exists', '#id']]],
      [
        { name: 'Nul\u0000Name' },
        [['Full name must not include hidden characters, which can come from pasting text', '#name']],
      ],
      [
        { email: 'not-an-email' },
        [['Enter an email address in the correct format, like name@example.com', '#email']],
      ],
      [{ password: 'short' }, [['Password must be 12 characters or more', '#password']]],
      [{ password: '' }, [['Enter a password', '#password']]],
      [
        { roles: [] as string[], regions: [] as string[] },
        [
          ['Select at least one role', '#roles'],
          ['Select at least one region, or all regions', '#regions'],
        ],
      ],
    ]
    for (const [fields, summary] of cases) {
      const response = await add(fields)
      assert.equal(response.statusCode, 400, JSON.stringify(fields).slice(0, 80))
      assert.deepEqual(errorSummaryOf(response.body), summary, JSON.stringify(fields).slice(0, 80))
      assert.doesNotMatch(response.body, /<script>alert|<b>bold/)
    }
    assert.equal(refusalsLogged().length, cases.length)
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from users`.execute(
      database.db,
    )
    assert.equal(rows[0]?.count, 9, 'no user was added, and the table is there')
    assert.deepEqual(await userChangeEvents(database.db), [])
    // The log names the problems, never the values typed.
    assert.doesNotMatch(web.logs.text(), /a-long-enough-password|drop table/)
  })

  it('refuses a search longer than any ID or name, and treats SQL in it as text', async () => {
    const admin = await signedInClient(web.app, 'admin')
    const long = await admin.get(paths.users({ text: 'x'.repeat(10_000) }))
    assert.equal(long.statusCode, 400)
    assert.deepEqual(errorSummaryOf(long.body), [
      ['Name or user ID must be 100 characters or fewer', '#text'],
    ])
    const injected = await admin.get(paths.users({ text: "' or 1=1 --", role: 'NOT_A_ROLE', region: '<x>' }))
    assert.equal(injected.statusCode, 200)
    assert.match(textOf(injected.body), /No users match these filters/)
  })

  it('refuses a post without its CSRF token, and a tampered version', async () => {
    const admin = await signedInClient(web.app, 'root')
    const noToken = await admin.post(paths.userAccess('cw.lse'), {
      version: '1',
      roles: 'MANAGER',
      regions: 'LSE',
    })
    assert.equal(noToken.statusCode, 403)
    assert.match(noToken.body, /form/i)
    assert.equal((await admin.post(paths.userDeactivate('cw.lse'), { version: '1' })).statusCode, 403)
    assert.equal(
      (await admin.post(paths.userNew(), { id: 'x1', name: 'X', roles: 'ADMIN', regions: 'all' })).statusCode,
      403,
    )
    assert.ok(web.logs.lines.some((line) => line.msg === 'form refused: missing or wrong CSRF token'))
    const csrf = csrfTokenIn((await admin.get(paths.users())).body)
    for (const version of ['', 'abc', '0', '1; drop table users', 'x'.repeat(10_000)]) {
      const tampered = await admin.post(paths.userDeactivate('cw.lse'), { _csrf: csrf, version })
      assert.equal(tampered.statusCode, 400, version.slice(0, 20))
    }
    await assertUnchanged('cw.lse')
    assert.equal(await storedUser(database.db, 'x1'), undefined)
  })

  it('refuses an edit made against an older version, showing the user as they are now', async () => {
    const first = await signedInClient(web.app, 'root')
    const second = await signedInClient(web.app, 'admin')
    const firstForm = await first.get(paths.userAccess('cw.lse'))
    const secondForm = await second.get(paths.userAccess('cw.lse'))
    const saved = await first.post(paths.userAccess('cw.lse'), {
      _csrf: csrfTokenIn(firstForm.body),
      version: versionIn(firstForm.body),
      roles: 'CASEWORKER',
      regions: ['LSE', 'MEE'],
    })
    assert.equal(saved.statusCode, 303)
    const stale = await second.post(paths.userAccess('cw.lse'), {
      _csrf: csrfTokenIn(secondForm.body),
      version: versionIn(secondForm.body),
      roles: 'CASEWORKER',
      regions: 'NW',
    })
    assert.equal(stale.statusCode, 409)
    assert.match(
      textOf(stale.body),
      /This user was changed by someone else while you were making your change/,
    )
    // The form now holds the current regions and version: saving again is a decision made on them.
    assert.match(stale.body, /value="MEE" checked/)
    assert.equal(versionIn(stale.body), '2')
    const stored = await storedUser(database.db, 'cw.lse')
    assert.deepEqual([stored?.regions, stored?.version], [['LSE', 'MEE'], 2])
    assert.equal((await userChangeEvents(database.db)).length, 1)

    // A deactivation confirmed against the older version is refused the same way.
    const staleDeactivation = await second.post(paths.userDeactivate('cw.lse'), {
      _csrf: csrfTokenIn(secondForm.body),
      version: '1',
    })
    assert.equal(staleDeactivation.statusCode, 409)
    assert.match(textOf(staleDeactivation.body), /changed by someone else/)
    assert.equal((await storedUser(database.db, 'cw.lse'))?.active, true)
  })

  it('nobody deactivates themselves or takes away their own administrator role', async () => {
    const root = await signedInClient(web.app, 'root')
    const own = await root.get(paths.user('root'))
    assert.doesNotMatch(own.body, /Deactivate user/)
    assert.equal((await root.get(paths.userDeactivate('root'))).statusCode, 303)
    const deactivate = await root.post(paths.userDeactivate('root'), {
      _csrf: csrfTokenIn(own.body),
      version: '1',
    })
    assert.equal(deactivate.statusCode, 400)
    assert.deepEqual(errorSummaryOf(deactivate.body), [
      ['You cannot deactivate your own account', '#confirm-deactivation'],
    ])
    const demote = await submitForm(root, paths.userAccess('root'), paths.userAccess('root'), {
      version: '1',
      roles: ['CASEWORKER', 'MANAGER'],
      regions: 'all',
    })
    assert.equal(demote.statusCode, 400)
    assert.deepEqual(errorSummaryOf(demote.body), [
      ['You cannot remove your own Administrator role: ask another administrator to do it', '#roles'],
    ])
    assert.deepEqual(refusalsLogged(), [['ownAccount'], ['ownAdministratorRole']])
    await assertUnchanged('root')
  })

  it('deactivation signs the user out at once; reactivation lets them sign in again', async () => {
    const caseworker = await signedInClient(web.app, 'cw.lse')
    const elsewhere = await signedInClient(web.app, 'cw.lse')
    assert.equal((await caseworker.get(paths.home())).statusCode, 200)
    const sessionsOf = async () =>
      (
        await sql<{
          count: number
        }>`select count(*)::int as count from sessions where data->>'userId' = 'cw.lse'`.execute(database.db)
      ).rows[0]?.count
    assert.equal(await sessionsOf(), 2)

    const manager = await signedInClient(web.app, 'mgr.lse')
    const done = await submitForm(manager, paths.userDeactivate('cw.lse'), paths.userDeactivate('cw.lse'), {
      version: '1',
    })
    assert.equal(done.statusCode, 303)
    assert.equal(await sessionsOf(), 0)
    for (const client of [caseworker, elsewhere]) {
      const next = await client.get(paths.reviewTasks())
      assert.equal(next.statusCode, 303)
      assert.match(String(next.headers.location), /^\/sign-in/)
    }
    assert.equal((await caseworker.signIn('cw.lse')).statusCode, 400, 'a deactivated user cannot sign in')

    const details = await manager.get(paths.user('cw.lse'))
    await manager.post(paths.userReactivate('cw.lse'), {
      _csrf: csrfTokenIn(details.body),
      version: versionIn(details.body),
    })
    assert.equal((await caseworker.signIn('cw.lse')).statusCode, 303)
  })
})
