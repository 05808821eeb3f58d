import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.ts'

describe('session and sign-in configuration', () => {
  it('defaults to a 30-minute idle timeout, a 10-hour session and 5 failures per ID, 20 per address, in an hour, then waits of up to 15 minutes', () => {
    const config = loadConfig({})
    assert.equal(config.sessionIdleMinutes, 30)
    assert.equal(config.sessionMaxHours, 10)
    assert.deepEqual(config.signInThrottle, {
      maxFailuresPerUser: 5,
      maxFailuresPerAddress: 20,
      windowMinutes: 60,
      maxDelayMinutes: 15,
    })
  })

  it('takes each from the environment', () => {
    const config = loadConfig({
      SESSION_IDLE_MINUTES: '15',
      SESSION_MAX_HOURS: '8',
      SIGN_IN_MAX_FAILURES: '3',
      SIGN_IN_MAX_FAILURES_PER_ADDRESS: '50',
      SIGN_IN_FAILURE_WINDOW_MINUTES: '30',
      SIGN_IN_MAX_DELAY_MINUTES: '10',
    })
    assert.equal(config.sessionIdleMinutes, 15)
    assert.equal(config.sessionMaxHours, 8)
    assert.deepEqual(config.signInThrottle, {
      maxFailuresPerUser: 3,
      maxFailuresPerAddress: 50,
      windowMinutes: 30,
      maxDelayMinutes: 10,
    })
  })

  it('refuses values that would turn the protection off', () => {
    for (const env of [
      { SESSION_IDLE_MINUTES: '0' },
      { SESSION_MAX_HOURS: '0' },
      { SIGN_IN_MAX_FAILURES: '0' },
      { SIGN_IN_FAILURE_WINDOW_MINUTES: '0' },
      { SIGN_IN_MAX_DELAY_MINUTES: '0' },
      { SESSION_MAX_HOURS: 'twelve' },
    ]) {
      assert.throws(() => loadConfig(env), ConfigError, JSON.stringify(env))
    }
  })

  it('refuses a longest wait longer than the window, which could never be served', () => {
    assert.throws(
      () => loadConfig({ SIGN_IN_FAILURE_WINDOW_MINUTES: '10', SIGN_IN_MAX_DELAY_MINUTES: '11' }),
      /SIGN_IN_MAX_DELAY_MINUTES must not be more than SIGN_IN_FAILURE_WINDOW_MINUTES/,
    )
    assert.equal(
      loadConfig({ SIGN_IN_FAILURE_WINDOW_MINUTES: '10', SIGN_IN_MAX_DELAY_MINUTES: '10' }).signInThrottle
        .maxDelayMinutes,
      10,
    )
  })
})
