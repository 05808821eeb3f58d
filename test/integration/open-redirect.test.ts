/**
 * Nothing the browser sends in `returnTo` or `back` can send a user to
 * another site: not the sign-in redirect (already signed in, or after a
 * correct password) and not a case page's back link or the decision pages'
 * links. The values are written into the URL as an attacker would write
 * them, not as paths.ts would encode them.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { seedLseAndMeeTasks } from '../support/case-tasks.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { manualClock } from '../support/tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  signedInClient,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
  WebClient,
} from '../support/web.ts'

/** Query-string values that lead off the site once a browser resolves them. */
const LEAVING = [
  '/.//evil.example',
  '/..//evil.example',
  '/a/..//evil.example',
  '/%2e//evil.example',
  '/%2E%2E//evil.example',
  '/.%2e//evil.example',
  '//evil.example',
  '/%2f%2fevil.example',
  '/./%2f/evil.example',
  '/%5cevil.example',
  '/\\evil.example',
  '/%09/evil.example',
  'https:evil.example',
  'https://evil.example',
]

/** The value as it would appear in a query string: '%' and '\' escaped once more, the rest as typed. */
const inQuery = (value: string) => value.replace(/%/g, '%25').replace(/\\/g, '%5C')

describe('return paths from the browser', () => {
  let database: TestDatabase
  let web: TestApp
  let lseTask: number

  before(async () => {
    database = await openTestDatabase()
    const clock = manualClock(new Date('2026-03-02T09:00:00Z'))
    web = await startTestApp(database, { clock })
    await addTestUser(database, { id: 'cw1', regions: ['LSE'] })
    ;({ lseTask } = await seedLseAndMeeTasks(database.db, clock))
  })
  after(async () => {
    await web.close()
    await database.close()
  })

  for (const value of LEAVING) {
    for (const query of [`returnTo=${value}`, `returnTo=${inQuery(value)}`]) {
      it(`sign-in with ${query} sends a signed-in user home, not away`, async () => {
        const client = await signedInClient(web.app, 'cw1')
        const response = await client.get(`${paths.signIn()}?${query}`)
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, paths.home())
      })

      it(`sign-in with ${query} sends where the user's work starts after a correct password, not away`, async () => {
        const client = new WebClient(web.app)
        const form = await client.get(`${paths.signIn()}?${query}`)
        assert.equal(form.statusCode, 200)
        assert.doesNotMatch(form.body, /name="returnTo"/)
        assert.doesNotMatch(form.body, /evil\.example/)
        // The hidden field tampered with directly gets the same answer.
        const signedIn = await client.post(paths.signIn(), {
          _csrf: csrfTokenIn(form.body),
          userId: 'cw1',
          password: TEST_PASSWORD,
          returnTo: decodeURIComponent(query.slice('returnTo='.length)),
        })
        assert.equal(signedIn.statusCode, 303)
        assert.equal(signedIn.headers.location, paths.reviewTasks())
      })
    }

    it(`a case page given back=${value} links back to the review list, not away`, async () => {
      const client = await signedInClient(web.app, 'cw1')
      const opened = await client.get(`${paths.task(lseTask)}?back=${inQuery(value)}`)
      assert.equal(opened.statusCode, 303)
      assert.equal(opened.headers.location, paths.taskSection(lseTask, 'person-details'))
      for (const url of [
        `${paths.taskSection(lseTask, 'person-details')}?back=${inQuery(value)}`,
        `${paths.taskSection(lseTask, 'history')}?back=${value}`,
        `${paths.taskDecision(lseTask, 'reject')}?back=${inQuery(value)}`,
      ]) {
        const page = await client.get(url)
        assert.equal(page.statusCode, 200, url)
        assert.doesNotMatch(page.body, /evil\.example/, url)
        assert.ok(page.body.includes(`href="${paths.reviewTasks()}"`), url)
      }
    })
  }

  it('still returns to a page of this service after sign-in', async () => {
    const client = new WebClient(web.app)
    const back = '/review-tasks/LSE/recommended?page=2'
    const form = await client.get(paths.signIn(back))
    const signedIn = await client.post(paths.signIn(), {
      _csrf: csrfTokenIn(form.body),
      userId: 'cw1',
      password: TEST_PASSWORD,
      returnTo: back,
    })
    assert.equal(signedIn.headers.location, back)
    assert.equal((await client.get(paths.signIn(back))).headers.location, back)
  })
})
