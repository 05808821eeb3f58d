/**
 * The Background jobs page over HTTP: empty before pg-boss has made its
 * tables, then every job newest first with its state as a tag in words,
 * its attempts, and the error of a failed one (escaped: a payload can hold
 * anything); the tabs narrow the list to one group of states.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { jobHandlers } from '../../src/commands/job-handlers.ts'
import { clockFor, loadConfig } from '../../src/config.ts'
import { JobQueue } from '../../src/jobs/queue.ts'
import { createLogger } from '../../src/logger.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, REFERENCE_DIR, type TestDatabase } from '../support/database.ts'
import {
  addTestUser,
  referenceDataIn,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
  titleOf,
} from '../support/web.ts'

describe('the Background jobs page', () => {
  let database: TestDatabase
  let web: TestApp
  let queue: JobQueue | undefined
  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database)
    await addTestUser(database, { id: 'admin', name: 'Ada Min', roles: ['ADMIN'], regions: 'all' })
  })
  after(async () => {
    await queue?.close()
    await web.close()
    await database.close()
  })

  /** The rows of the table, as their text, cell by cell. */
  function rowsOf(html: string): string[][] {
    const body = html.split('<tbody')[1]?.split('</tbody>')[0] ?? ''
    return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => textOf(cell[1] ?? '')),
    )
  }

  it('says there are no jobs before the queue has ever started', async () => {
    const admin = await signedInClient(web.app, 'admin')
    const page = await admin.get(paths.jobs())
    assert.equal(page.statusCode, 200)
    assert.equal(titleOf(page.body), 'Background jobs – Identify and prioritise immigration cases – GOV.UK')
    assert.match(textOf(page.body), /No background job has been queued yet\./)
  })

  it('lists each job with its state in words, its attempts and a failed one’s error, newest first', async () => {
    const config = loadConfig({ IPIC_REFERENCE_DIR: REFERENCE_DIR })
    const runtime = {
      config,
      clock: clockFor(config),
      database,
      reference: await referenceDataIn(REFERENCE_DIR),
      logger: createLogger('silent'),
    }
    queue = await JobQueue.open(database, database.url, { pollingIntervalSeconds: 0.5 })
    // Sessions are cleaned up and bad payloads failed; no worker here takes the audit purge.
    const { 'session-cleanup': cleanup } = jobHandlers(runtime)
    await queue.work({ 'session-cleanup': cleanup, 'rule-run': async () => undefined })
    const cleaned = await queue.enqueue('session-cleanup', {})
    await queue.settled(cleaned)
    const bad =
      (await queue.sendUnchecked('rule-run', { trigger: 'import', full: false, '<b>x</b>': 1 })) ?? ''
    await queue.settled(bad)
    const waiting = await queue.enqueue('audit-purge', {})

    const admin = await signedInClient(web.app, 'admin')
    const page = await admin.get(paths.jobs())
    assert.equal(page.statusCode, 200)
    const rows = rowsOf(page.body)
    assert.deepEqual(
      rows.map((row) => [row[0], row[1], row[2]]),
      [
        [`Audit purge ${waiting}`, 'Queued', '0 of 4'],
        [`Rule run ${bad}`, 'Failed', '1 of 4'],
        [`Session clean-up ${cleaned}`, 'Completed', '1 of 2'],
      ],
    )
    assert.equal(rows[0]?.[4], 'Not yet', 'a queued job has not started')
    // Escaped: the markup in the payload's key is shown as text, never run.
    assert.equal(
      rows[1]?.[6],
      'A rule-run job\'s payload is not valid: Unrecognized key: "&lt;b&gt;x&lt;/b&gt;"',
    )
    assert.equal(rows[2]?.[6], '0 expired sessions deleted')
    assert.ok(!page.body.includes('<b>x</b>'))
    assert.match(page.body, /<strong class="govuk-tag govuk-tag--red">\s*Failed\s*<\/strong>/)

    assert.match(textOf(page.body), /To try a failed job again, run "ipic jobs retry" with the job’s ID/)

    const failed = await admin.get(paths.jobs('failed'))
    assert.equal(
      titleOf(failed.body),
      'Failed – Background jobs – Identify and prioritise immigration cases – GOV.UK',
    )
    assert.deepEqual(
      rowsOf(failed.body).map((row) => row[0]),
      [`Rule run ${bad}`],
    )
    assert.match(failed.body, /aria-current="page"[^>]*>\s*Failed|Failed\s*<\/a>/)
    const unfinished = await admin.get(paths.jobs('unfinished'))
    assert.deepEqual(
      rowsOf(unfinished.body).map((row) => row[1]),
      ['Queued'],
    )
    assert.doesNotMatch(textOf(unfinished.body), /ipic jobs retry/, 'said only where a failed job is listed')
    // An unknown tab is every job, not an error.
    const unknown = await admin.get(`${paths.jobs()}?show=%3Cscript%3E`)
    assert.equal(rowsOf(unknown.body).length, 3)
  })
})
