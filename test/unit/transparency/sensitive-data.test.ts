/**
 * Every field the rule language can read is classified as sensitive or not,
 * so a field added to the catalogue cannot reach the transparency record
 * unflagged.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LISTS } from '../../../src/rules/list-fields.ts'
import { PERSON_FIELDS } from '../../../src/rules/person-fields.ts'
import { sensitivityOf } from '../../../src/transparency/sensitive-data.ts'

describe('sensitive data in the field catalogue', () => {
  const names = [
    ...PERSON_FIELDS.map((field) => field.name),
    ...LISTS.flatMap((list) => [list.name, ...[...list.fields.keys()].map((item) => `${list.name}.${item}`)]),
  ]

  it('classifies every field and list the rules can read', () => {
    assert.deepEqual(
      names.filter((name) => sensitivityOf(name) === undefined),
      [],
    )
  })

  it('flags health, offences, age, pregnancy and children, and not reporting arrangements', () => {
    assert.equal(sensitivityOf('vulnerability.selfHarmRisk')?.sensitive, true)
    assert.equal(sensitivityOf('offences.category')?.sensitive, true)
    assert.equal(sensitivityOf('person.age')?.sensitive, true)
    const pregnant = sensitivityOf('vulnerability.pregnant')
    assert.ok(pregnant?.sensitive && pregnant.category === 'Protected characteristic')
    assert.equal(sensitivityOf('children')?.sensitive, true)
    assert.equal(sensitivityOf('reporting.type')?.sensitive, false)
  })
})
