import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../../src/web/paths.ts'
import { homePage } from '../../../src/web/view-models/home.ts'

describe('homePage', () => {
  it('greets the user by name and names their role', () => {
    const page = homePage({ name: 'Jo Bloggs', roles: ['CASEWORKER'] })
    assert.equal(page.name, 'Jo Bloggs')
    assert.equal(page.roles, 'Caseworker')
  })

  it('names several roles in words', () => {
    assert.equal(homePage({ name: 'A', roles: ['CASEWORKER', 'MANAGER'] }).roles, 'Caseworker and manager')
    assert.equal(
      homePage({ name: 'A', roles: ['MANAGER', 'RULE_AUTHOR', 'MI_ANALYST'] }).roles,
      'Manager, rule author and MI analyst',
    )
  })

  it('leads to Review tasks and the MI report', () => {
    const page = homePage({ name: 'A', roles: ['CASEWORKER'] })
    assert.deepEqual(
      page.sections.map((section) => section.href),
      [paths.reviewTasks(), paths.miReport()],
    )
  })

  it('leads only where the user may go', () => {
    assert.deepEqual(homePage({ name: 'A', roles: ['RULE_AUTHOR'] }).sections, [])
    assert.deepEqual(
      homePage({ name: 'A', roles: ['MI_ANALYST'] }).sections.map((section) => section.title),
      ['Review tasks', 'MI report'],
    )
  })
})
