/**
 * A retry of a failed background job is an event of the audit trail: from
 * the Background jobs page as the signed-in administrator's, and from
 * `ipic jobs retry` as a command's with the operating-system account that
 * ran it; each writes exactly one event naming the job and its kind, at the
 * clock's now. A retry refused (the job not failed, or no such job) writes
 * none, and a retry whose event cannot be written does not happen. The
 * audit page names the kind in words and filters by it.
 */
import assert from 'node:assert/strict'
import { userInfo } from 'node:os'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { frozenClock, londonDateOf } from '../../src/clock.ts'
import { retryJob } from '../../src/commands/jobs.ts'
import { JobList } from '../../src/jobs/job-list.ts'
import { JobQueue } from '../../src/jobs/queue.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { TODAY } from '../support/generated-sample.ts'
import { runIpic } from '../support/ipic-command.ts'
import { addTestUser, signedInClient, startTestApp, type TestApp, textOf } from '../support/web.ts'

/** The test app's clock: every event the pages write is at this instant. */
const NOW = new Date('2018-07-25T09:00:00Z')

describe('a background job retried, in the audit trail', () => {
  let database: TestDatabase
  let web: TestApp
  let queue: JobQueue
  let jobs: JobList
  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { clock: frozenClock(NOW) })
    await addTestUser(database, { id: 'admin', name: 'Ada Min', roles: ['ADMIN'], regions: 'all' })
    queue = await JobQueue.open(database, database.url, { pollingIntervalSeconds: 0.5 })
    // A rule run job with a bad payload fails at once, every attempt; a session clean-up completes.
    await queue.work({ 'rule-run': async () => undefined, 'session-cleanup': async () => undefined })
    jobs = new JobList(database.db)
  })
  after(async () => {
    await queue.close()
    await web.close()
    await database.close()
  })

  async function failedJob(): Promise<string> {
    const id = (await queue.sendUnchecked('rule-run', { trigger: 'import', full: false, extra: 1 })) ?? ''
    assert.equal((await queue.settled(id)).state, 'failed')
    return id
  }

  async function completedJob(): Promise<string> {
    const id = await queue.enqueue('session-cleanup', {})
    assert.equal((await queue.settled(id)).state, 'completed')
    return id
  }

  /** The audit events about this job, as stored. */
  async function retriesOf(jobId: string) {
    return database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('kind', '=', 'job-retried')
      .where(sql<boolean>`details->>'jobId' = ${jobId}`)
      .execute()
  }

  function detailsOf(row: { details: unknown }): unknown {
    return typeof row.details === 'string' ? JSON.parse(row.details) : row.details
  }

  it('records a retry from the page as the administrator’s: which job, its kind, when', async () => {
    const id = await failedJob()
    const admin = await signedInClient(web.app, 'admin')
    const retried = await admin.submit(paths.jobs(), paths.jobRetry(id), {})
    assert.equal(retried.statusCode, 303)
    const events = await retriesOf(id)
    assert.equal(events.length, 1)
    const [event] = events
    assert.equal(event?.user_id, 'admin')
    assert.equal(event?.at.toISOString(), NOW.toISOString())
    assert.equal(event?.person_id, null)
    assert.equal(event?.subject_user_id, null)
    assert.deepEqual(detailsOf(event ?? { details: null }), {
      jobId: id,
      jobKind: 'rule-run',
      through: 'page',
    })
  })

  it('records nothing when the page refuses a retry of a job that is not failed', async () => {
    const id = await completedJob()
    const admin = await signedInClient(web.app, 'admin')
    const refused = await admin.submit(paths.jobs(), paths.jobRetry(id), {})
    assert.equal(refused.statusCode, 409)
    assert.deepEqual(await retriesOf(id), [])
    assert.equal((await jobs.find(id))?.state, 'completed')
  })

  it('records a retry by the command as a command’s, with the account that ran it', async () => {
    const id = await failedJob()
    const runtime = { config: web.config, clock: frozenClock(NOW), database }
    await retryJob(runtime, id, 'operator7')
    const events = await retriesOf(id)
    assert.equal(events.length, 1)
    assert.equal(events[0]?.user_id, null)
    assert.equal(events[0]?.at.toISOString(), NOW.toISOString())
    assert.deepEqual(detailsOf(events[0] ?? { details: null }), {
      jobId: id,
      jobKind: 'rule-run',
      through: 'command',
      account: 'operator7',
    })
  })

  it('records nothing when the command refuses a retry: the job not failed, or no such job', async () => {
    const id = await completedJob()
    const runtime = { config: web.config, clock: frozenClock(NOW), database }
    await assert.rejects(retryJob(runtime, id, 'operator7'), {
      message: `job ${id} is completed: only a failed job can be retried`,
    })
    assert.deepEqual(await retriesOf(id), [])
    const nobody = '00000000-0000-4000-8000-000000000000'
    await assert.rejects(retryJob(runtime, nobody, 'operator7'), /no job has the ID/)
    assert.deepEqual(await retriesOf(nobody), [])
  })

  it('does not retry the job when its event cannot be written', async () => {
    const id = await failedJob()
    await assert.rejects(
      queue.retry(id, async () => {
        throw new Error('the audit trail is not writable')
      }),
      /not writable/,
    )
    assert.equal((await jobs.find(id))?.state, 'failed')
    assert.deepEqual(await retriesOf(id), [])
  })

  it('is named "Background job retried" on the audit page, and found by its kind', async () => {
    const admin = await signedInClient(web.app, 'admin')
    const page = await admin.get(paths.audit({ kind: 'job-retried' }))
    assert.equal(page.statusCode, 200)
    const text = textOf(page.body)
    assert.match(text, /Background job retried/)
    assert.match(text, /Rule run job [0-9a-f-]{36}, from the Background jobs page/)
    assert.match(text, /Rule run job [0-9a-f-]{36}, through ipic jobs retry run by the account operator7/)
    assert.ok(page.body.includes('<option value="job-retried" selected>Background job retried</option>'))
    // Another kind's filter leaves them out.
    const signIns = textOf((await admin.get(paths.audit({ kind: 'sign-in' }))).body)
    assert.doesNotMatch(signIns, /Rule run job/)
  })

  it('records `ipic jobs retry` run as a command, with the operating-system account', async (t) => {
    if (!database.url) return t.skip('needs a database another process can open')
    const env = {
      DATABASE_URL: database.url,
      IPIC_TODAY: TODAY,
      IPIC_DEMO: '0',
      IPIC_RULES_DIR: RULES_DIR,
      IPIC_REFERENCE_DIR: REFERENCE_DIR,
      IPIC_AUDIT_PURGE_SCHEDULE: 'off',
      IPIC_SESSION_CLEANUP_SCHEDULE: 'off',
      IPIC_FACTS_PRUNE_SCHEDULE: 'off',
    }
    const id = await failedJob()
    const retried = await runIpic(['jobs', 'retry', id], env)
    assert.equal(retried.code, 0, retried.stderr)
    const events = await retriesOf(id)
    assert.equal(events.length, 1)
    assert.equal(events[0]?.user_id, null)
    // The command's clock: today as IPIC_TODAY says.
    assert.equal(londonDateOf(events[0]?.at ?? new Date(0)), TODAY)
    assert.deepEqual(detailsOf(events[0] ?? { details: null }), {
      jobId: id,
      jobKind: 'rule-run',
      through: 'command',
      account: userInfo().username,
    })

    const completed = await completedJob()
    const refused = await runIpic(['jobs', 'retry', completed], env)
    assert.equal(refused.code, 1)
    assert.equal(refused.stderr, `ipic: job ${completed} is completed: only a failed job can be retried\n`)
    assert.deepEqual(await retriesOf(completed), [])
  })
})
