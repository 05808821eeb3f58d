/**
 * The user pages over HTTP, as an administrator and as a manager: finding
 * users by ID or name, role, region and status, a page at a time; adding a
 * user; their details with Change links; changing roles and regions;
 * deactivating through "Are you sure…" and reactivating. Each change shows
 * a success banner, raises the user's version and is in the audit trail
 * with who made it, before and after.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { verifyPassword } from '../../src/access/passwords.ts'
import { findUser } from '../../src/access/users.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { addStaff, storedUser, submitForm, userChangeEvents, versionIn } from '../support/user-admin.ts'
import { signedInClient, startTestApp, type TestApp, textOf, titleOf, WebClient } from '../support/web.ts'

/** The user IDs in the results table, in order. */
function idsListed(html: string): string[] {
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return [
    ...body.matchAll(
      /<tr class="govuk-table__row">\s*<td[^>]*>.*?<\/td>\s*<td class="govuk-table__cell">([^<]+)<\/td>/g,
    ),
  ].map((match) => match[1]!)
}

describe('user pages', () => {
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
  })

  it('offers "Users" in the navigation and on the home page to administrators and managers only', async () => {
    for (const [id, offered] of [
      ['admin', true],
      ['mgr.lse', true],
      ['cw.lse', false],
      ['analyst', false],
    ] as const) {
      const home = (await (await signedInClient(web.app, id)).get(paths.home())).body
      assert.equal(/href="\/users"/.test(home), offered, id)
    }
  })

  it('finds users by part of the ID or name in any case, role, region and status', async () => {
    const admin = await signedInClient(web.app, 'admin')
    const find = async (query: Record<string, string>) => {
      const response = await admin.get(paths.users(query))
      assert.equal(response.statusCode, 200)
      return idsListed(response.body)
    }
    // In order of name.
    assert.deepEqual(await find({}), [
      'admin',
      'analyst',
      'cw.both',
      'cw.lse',
      'cw.lse2',
      'cw.mee',
      'mgr.mee',
      'mgr.lse',
      'root',
    ])
    assert.deepEqual(await find({ text: 'CASEWORKER' }), ['cw.lse', 'cw.lse2', 'cw.mee'])
    assert.deepEqual(await find({ text: 'MGR.l' }), ['mgr.lse'])
    assert.deepEqual(await find({ role: 'MANAGER' }), ['mgr.mee', 'mgr.lse', 'root'])
    // Everyone who works in MEE: its own users and the national ones.
    assert.deepEqual(await find({ region: 'MEE', role: 'CASEWORKER' }), ['cw.both', 'cw.mee', 'root'])
    await database.db.updateTable('users').set({ active: false }).where('id', '=', 'cw.lse2').execute()
    assert.deepEqual(await find({ status: 'inactive' }), ['cw.lse2'])
    assert.equal((await find({ status: 'active' })).length, 8)
    // Nothing matches: said in words, with no table.
    const none = await admin.get(paths.users({ text: 'nobody-here' }))
    assert.match(textOf(none.body), /No users match these filters/)
  })

  it('shows a long list a page at a time', async () => {
    const bulk = Array.from({ length: 55 }, (_, index) => String(index + 1).padStart(2, '0'))
    await database.db
      .insertInto('users')
      .values(
        bulk.map((n) => ({
          id: `bulk${n}`,
          name: `Bulk ${n}`,
          roles: ['CASEWORKER'],
          regions: ['LSE'],
          password_hash: null,
        })),
      )
      .execute()
    const admin = await signedInClient(web.app, 'admin')
    const first = await admin.get(paths.users({ text: 'bulk' }))
    assert.equal(idsListed(first.body).length, 50)
    assert.match(textOf(first.body), /Showing 1 to 50 of 55 users/)
    assert.match(first.body, /href="\/users\?text=bulk&amp;page=2"/)
    const second = await admin.get(paths.users({ text: 'bulk', page: '2' }))
    assert.deepEqual(idsListed(second.body), ['bulk51', 'bulk52', 'bulk53', 'bulk54', 'bulk55'])
  })

  it('a manager finds only the caseworkers of their own regions', async () => {
    const manager = await signedInClient(web.app, 'mgr.lse')
    assert.deepEqual(idsListed((await manager.get(paths.users())).body), ['cw.lse', 'cw.lse2'])
    // Not even by name.
    assert.deepEqual(idsListed((await manager.get(paths.users({ text: 'manager' }))).body), [])
    // Their regions are the only ones to filter by.
    const page = (await manager.get(paths.users())).body
    const regionOptions = /<select[^>]*name="region"[^>]*>([\s\S]*?)<\/select>/.exec(page)?.[1] ?? ''
    assert.deepEqual(
      [...regionOptions.matchAll(/value="([^"]*)"/g)].map((match) => match[1]),
      ['', 'LSE'],
    )
  })

  it('an administrator adds a user, who can then sign in with the password given', async () => {
    const root = await signedInClient(web.app, 'root')
    const added = await submitForm(root, paths.userNew(), paths.userNew(), {
      id: 'new.caseworker',
      name: '  Nia Newcomer ',
      email: 'nia@example.gov.uk',
      roles: ['CASEWORKER', 'RULE_AUTHOR'],
      regions: ['LSE', 'NW'],
      password: 'a-long-enough-password',
    })
    assert.equal(added.statusCode, 303)
    assert.equal(added.headers.location, '/users/new.caseworker?done=added')
    const details = await root.get(String(added.headers.location))
    assert.match(titleOf(details.body), /^Nia Newcomer/)
    const text = textOf(details.body)
    assert.match(text, /Success Nia Newcomer has been added/)
    assert.match(text, /Roles Caseworker, Rule author Change roles/)
    assert.match(text, /Regions London and South East, North West Change regions/)
    assert.match(text, /Email address nia@example\.gov\.uk/)
    const stored = await findUser(database.db, 'new.caseworker')
    assert.ok(stored?.passwordHash && (await verifyPassword('a-long-enough-password', stored.passwordHash)))
    assert.deepEqual(await userChangeEvents(database.db), [
      {
        kind: 'user-added',
        user_id: 'root',
        subject_user_id: 'new.caseworker',
        details: {
          after: {
            name: 'Nia Newcomer',
            email: 'nia@example.gov.uk',
            roles: ['CASEWORKER', 'RULE_AUTHOR'],
            regions: ['LSE', 'NW'],
            active: true,
          },
        },
      },
    ])
    const newcomer = await new WebClient(web.app).signIn('new.caseworker', 'a-long-enough-password')
    assert.equal(newcomer.statusCode, 303, 'the new user signs in')
  })

  it('a manager adds a caseworker in their region; the form offers only that role and their regions', async () => {
    const manager = await signedInClient(web.app, 'mgr.lse')
    const form = await manager.get(paths.userNew())
    assert.deepEqual(
      [...form.body.matchAll(/name="roles" type="checkbox" value="([^"]+)"/g)].map((m) => m[1]),
      ['CASEWORKER'],
    )
    assert.deepEqual(
      [...form.body.matchAll(/name="regions" type="checkbox" value="([^"]+)"/g)].map((m) => m[1]),
      ['LSE'],
    )
    const added = await submitForm(manager, paths.userNew(), paths.userNew(), {
      id: 'cw.new',
      name: 'Carey New',
      roles: 'CASEWORKER',
      regions: 'LSE',
      password: 'a-long-enough-password',
    })
    assert.equal(added.statusCode, 303)
    assert.deepEqual((await storedUser(database.db, 'cw.new'))?.roles, ['CASEWORKER'])
  })

  it('changes roles and regions, raising the version and recording before and after', async () => {
    const admin = await signedInClient(web.app, 'root')
    const form = await admin.get(paths.userAccess('cw.lse'))
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /value="CASEWORKER" checked/)
    const changed = await admin.post(paths.userAccess('cw.lse'), {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!,
      version: versionIn(form.body),
      roles: ['CASEWORKER', 'MANAGER'],
      regions: ['MEE'],
    })
    assert.equal(changed.statusCode, 303)
    assert.equal(changed.headers.location, '/users/cw.lse?done=changed')
    assert.match(
      textOf((await admin.get(String(changed.headers.location))).body),
      /Cal Caseworker’s roles and regions have been changed/,
    )
    const stored = await storedUser(database.db, 'cw.lse')
    assert.deepEqual(
      [stored?.roles, stored?.regions, stored?.version],
      [['CASEWORKER', 'MANAGER'], ['MEE'], 2],
    )
    const [event] = await userChangeEvents(database.db)
    assert.deepEqual(event, {
      kind: 'user-changed',
      user_id: 'root',
      subject_user_id: 'cw.lse',
      details: {
        before: {
          name: 'Cal Caseworker',
          email: null,
          roles: ['CASEWORKER'],
          regions: ['LSE'],
          active: true,
        },
        after: {
          name: 'Cal Caseworker',
          email: null,
          roles: ['CASEWORKER', 'MANAGER'],
          regions: ['MEE'],
          active: true,
        },
      },
    })
  })

  it('names the signed-in user in the header, not the user shown, on every user page', async () => {
    const admin = await signedInClient(web.app, 'root')
    for (const url of [paths.user('cw.lse'), paths.userAccess('cw.lse'), paths.userDeactivate('cw.lse')]) {
      const page = (await admin.get(url)).body
      assert.match(page, /<p class="app-account__name">Robin Root<\/p>/, url)
      assert.match(page, /Cal Caseworker/, url)
    }
  })

  it('gives all regions, offered only to someone who has them', async () => {
    const admin = await signedInClient(web.app, 'root')
    const changed = await submitForm(admin, paths.userAccess('cw.lse'), paths.userAccess('cw.lse'), {
      version: '1',
      roles: 'CASEWORKER',
      regions: 'all',
    })
    assert.equal(changed.statusCode, 303)
    assert.equal((await storedUser(database.db, 'cw.lse'))?.all_regions, true)
    const manager = await signedInClient(web.app, 'mgr.lse')
    assert.doesNotMatch((await manager.get(paths.userNew())).body, /value="all"/)
  })

  it('deactivates through "Are you sure…", then reactivates', async () => {
    const manager = await signedInClient(web.app, 'mgr.lse')
    const details = await manager.get(paths.user('cw.lse'))
    assert.match(details.body, new RegExp(`href="${paths.userDeactivate('cw.lse')}"`))
    const confirm = await manager.get(paths.userDeactivate('cw.lse'))
    assert.match(titleOf(confirm.body), /^Are you sure you want to deactivate Cal Caseworker\?/)
    assert.match(confirm.body, /govuk-warning-text/)
    const deactivated = await submitForm(
      manager,
      paths.userDeactivate('cw.lse'),
      paths.userDeactivate('cw.lse'),
      {
        version: versionIn(confirm.body),
      },
    )
    assert.equal(deactivated.statusCode, 303)
    const after = await manager.get(String(deactivated.headers.location))
    assert.match(textOf(after.body), /Cal Caseworker has been deactivated and signed out/)
    assert.match(textOf(after.body), /Status Deactivated/)
    assert.equal((await storedUser(database.db, 'cw.lse'))?.active, false)

    const reactivated = await manager.post(paths.userReactivate('cw.lse'), {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(after.body)![1]!,
      version: versionIn(after.body),
    })
    assert.equal(reactivated.statusCode, 303)
    assert.match(
      textOf((await manager.get(String(reactivated.headers.location))).body),
      /Cal Caseworker has been reactivated/,
    )
    const stored = await storedUser(database.db, 'cw.lse')
    assert.deepEqual([stored?.active, stored?.version], [true, 3])
    assert.deepEqual(
      (await userChangeEvents(database.db)).map((event) => [
        event.kind,
        event.user_id,
        (event.details.after as { active: boolean }).active,
      ]),
      [
        ['user-deactivated', 'mgr.lse', false],
        ['user-reactivated', 'mgr.lse', true],
      ],
    )
  })
})
