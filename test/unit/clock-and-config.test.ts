import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { clockFixedTo, frozenClock, londonDateOf } from '../../src/clock.ts'
import { ConfigError, clockFor, loadConfig } from '../../src/config.ts'
import type { IsoDate } from '../../src/dates.ts'

describe('clock', () => {
  it('takes "today" in Europe/London, not UTC', () => {
    // 23:30 UTC on 30 June is already 1 July in London (British Summer Time).
    assert.equal(londonDateOf(new Date('2026-06-30T23:30:00Z')), '2026-07-01')
    // In winter London is on UTC.
    assert.equal(londonDateOf(new Date('2026-12-31T23:30:00Z')), '2026-12-31')
  })

  it('can be fixed to a date while time keeps moving', () => {
    const clock = clockFixedTo('2018-07-25' as IsoDate)
    assert.equal(clock.today(), '2018-07-25')
    assert.equal(londonDateOf(clock.now()), '2018-07-25')
    // Late on a winter evening, fixed to a summer date (and the other way round): still that date in London.
    for (const [real, fixed, londonTime] of [
      ['2026-11-22T23:30:00Z', '2018-07-25', '2018-07-25T22:30:00.000Z'],
      ['2026-07-22T23:30:00Z', '2018-01-25', '2018-01-25T00:30:00.000Z'],
      ['2026-07-22T22:30:00Z', '2018-01-25', '2018-01-25T22:30:00.000Z'],
    ] as const) {
      const late = clockFixedTo(fixed as IsoDate, () => Date.parse(real))
      assert.equal(late.now().toISOString(), londonTime, `${real} fixed to ${fixed}`)
      assert.equal(londonDateOf(late.now()), fixed)
    }
    const frozen = frozenClock(new Date('2026-03-01T10:00:00Z'))
    assert.equal(frozen.now().toISOString(), '2026-03-01T10:00:00.000Z')
    assert.equal(frozen.today(), '2026-03-01')
  })
})

describe('configuration', () => {
  it('defaults to the embedded database with demo data', () => {
    const config = loadConfig({})
    assert.equal(config.database.kind, 'pglite')
    assert.equal(config.demo, true)
    assert.equal(config.port, 3000)
    assert.equal(config.runRulesAfterImport, true)
  })

  it('uses PostgreSQL when DATABASE_URL is set, without demo data unless asked', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/test'
    assert.deepEqual(loadConfig({ DATABASE_URL: url }).database, { kind: 'postgres', url })
    assert.equal(loadConfig({ DATABASE_URL: url }).demo, false)
    assert.equal(loadConfig({ DATABASE_URL: url, IPIC_DEMO: '1' }).demo, true)
  })

  it('fixes today from IPIC_TODAY and refuses an impossible date', () => {
    assert.equal(clockFor(loadConfig({ IPIC_TODAY: '2018-07-25' })).today(), '2018-07-25')
    assert.throws(() => loadConfig({ IPIC_TODAY: '2026-02-31' }), /IPIC_TODAY: must be a real date/)
  })

  it('refuses to start in production without its secrets', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/ipic' }),
      (error: unknown) => error instanceof ConfigError && /SESSION_SECRET must be set/.test(error.message),
    )
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }),
      /DATABASE_URL must be set in production/,
    )
    assert.throws(
      () => loadConfig({ SESSION_SECRET: 'short' }),
      /SESSION_SECRET: must be at least 32 characters/,
    )
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/)
  })
})
