/**
 * Issue 17 item 4 at the suite's size: caseworkers signed in through nginx
 * to two instances decide the same tasks while an import and a rule run
 * execute (test/support/decision-race.ts). `npm run race` runs the same
 * race at full size.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'
import { runDecisionRace } from '../support/decision-race.ts'
import { nginxInstalled } from '../support/instances.ts'

const skip = !testDatabaseUrl()
  ? 'needs PostgreSQL (DATABASE_URL): two instances cannot share the embedded database'
  : !nginxInstalled()
    ? 'needs nginx at /usr/sbin/nginx (the Debian package)'
    : false

describe('caseworkers racing an import and a rule run through two instances', {
  skip,
  timeout: 120_000,
}, () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(async () => {
    await database?.close()
  })

  it('loses and doubles no decision, refuses every stale one with "check the case again", and counts the tabs right', async () => {
    const report = await runDecisionRace(database, {
      clients: 10,
      tasks: 40,
      attemptsPerClient: 12,
      seed: 17,
    })
    assert.deepEqual(report.problems, [])
    // The race raced: decisions were made, changed and refused, and the rules changed tasks meanwhile.
    assert.ok(report.attempts.decided > 0, JSON.stringify(report.attempts))
    assert.ok(report.attempts.refused > 0, `no decision was refused: ${JSON.stringify(report.attempts)}`)
    assert.ok(report.changes > 0, 'no decision changed an earlier one')
    assert.ok(report.withdrawn > 0, 'the import and run withdrew nothing')
    assert.equal(report.decisions, report.attempts.decided)
  })
})
