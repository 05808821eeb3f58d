import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Role } from '../../../src/access/roles.ts'
import { paths } from '../../../src/web/paths.ts'
import { serviceNavigation } from '../../../src/web/view-models/navigation.ts'

const caseworker = { roles: ['CASEWORKER'] } as const

describe('serviceNavigation', () => {
  it('is empty for someone not signed in', () => {
    assert.deepEqual(serviceNavigation(paths.reviewTasks(), null), [])
  })

  it('offers only the sections the user may use', () => {
    const textsFor = (roles: readonly Role[]) =>
      serviceNavigation(paths.home(), { roles }).map((item) => item.text)
    assert.deepEqual(textsFor(['MI_ANALYST']), ['Review tasks', 'MI report'])
    assert.deepEqual(textsFor(['RULE_AUTHOR']), [])
    assert.deepEqual(textsFor(['RULE_AUTHOR', 'MANAGER']), [
      'Review tasks',
      'My tasks',
      'MI report',
      'Contests',
      'Users',
    ])
    assert.deepEqual(textsFor(['ADMIN']), [
      'Review tasks',
      'MI report',
      'Users',
      'Audit',
      'Background jobs',
      'Event subscribers',
      'API clients',
    ])
    assert.deepEqual(textsFor(['AUDITOR']), ['Audit'])
  })

  it('offers Users, and marks it on a user’s own page', () => {
    const users = serviceNavigation(paths.user('cw.lse'), { roles: ['MANAGER'] }).find(
      (item) => item.text === 'Users',
    )
    assert.deepEqual(users, { text: 'Users', href: paths.users(), current: false, active: true })
  })

  it('offers Review tasks, My tasks, MI report and Contests, in that order', () => {
    const items = serviceNavigation(paths.home(), caseworker)
    assert.deepEqual(
      items.map((item) => [item.text, item.href]),
      [
        ['Review tasks', paths.reviewTasks()],
        ['My tasks', paths.myTasks()],
        ['MI report', paths.miReport()],
        ['Contests', paths.contests()],
      ],
    )
    assert.ok(items.every((item) => !item.current && !item.active))
  })

  it('marks the current page, ignoring its query', () => {
    const [review, , mi] = serviceNavigation(`${paths.miReport()}?from=2018-07-01`, caseworker)
    assert.equal(mi?.current, true)
    assert.equal(review?.current, false)
  })

  it('marks the section of a page inside it', () => {
    const [review] = serviceNavigation(`${paths.reviewTasks()}/accepted`, caseworker)
    assert.equal(review?.active, true)
    assert.equal(review?.current, false)
  })

  it('does not mistake a page whose path merely starts the same for part of the section', () => {
    const [review] = serviceNavigation(`${paths.reviewTasks()}-archive`, caseworker)
    assert.equal(review?.active, false)
    assert.equal(review?.current, false)
  })
})
