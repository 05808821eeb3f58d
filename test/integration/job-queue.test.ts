/**
 * The background job queue: a job is run once whatever the number of
 * workers, and a payload that is not valid is refused when queued, or
 * failed with the reason when a worker takes it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { JobPayloadError } from '../../src/jobs/kinds.ts'
import { JOB_SCHEMA, JobQueue } from '../../src/jobs/queue.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'

const FAST = { pollingIntervalSeconds: 0.5, retryLimit: 0 }

/** Waits until the job has settled (completed or failed), and gives its row. */
async function settled(database: TestDatabase, id: string) {
  for (let n = 0; n < 200; n++) {
    const { rows } = await sql<{ state: string; output: unknown }>`
      select state::text, output from ${sql.table(`${JOB_SCHEMA}.job`)} where id = ${id}::uuid`.execute(
      database.db,
    )
    const row = rows[0]
    if (row && (row.state === 'completed' || row.state === 'failed')) return row
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`job ${id} did not settle`)
}

describe('background job queue', () => {
  let database: TestDatabase
  let queues: JobQueue[] = []
  before(async () => {
    database = await openTestDatabase()
    // Two workers, as two instances would have: on the embedded database, both in this one process.
    queues = [
      await JobQueue.open(database, database.url, FAST),
      await JobQueue.open(database, database.url, FAST),
    ]
  })
  after(async () => {
    for (const queue of queues) await queue.close()
    await database.close()
  })

  it('runs a job queued once exactly once, with two workers taking jobs', async () => {
    const ran: string[] = []
    for (const [n, queue] of queues.entries()) {
      await queue.work({
        'session-cleanup': async () => {
          ran.push(`worker ${n}`)
          return { removed: 0 }
        },
      })
    }
    const id = await queues[0]!.enqueue('session-cleanup', {})
    const row = await settled(database, id)
    assert.equal(row.state, 'completed')
    assert.deepEqual(row.output, { removed: 0 })
    // Both workers have looked for jobs several times since.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.equal(ran.length, 1, ran.join(', '))
  })

  it('keeps the queue’s own writes out of a transaction the service rolls back', async () => {
    // On the embedded database one connection serves both: a worker looking for jobs while the
    // service's transaction is open must wait for it, or the job it took would be undone with it
    // and run again.
    let ran = 0
    await queues[0]!.work({
      'audit-purge': async () => {
        ran++
        return { deleted: 0 }
      },
    })
    const id = await queues[0]!.enqueue('audit-purge', {})
    await database.db
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('sessions').select('id').execute()
        // Workers look every half second: several looks fall inside the transaction.
        await new Promise((resolve) => setTimeout(resolve, 1500))
        throw new Error('rolled back')
      })
      .catch(() => undefined)
    const row = await settled(database, id)
    assert.equal(row.state, 'completed')
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.equal(ran, 1)
  })

  it('refuses a payload that is not valid when it is queued, naming the problem, and queues nothing', async () => {
    await assert.rejects(
      queues[0]!.enqueue('rule-run', { trigger: 'sometimes', full: 'yes' } as never),
      (error: unknown) =>
        error instanceof JobPayloadError &&
        /A rule-run job's payload is not valid: trigger: .*; full: /.test(error.message),
    )
  })

  it('fails a job whose payload is not valid when a worker takes it, recording why', async () => {
    let ran = 0
    await queues[1]!.work({
      'rule-run': async () => {
        ran++
      },
    })
    const id = await queues[1]!.sendUnchecked('rule-run', { trigger: 'import', full: 'yes' })
    const row = await settled(database, id ?? '')
    assert.equal(row.state, 'failed')
    assert.match(JSON.stringify(row.output), /A rule-run job's payload is not valid: full: /)
    assert.equal(ran, 0, 'the work was never started')
  })
})
