/**
 * `ipic subscribers` from the command line: adding a subscriber prints its
 * signing secret once; a URL that is not http(s) or that is the service
 * itself is refused with the reason and nothing is added; list, pause,
 * resume, replay and remove say what they did, and an unknown ID is
 * refused. Every change is audited as the command's. On PostgreSQL, which
 * a child process can open beside the test.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { runIpic } from '../support/ipic-command.ts'

describe('ipic subscribers', () => {
  let database: TestDatabase
  let env: NodeJS.ProcessEnv
  before(async () => {
    database = await openTestDatabase()
    env = { DATABASE_URL: database.url, IPIC_DEMO: '0', PORT: '3999' }
  })
  after(() => database.close())

  it('adds, lists, pauses, resumes, replays and removes a subscriber, each audited', async (t) => {
    if (!database.url) return t.skip('needs a database another process can open')
    const added = await runIpic(
      ['subscribers', 'add', 'https://cms.example.org/hooks', '--name', 'Case management'],
      env,
    )
    assert.equal(added.code, 0, added.stderr)
    assert.match(added.stdout, /Added subscriber (\d+), Case management: https:\/\/cms\.example\.org\/hooks/)
    assert.match(added.stdout, /Signing secret: whsec_\S{32}\n/)
    const id = /Added subscriber (\d+)/.exec(added.stdout)?.[1] ?? ''

    const listed = await runIpic(['subscribers', 'list'], env)
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, /Case management\s+https:\/\/cms\.example\.org\/hooks\s+active/)
    assert.doesNotMatch(listed.stdout, /whsec_/)

    assert.match((await runIpic(['subscribers', 'pause', id], env)).stdout, /is paused/)
    assert.match((await runIpic(['subscribers', 'pause', id], env)).stdout, /was already paused/)
    assert.match((await runIpic(['subscribers', 'resume', id], env)).stdout, /is resumed/)
    const replay = await runIpic(['subscribers', 'replay', id, '--from', '2026-01-01T00:00:00Z'], env)
    assert.equal(replay.code, 0, replay.stderr)
    const badTime = await runIpic(['subscribers', 'replay', id, '--from', 'yesterday'], env)
    assert.notEqual(badTime.code, 0)
    assert.match(badTime.stderr, /--from: yesterday is not a date and time/)
    assert.match(
      (await runIpic(['subscribers', 'remove', id], env)).stdout,
      new RegExp(`Removed subscriber ${id}`),
    )
    const again = await runIpic(['subscribers', 'remove', id], env)
    assert.notEqual(again.code, 0)
    assert.match(again.stderr, new RegExp(`No event subscriber has the ID ${id}`))

    const audited = await database.db
      .selectFrom('audit_events')
      .select(['kind', 'details'])
      .where('kind', 'like', 'subscriber-%')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      audited.map((event) => event.kind),
      [
        'subscriber-added',
        'subscriber-changed',
        'subscriber-changed',
        'subscriber-replayed',
        'subscriber-removed',
      ],
    )
    assert.ok(audited.every((event) => (event.details as { through?: string }).through === 'command'))
  })

  it('refuses a URL that is not http(s), or that is the service itself, and adds nothing', async (t) => {
    if (!database.url) return t.skip('needs a database another process can open')
    const cases: [string, RegExp][] = [
      ['ftp://cms.example.org/', /URL: The URL must start with https:\/\/ or http:\/\/ \(not ftp:\)/],
      ['cms.example.org/hooks', /URL: Enter a URL in the right format/],
      ['http://localhost:3999/api', /URL: The URL must not point at this service itself/],
      ['http://127.0.0.1:3999/', /URL: The URL must not point at this service itself/],
    ]
    for (const [url, words] of cases) {
      const refused = await runIpic(['subscribers', 'add', url], env)
      assert.notEqual(refused.code, 0, url)
      assert.match(refused.stderr, words)
    }
    const badType = await runIpic(
      ['subscribers', 'add', 'https://cms.example.org/', '--types', 'task.exploded'],
      env,
    )
    assert.match(
      badType.stderr,
      /--types: task\.exploded is not an event type; the types are task\.recommended/,
    )
    const listed = await runIpic(['subscribers', 'list'], env)
    assert.match(listed.stdout, /No event subscribers yet/)
  })
})
