/**
 * Which fields a rule may read, given what the person facts table keeps
 * (src/rules/fact-checks.ts): every field of today's catalogue is kept, and
 * a field whose column the table lacks is refused by name.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KEPT_FACTS, type KeptFacts, missingFactProblem } from '../../src/rules/fact-checks.ts'
import type { ItemField, PersonField } from '../../src/rules/field-types.ts'
import { findField, lists, personFields } from '../../src/rules/fields.ts'

function field(name: string): PersonField | ItemField {
  const found = findField(name)
  assert.ok(found, name)
  return found
}

/** The facts kept, less one person column or one list column. */
function keptWithout(what: { person?: string; item?: [table: string, column: string] }): KeptFacts {
  return {
    person: new Set([...KEPT_FACTS.person].filter((column) => column !== what.person)),
    items: new Map(
      [...KEPT_FACTS.items].map(([table, columns]) => [
        table,
        new Set([...columns].filter((column) => what.item?.[0] !== table || what.item[1] !== column)),
      ]),
    ),
  }
}

describe('fields the person facts keep', () => {
  it('keeps every field of the catalogue, of persons and of every list', () => {
    const all = [
      ...personFields.values(),
      ...[...lists.values()].flatMap((list) => [...list.fields.values()]),
    ]
    assert.ok(all.length > 50)
    for (const f of all) assert.equal(missingFactProblem(f), undefined, f.name)
  })

  it('refuses a person field whose column the table lacks, derived fields included, naming it', () => {
    const kept = keptWithout({ person: 'date_of_birth' })
    assert.equal(
      missingFactProblem(field('person.age'), kept),
      'person.age is not kept in the person facts the rules read (person_facts has no column date_of_birth), so no rule can use it yet',
    )
    assert.match(
      missingFactProblem(field('person.dateOfBirth'), kept) ?? '',
      /^person\.dateOfBirth is not kept/,
    )
    assert.equal(missingFactProblem(field('harm.harmLevel'), kept), undefined)
  })

  it('refuses an item field whose array the table lacks, naming the list and the field', () => {
    const kept = keptWithout({ item: ['barriers', 'owning_team'] })
    assert.equal(
      missingFactProblem(field('barriers.owningTeam'), kept),
      'barriers.owningTeam is not kept in the person facts the rules read (person_facts keeps no owning_team of barriers), so no rule can use it yet',
    )
    assert.equal(missingFactProblem(field('barriers.type'), kept), undefined)
  })
})
