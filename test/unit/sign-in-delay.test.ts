import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { nextSignInAt, type RecentAttempts } from '../../src/access/sign-in-delay.ts'
import { loadConfig, type SignInThrottleLimits } from '../../src/config.ts'
import { mustWait } from '../../src/web/view-models/sign-in.ts'

const MINUTE = 60_000
const LIMITS: SignInThrottleLimits = loadConfig({}).signInThrottle
const NOW = new Date('2026-03-02T09:00:00Z')
const NONE: RecentAttempts = { count: 0, latest: undefined }

function minutesAfter(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * MINUTE)
}

/** The wait, in minutes, for an ID with `count` attempts, the latest just now. */
function waitForUser(count: number): number {
  const at = nextSignInAt({ count, latest: NOW }, NONE, LIMITS, NOW)
  return at ? (at.getTime() - NOW.getTime()) / MINUTE : 0
}

/**
 * A guesser who tries again the moment they may, for a day, at one ID (or
 * from one address): the most attempts that fall within any one hour, and
 * the day's total.
 */
function guessesKeptUpForADay(target: 'user' | 'address'): { inAnyHour: number; inTheDay: number } {
  const attempts: number[] = []
  const end = NOW.getTime() + 24 * 60 * MINUTE
  let time = NOW.getTime()
  while (time < end) {
    const inWindow = attempts.filter((at) => at > time - LIMITS.windowMinutes * MINUTE)
    const recent = {
      count: inWindow.length,
      latest: inWindow.length ? new Date(Math.max(...inWindow)) : undefined,
    }
    const next = nextSignInAt(
      target === 'user' ? recent : NONE,
      target === 'address' ? recent : NONE,
      LIMITS,
      new Date(time),
    )
    if (next) time = next.getTime()
    else attempts.push(time)
  }
  const inAnyHour = Math.max(
    ...attempts.map((start) => attempts.filter((at) => at >= start && at < start + 60 * MINUTE).length),
  )
  return { inAnyHour, inTheDay: attempts.length }
}

describe('the wait between sign-in attempts', () => {
  it('is nothing for the first 5 attempts at an ID, then 1 minute, doubling up to 15', () => {
    assert.deepEqual([0, 1, 4, 5, 6, 7, 8, 9, 10, 30].map(waitForUser), [0, 0, 0, 1, 2, 4, 8, 15, 15, 15])
  })

  it('runs from the latest attempt, and is over exactly when it says', () => {
    const latest = minutesAfter(NOW, -3)
    const recent = { count: 7, latest }
    assert.deepEqual(nextSignInAt(recent, NONE, LIMITS, NOW), minutesAfter(latest, 4))
    assert.deepEqual(
      nextSignInAt(recent, NONE, LIMITS, new Date(minutesAfter(latest, 4).getTime() - 1)),
      minutesAfter(latest, 4),
    )
    assert.equal(nextSignInAt(recent, NONE, LIMITS, minutesAfter(latest, 4)), undefined)
  })

  it('lets an address make 20 attempts before it must wait', () => {
    assert.equal(nextSignInAt(NONE, { count: 19, latest: NOW }, LIMITS, NOW), undefined)
    assert.deepEqual(nextSignInAt(NONE, { count: 20, latest: NOW }, LIMITS, NOW), minutesAfter(NOW, 1))
  })

  it('is the longer of the ID’s wait and the address’s', () => {
    const forUser = { count: 6, latest: NOW }
    const fromAddress = { count: 23, latest: minutesAfter(NOW, -1) }
    assert.deepEqual(nextSignInAt(forUser, fromAddress, LIMITS, NOW), minutesAfter(NOW, 7))
    assert.deepEqual(nextSignInAt(forUser, NONE, LIMITS, NOW), minutesAfter(NOW, 2))
  })

  it('follows the configured allowance and cap', () => {
    const limits = { ...LIMITS, maxFailuresPerUser: 3, maxDelayMinutes: 5 }
    assert.equal(nextSignInAt({ count: 2, latest: NOW }, NONE, limits, NOW), undefined)
    assert.deepEqual(nextSignInAt({ count: 3, latest: NOW }, NONE, limits, NOW), minutesAfter(NOW, 1))
    assert.deepEqual(nextSignInAt({ count: 12, latest: NOW }, NONE, limits, NOW), minutesAfter(NOW, 5))
  })

  it('holds a guesser to 11 attempts in any hour at one ID (186 a day), and 26 from one address (509)', () => {
    // A lockout of 15 minutes after 5 failures allowed 20 an hour (480 a day), and 80 from one address.
    assert.deepEqual(guessesKeptUpForADay('user'), { inAnyHour: 11, inTheDay: 186 })
    assert.deepEqual(guessesKeptUpForADay('address'), { inAnyHour: 26, inTheDay: 509 })
  })

  it('is told in whole minutes, rounded up, and in the singular for one', () => {
    const told = (retryAt: Date) => mustWait(retryAt, NOW)[0]?.message
    assert.equal(
      told(new Date(NOW.getTime() + 20_000)),
      'There have been too many failed attempts to sign in. Wait 1 minute, then try again',
    )
    assert.equal(
      told(new Date(NOW.getTime() + 2 * MINUTE + 1)),
      'There have been too many failed attempts to sign in. Wait 3 minutes, then try again',
    )
  })
})
