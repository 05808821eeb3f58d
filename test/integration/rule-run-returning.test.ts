/**
 * A person a full import left out, and who comes back, gets back the task
 * the run withdrew, under its own ID, rather than a new one.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { importExtract } from '../../src/cases/import.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { changedRecord } from '../support/case-record.ts'
import { openTestDatabase, REFERENCE_DIR, type TestDatabase } from '../support/database.ts'
import { runStandInRules } from '../support/publication.ts'
import { changePerson, insertPersons, type ManualClock, manualClock } from '../support/tasks.ts'

const MINUTE = 60_000

describe('a person who comes back', () => {
  let database: TestDatabase
  let clock: ManualClock
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(async () => {
    await database.reset()
    clock = manualClock()
  })
  after(() => database.close())

  function run(version = 'stand-in-v1') {
    clock.advance(MINUTE)
    return runStandInRules(database.db, clock, version)
  }

  async function setPresent(personId: string, present: boolean) {
    await database.db.updateTable('persons').set({ present }).where('person_id', '=', personId).execute()
  }

  async function tasks() {
    return database.db
      .selectFrom('tasks')
      .select(['id', 'person_id', 'task_type', 'status', 'version', 'rule_set_version'])
      .orderBy('id')
      .execute()
  }

  async function history(taskId: number) {
    const rows = await database.db
      .selectFrom('task_events')
      .select(['task_version', 'status', 'run_id', 'rule_set_version'])
      .where('task_id', '=', taskId)
      .orderBy('id')
      .execute()
    return rows.map((e) => [e.task_version, e.status, Number(e.run_id), e.rule_set_version])
  }

  it('gets their withdrawn task back, one version on, with an event naming the run', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    const first = await run()
    const [task] = await tasks()
    await setPresent('P1', false)
    const absent = await run()
    assert.equal((await tasks())[0]?.status, 'WITHDRAWN')

    await setPresent('P1', true)
    const back = await run('stand-in-v2')

    assert.deepEqual(await tasks(), [
      {
        id: task?.id,
        person_id: 'P1',
        task_type: 'FAILED_TO_REPORT',
        status: 'RECOMMENDED',
        version: 3,
        rule_set_version: 'stand-in-v2',
      },
    ])
    assert.deepEqual(await history(task?.id as number), [
      [1, 'RECOMMENDED', first.runId, 'stand-in-v1'],
      [2, 'WITHDRAWN', absent.runId, 'stand-in-v1'],
      [3, 'RECOMMENDED', back.runId, 'stand-in-v2'],
    ])
    assert.deepEqual(back.counts, [
      { taskType: 'FAILED_TO_REPORT', romRegion: 'LSE', new: 1, unchanged: 0, withdrawn: 0, suppressed: 0 },
    ])
    assert.equal((await run('stand-in-v2')).totals.new, 0, 'and keeps it on the next run')
  })

  it('gets a new task when their data changed after the withdrawal', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    await run()
    await setPresent('P1', false)
    await run()
    await changePerson(database.db, 'P1', { present: true, missed_events_90_days: 2 }, clock.advance(MINUTE))
    await run()

    assert.deepEqual(
      (await tasks()).map((t) => [t.status, t.version]),
      [
        ['WITHDRAWN', 2],
        ['RECOMMENDED', 1],
      ],
    )
  })

  describe('after a full extract cut short, then the whole file', () => {
    let folder: string
    beforeEach(async () => {
      folder = await mkdtemp(join(tmpdir(), 'ipic-returning-'))
    })
    afterEach(() => rm(folder, { recursive: true, force: true }))

    it('keeps every task ID', async () => {
      const reference = await readReferenceData(REFERENCE_DIR)
      const lines = ['P1', 'P2', 'P3', 'P4'].map(
        (id) => `${JSON.stringify(changedRecord(id, (r) => (r.reporting.missedEvents90Days = 1)))}\n`,
      )
      const whole = join(folder, 'whole.ndjson')
      const cut = join(folder, 'cut.ndjson')
      await writeFile(whole, lines.join(''))
      await writeFile(cut, lines[0] as string)
      const importFile = (file: string, allowMore = false) =>
        importExtract(database, {
          file,
          full: true,
          absenceLimit: { maxPercent: 10, allowMore },
          clock,
          reference,
        })

      await importFile(whole)
      await run()
      const before = await tasks()
      assert.equal(before.length, 4)

      await importFile(cut, true)
      await run()
      assert.deepEqual(
        (await tasks()).map((t) => t.status),
        ['RECOMMENDED', 'WITHDRAWN', 'WITHDRAWN', 'WITHDRAWN'],
      )

      await importFile(whole)
      await run()
      const after = await tasks()
      assert.deepEqual(
        after.map((t) => [t.id, t.status]),
        before.map((t) => [t.id, 'RECOMMENDED']),
        'the same tasks, recommended again, and no new ones',
      )
    })
  })
})
