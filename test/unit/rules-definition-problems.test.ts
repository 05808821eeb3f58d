/**
 * Problems with the names a rule file gives and uses: definitions that
 * refer round in a circle, are unknown or shadow a global one, and ids used
 * twice.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { problemsOfRule, RULE_FILE } from '../support/rule-problems.ts'

describe('problems with definitions and ids', () => {
  it('reports a cycle in named definitions', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.definitions = {
          first: { text: 'First', when: { all: [{ ref: 'second' }, { ref: 'openSuspensiveBarrier' }] } },
          second: { text: 'Second', when: { not: { ref: 'first' } } },
        }
        r.eligibility.all.push({ ref: 'first' })
      }),
      [
        {
          file: RULE_FILE,
          path: 'definitions.second.when.not.ref',
          message: 'the definition first refers back to itself: first → second → first',
        },
      ],
    )
  })

  it('reports an unknown definition and one that shadows a global definition', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.definitions = { openSuspensiveBarrier: { text: 'Mine', when: { ref: 'openSuspensiveBarier' } } }
      }),
      [
        {
          file: RULE_FILE,
          path: 'definitions.openSuspensiveBarrier',
          message:
            'the definition openSuspensiveBarrier is already defined in global-safeguards.yaml: choose another name',
        },
      ],
    )
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all.push({ ref: 'openSuspensiveBarier' })
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[2].ref',
          message: 'there is no definition named openSuspensiveBarier (did you mean openSuspensiveBarrier?)',
        },
      ],
    )
  })

  it('reports a safeguard id already used by a global safeguard, and a repeated condition id', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.safeguards = [
          {
            id: 'adultAtRisk',
            text: 'Again',
            when: { field: 'vulnerability.pregnant', operator: 'equals', value: true },
          },
        ]
        r.eligibility.all[1].id = 'highHarm'
      }),
      [
        {
          file: RULE_FILE,
          path: 'safeguards[0].id',
          message: 'the safeguard id adultAtRisk is already used by a global safeguard',
        },
        {
          file: RULE_FILE,
          path: 'eligibility.all[1].id',
          message: 'the id highHarm is already used at eligibility.all[0]',
        },
      ],
    )
  })
})
