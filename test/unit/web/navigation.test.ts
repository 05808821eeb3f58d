import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../../src/web/paths.ts'
import { serviceNavigation } from '../../../src/web/view-models/navigation.ts'

describe('serviceNavigation', () => {
  it('is empty for someone not signed in', () => {
    assert.deepEqual(serviceNavigation(paths.reviewTasks(), false), [])
  })

  it('offers Review tasks and MI report, in that order', () => {
    const items = serviceNavigation(paths.home(), true)
    assert.deepEqual(
      items.map((item) => [item.text, item.href]),
      [
        ['Review tasks', paths.reviewTasks()],
        ['MI report', paths.miReport()],
      ],
    )
    assert.ok(items.every((item) => !item.current && !item.active))
  })

  it('marks the current page, ignoring its query', () => {
    const [review, mi] = serviceNavigation(`${paths.miReport()}?from=2018-07-01`, true)
    assert.equal(mi?.current, true)
    assert.equal(review?.current, false)
  })

  it('marks the section of a page inside it', () => {
    const [review] = serviceNavigation(`${paths.reviewTasks()}/accepted`, true)
    assert.equal(review?.active, true)
    assert.equal(review?.current, false)
  })

  it('does not mistake a page whose path merely starts the same for part of the section', () => {
    const [review] = serviceNavigation(`${paths.reviewTasks()}-archive`, true)
    assert.equal(review?.active, false)
    assert.equal(review?.current, false)
  })
})
