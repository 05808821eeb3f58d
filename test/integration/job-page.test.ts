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
  errorSummaryOf,
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
  const queues: JobQueue[] = []
  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database)
    await addTestUser(database, { id: 'admin', name: 'Ada Min', roles: ['ADMIN'], regions: 'all' })
  })
  after(async () => {
    for (const queue of queues) await queue.close()
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
    const queue = await JobQueue.open(database, database.url, { pollingIntervalSeconds: 0.5 })
    queues.push(queue)
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
      'A rule-run job\'s payload is not valid: Unrecognized key: "&lt;b&gt;x&lt;/b&gt;" Retry',
    )
    assert.equal(rows[2]?.[6], '0 expired sessions deleted')
    assert.ok(!page.body.includes('<b>x</b>'))
    assert.match(page.body, /<strong class="govuk-tag govuk-tag--red">\s*Failed\s*<\/strong>/)

    // An administrator retries from the page: the button is named for its job; the command is not needed.
    assert.ok(page.body.includes(`aria-label="Retry the rule run job ${bad}"`))
    assert.equal((page.body.match(/>\s*Retry\s*<\/button>/g) ?? []).length, 1, 'only the failed job has one')
    assert.doesNotMatch(textOf(page.body), /ipic jobs retry/)

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

    // Retry: another attempt, shown among the queued or running; the worker here fails it again.
    const retried = await admin.submit(paths.jobs(), paths.jobRetry(bad), {})
    assert.equal(retried.statusCode, 303)
    assert.equal(retried.headers.location, paths.jobs('unfinished'))
    const again = await queue.settled(bad)
    assert.equal(again.state, 'failed')
    assert.equal(again.attempts, 2)
    assert.equal(web.logs.lines.filter((line) => line.msg === 'background job retried').length, 1)

    // A job that is not failed (as when two administrators press Retry together) is not retried, and the
    // page says why; an ID that names no job is not found.
    const refused = await admin.submit(paths.jobs(), paths.jobRetry(cleaned), {})
    assert.equal(refused.statusCode, 409)
    assert.deepEqual(errorSummaryOf(refused.body), [
      [
        'This job is no longer failed, so it was not retried: someone may have retried it already. Its state is shown below',
        '#jobs',
      ],
    ])
    assert.match(titleOf(refused.body), /^Error: Background jobs/)
    assert.equal((await queue.settled(cleaned)).attempts, 1)
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-job']) {
      const missing = await admin.submit(paths.jobs(), paths.jobRetry(id), {})
      assert.equal(missing.statusCode, 404, id)
    }
  })
})
