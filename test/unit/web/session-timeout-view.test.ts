import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sessionLimits } from '../../../src/access/session-timeout.ts'
import { paths } from '../../../src/web/paths.ts'
import {
  durationInWords,
  timedOutPage,
  timeoutWarning,
} from '../../../src/web/view-models/session-timeout.ts'

describe('session timeout view-models', () => {
  it('puts a duration into words', () => {
    assert.equal(durationInWords(30 * 60), '30 minutes')
    assert.equal(durationInWords(60), '1 minute')
    assert.equal(durationInWords(10 * 3600), '10 hours')
    assert.equal(durationInWords(3600), '1 hour')
    assert.equal(durationInWords(5400), '1 hour and 30 minutes')
    assert.equal(durationInWords(15), '15 seconds')
    assert.equal(durationInWords(0), '0 seconds')
  })

  it('words the warning from the limits', () => {
    const warning = timeoutWarning(sessionLimits(30, 10))
    assert.equal(warning.warningInWords, '2 minutes')
    assert.equal(warning.idleInWords, '30 minutes')
  })

  it('says why the user was signed out, only for a reason it knows', () => {
    const limits = sessionLimits(30, 10)
    assert.deepEqual(timedOutPage('idle', '/rules', limits), {
      reason: 'We signed you out because you had not done anything for 30 minutes.',
      signInHref: paths.signIn('/rules'),
    })
    assert.equal(
      timedOutPage('absolute', undefined, limits).reason,
      'We signed you out because you signed in more than 10 hours ago.',
    )
    for (const reason of [undefined, '', 'IDLE', '<b>idle</b>', ['idle']]) {
      assert.deepEqual(timedOutPage(reason, undefined, limits), {
        reason: undefined,
        signInHref: paths.signIn(),
      })
    }
  })
})
