import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  sessionLimits,
  sessionStatus,
  timedOutBecause,
  timeoutWarningTimings,
  warningLeadMs,
} from '../../src/access/session-timeout.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const limits = sessionLimits(30, 10)

describe('session timeout', () => {
  describe('why a session ended', () => {
    const signedInAt = 0
    it('lasts while both limits are ahead', () => {
      assert.equal(timedOutBecause({ signedInAt, expiresAt: 40 * MINUTE }, limits, 39 * MINUTE), undefined)
    })

    it('is the idle timeout once the expiry has passed', () => {
      assert.equal(timedOutBecause({ signedInAt, expiresAt: 40 * MINUTE }, limits, 40 * MINUTE), 'idle')
    })

    it('is the absolute limit once 10 hours have passed, even with the expiry still ahead', () => {
      assert.equal(
        timedOutBecause({ signedInAt, expiresAt: 10 * HOUR + MINUTE }, limits, 10 * HOUR),
        'absolute',
      )
    })

    it('is whichever came first when both have passed', () => {
      assert.equal(timedOutBecause({ signedInAt, expiresAt: 9 * HOUR }, limits, 11 * HOUR), 'idle')
      assert.equal(
        timedOutBecause({ signedInAt, expiresAt: 10 * HOUR + 10 * MINUTE }, limits, 11 * HOUR),
        'absolute',
      )
    })

    it('treats a session with no sign-in time as past the absolute limit', () => {
      assert.equal(timedOutBecause({ signedInAt: undefined, expiresAt: 40 * MINUTE }, limits, 0), 'absolute')
    })
  })

  describe('the status the warning asks for', () => {
    const stored = { userId: 'jo', userActive: true, signedInAt: 0, expiresAt: 30 * MINUTE }

    it('gives the seconds left before each limit', () => {
      assert.deepEqual(sessionStatus(stored, limits, 28 * MINUTE), {
        signedIn: true,
        idleSecondsLeft: 120,
        absoluteSecondsLeft: 10 * 3600 - 28 * 60,
      })
    })

    it('says why a session ended, and gives no reason where there is none to give', () => {
      assert.deepEqual(sessionStatus(stored, limits, 30 * MINUTE), { signedIn: false, endedBecause: 'idle' })
      assert.deepEqual(sessionStatus(undefined, limits, 0), { signedIn: false, endedBecause: null })
      assert.deepEqual(sessionStatus({ ...stored, userId: undefined }, limits, 0), {
        signedIn: false,
        endedBecause: null,
      })
      assert.deepEqual(sessionStatus({ ...stored, userActive: false }, limits, 0), {
        signedIn: false,
        endedBecause: null,
      })
    })
  })

  describe('the warning’s timings', () => {
    it('warns 2 minutes before a 30-minute timeout, and first asks a minute earlier than that', () => {
      assert.deepEqual(timeoutWarningTimings(limits), {
        idleSeconds: 1800,
        warningSeconds: 120,
        firstCheckSeconds: 1620,
      })
    })

    it('warns halfway through an idle time too short for 2 minutes’ warning', () => {
      assert.equal(warningLeadMs(MINUTE), 30_000)
      assert.equal(warningLeadMs(4 * MINUTE), 2 * MINUTE)
      const short = timeoutWarningTimings(sessionLimits(0.5, 10))
      assert.deepEqual(short, { idleSeconds: 30, warningSeconds: 15, firstCheckSeconds: 12 })
    })
  })
})
