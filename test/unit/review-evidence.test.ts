/**
 * Evidence of review worked out from the decider's views of a task, the
 * monitoring's shares with their counts, and the settings that govern both.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { share } from '../../src/mi/rubber-stamp.ts'
import { deriveEvidence } from '../../src/tasks/review-evidence.ts'
import { evidenceLines } from '../../src/web/view-models/review-evidence.ts'
import { shareWithCounts } from '../../src/web/view-models/rubber-stamp.ts'

const at = (time: string) => new Date(`2026-03-02T${time}Z`)
const DECIDED = at('09:10:00')

describe('deriving the evidence of review', () => {
  it('lists each section once, in the order first opened, and times from the first opening of any page', () => {
    const evidence = deriveEvidence(
      [
        { section: 'vulnerability', at: at('09:04:00') },
        { section: 'person-details', at: at('09:02:30') },
        { section: 'barriers', at: at('09:03:00') },
        { section: 'person-details', at: at('09:05:00') },
        { section: 'why-recommended', at: at('09:06:00') },
      ],
      DECIDED,
    )
    assert.deepEqual(evidence.sectionsOpened, [
      'person-details',
      'barriers',
      'vulnerability',
      'why-recommended',
    ])
    assert.equal(evidence.whyRecommendedOpened, true)
    assert.deepEqual(evidence.firstOpenedAt, at('09:02:30'))
    assert.equal(evidence.secondsToDecision, 450)
  })

  it('counts the decision forms towards the first opening but not as sections looked at', () => {
    const evidence = deriveEvidence(
      [
        { section: 'accept', at: at('09:09:00') },
        { section: 'reject', at: at('09:09:30') },
      ],
      DECIDED,
    )
    assert.deepEqual(evidence.sectionsOpened, [])
    assert.equal(evidence.whyRecommendedOpened, false)
    assert.equal(evidence.secondsToDecision, 60)
  })

  it('ignores views after the decision, and has no time without any opening', () => {
    const evidence = deriveEvidence([{ section: 'barriers', at: at('09:11:00') }], DECIDED)
    assert.deepEqual(evidence, {
      sectionsOpened: [],
      whyRecommendedOpened: false,
      firstOpenedAt: null,
      secondsToDecision: null,
    })
  })

  it('rounds the time down to whole seconds', () => {
    const evidence = deriveEvidence([{ section: 'harm', at: new Date(DECIDED.getTime() - 1999) }], DECIDED)
    assert.equal(evidence.secondsToDecision, 1)
  })
})

describe('the evidence in words on History', () => {
  it('names the sections opened, the key ones not opened, why recommended and the time', () => {
    const lines = evidenceLines({
      taskVersion: 2,
      sectionsOpened: ['barriers', 'harm'],
      whyRecommendedOpened: false,
      firstOpenedAt: at('09:00:00'),
      secondsToDecision: 45,
      ownWords: null,
    })
    assert.deepEqual(lines, [
      'Opened before deciding: Barriers, Harm',
      'Not opened: Vulnerability, Family status',
      'Did not open why it was recommended',
      'Time from first opening the task to deciding: 45 seconds',
    ])
  })

  it('says so when nothing was opened and no time is on record', () => {
    const lines = evidenceLines({
      taskVersion: 2,
      sectionsOpened: [],
      whyRecommendedOpened: false,
      firstOpenedAt: null,
      secondsToDecision: null,
      ownWords: null,
    })
    assert.equal(lines[0], 'Opened before deciding: no section of the case')
    assert.equal(lines.at(-1), 'Time from first opening the task to deciding: no opening on record')
  })
})

describe('monitoring shares', () => {
  it('gives a share with the counts behind it, and none of nothing', () => {
    assert.equal(share(12, 40), 0.3)
    assert.equal(share(0, 0), null)
    assert.equal(shareWithCounts(12, 40), '30.0% (12 of 40)')
    assert.equal(shareWithCounts(0, 0), '– (0 of 0)')
    assert.equal(shareWithCounts(1, 3), '33.3% (1 of 3)')
  })
})

describe('the review evidence settings', () => {
  it('defaults to an optional note and 30 seconds', () => {
    assert.deepEqual(loadConfig({}).reviewEvidence, { acceptNote: 'optional', quickDecisionSeconds: 30 })
  })

  it('reads IPIC_ACCEPT_NOTE and IPIC_QUICK_DECISION_SECONDS', () => {
    const config = loadConfig({ IPIC_ACCEPT_NOTE: 'required', IPIC_QUICK_DECISION_SECONDS: '45' })
    assert.deepEqual(config.reviewEvidence, { acceptNote: 'required', quickDecisionSeconds: 45 })
  })

  it('refuses to start with any other value', () => {
    for (const env of [
      { IPIC_ACCEPT_NOTE: 'yes' },
      { IPIC_ACCEPT_NOTE: 'Required' },
      { IPIC_QUICK_DECISION_SECONDS: '0' },
      { IPIC_QUICK_DECISION_SECONDS: 'soon' },
    ]) {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError)
          assert.match(error.message, new RegExp(Object.keys(env)[0] as string))
          return true
        },
      )
    }
  })
})
