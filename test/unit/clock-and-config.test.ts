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

  it('bounds imports: 10,000 rejected lines and 10% of persons marked absent by default, both configurable', () => {
    const defaults = loadConfig({})
    assert.equal(defaults.importMaxRejectedLines, 10_000)
    assert.equal(defaults.fullImportMaxAbsentPercent, 10)
    const set = loadConfig({
      IPIC_IMPORT_MAX_REJECTED_LINES: '50',
      IPIC_FULL_IMPORT_MAX_ABSENT_PERCENT: '2.5',
    })
    assert.equal(set.importMaxRejectedLines, 50)
    assert.equal(set.fullImportMaxAbsentPercent, 2.5)
    assert.throws(
      () => loadConfig({ IPIC_FULL_IMPORT_MAX_ABSENT_PERCENT: '101' }),
      /IPIC_FULL_IMPORT_MAX_ABSENT_PERCENT/,
    )
    assert.throws(
      () => loadConfig({ IPIC_IMPORT_MAX_REJECTED_LINES: '-1' }),
      /IPIC_IMPORT_MAX_REJECTED_LINES/,
    )
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

describe('configuration in production', () => {
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'x'.repeat(40),
    DATABASE_URL: 'postgres://db/ipic',
    TRUST_PROXY: '1',
  }

  it('starts with its secrets, a real database and its proxy named', () => {
    const config = loadConfig(production)
    assert.equal(config.production, true)
    assert.equal(config.demo, false)
    assert.deepEqual(config.trustedProxies, { kind: 'hops', hops: 1 })
  })

  it('refuses demo mode, which would add accounts with a published password', () => {
    for (const on of ['1', 'true', 'yes']) {
      assert.throws(
        () => loadConfig({ ...production, IPIC_DEMO: on }),
        (error: unknown) =>
          error instanceof ConfigError && /^IPIC_DEMO must be off in production/.test(error.message),
        on,
      )
    }
    assert.equal(loadConfig({ ...production, IPIC_DEMO: '0' }).demo, false)
  })

  it('refuses to start without knowing which proxy to believe', () => {
    for (const none of [{}, { TRUST_PROXY: 'false' }, { TRUST_PROXY: '0' }]) {
      assert.throws(
        () => loadConfig({ ...production, TRUST_PROXY: undefined, ...none }),
        /TRUST_PROXY must be set in production/,
      )
    }
  })
})

describe('TRUST_PROXY', () => {
  const trusted = (value: string | undefined) => loadConfig({ TRUST_PROXY: value }).trustedProxies

  it('trusts no proxy unless told to, in every environment', () => {
    for (const none of [undefined, '', 'false', '0']) assert.deepEqual(trusted(none), { kind: 'none' })
  })

  it('takes a whole number as the number of proxies in front', () => {
    assert.deepEqual(trusted('1'), { kind: 'hops', hops: 1 })
    assert.deepEqual(trusted(' 2 '), { kind: 'hops', hops: 2 })
  })

  it('takes addresses, CIDR ranges and named ranges separated by commas', () => {
    assert.deepEqual(trusted('10.0.0.5'), { kind: 'addresses', addresses: ['10.0.0.5'] })
    assert.deepEqual(trusted('10.0.0.0/8, 192.168.1.1,::1,fd00::/8,loopback'), {
      kind: 'addresses',
      addresses: ['10.0.0.0/8', '192.168.1.1', '::1', 'fd00::/8', 'loopback'],
    })
  })

  for (const [value, problem] of [
    [
      'true',
      /TRUST_PROXY: must be the number of proxies .* "true" would believe an address any client makes up/,
    ],
    ['11', /TRUST_PROXY: must be at most 10 proxies/],
    [
      'proxy.example',
      /TRUST_PROXY: must be a number of proxies, or IP addresses and CIDR ranges .*"proxy\.example"/,
    ],
    ['10.0.0.0/33', /"10\.0\.0\.0\/33"/],
    ['::1/129', /"::1\/129"/],
    ['10.0.0.1,,10.0.0.2', /\(not ""\)/],
    ['10.0.0.1/8/8', /"10\.0\.0\.1\/8\/8"/],
    ['-1', /"-1"/],
    ['1.5', /"1\.5"/],
  ] as const) {
    it(`refuses ${JSON.stringify(value)} with a clear message`, () => {
      assert.throws(
        () => loadConfig({ TRUST_PROXY: value }),
        (error: unknown) => error instanceof ConfigError && problem.test(error.message),
      )
    })
  }
})
