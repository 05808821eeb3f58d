import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backLink, taskIdIn } from '../../../src/web/case/request.ts'
import { isCaseSection } from '../../../src/web/case/sections.ts'
import { paths } from '../../../src/web/paths.ts'
import { NotFoundError } from '../../../src/web/server/not-found.ts'

describe('case view URLs', () => {
  it('builds each page of a task, carrying the way back', () => {
    assert.equal(paths.task(12), '/tasks/12')
    assert.equal(
      paths.task(12, '/review-tasks/LSE/recommended?page=3'),
      '/tasks/12?back=%2Freview-tasks%2FLSE%2Frecommended%3Fpage%3D3',
    )
    assert.equal(paths.taskSection(12, 'family-status'), '/tasks/12/family-status')
    assert.equal(paths.taskDecision(12, 'hold', '/review-tasks'), '/tasks/12/hold?back=%2Freview-tasks')
    assert.equal(paths.taskDecided(12, 'reject'), '/tasks/12/reject/done')
    assert.equal(paths.taskSection(':taskId', ':section'), '/tasks/:taskId/:section')
  })

  it('knows its sections', () => {
    assert.equal(isCaseSection('why-recommended'), true)
    assert.equal(isCaseSection('accept'), false)
    assert.equal(isCaseSection('__proto__'), false)
  })

  it('takes only positive whole task IDs: anything else is a page that does not exist', () => {
    assert.equal(taskIdIn({ taskId: '42' }), 42)
    for (const bad of ['0', '-1', '1.5', 'abc', '1e3', '', '9'.repeat(16)]) {
      assert.throws(() => taskIdIn({ taskId: bad }), NotFoundError, bad)
    }
  })

  it('goes back only to a local page, else to the review tasks page', () => {
    assert.deepEqual(backLink({ back: '/review-tasks/LSE/recommended?page=2' }), {
      back: '/review-tasks/LSE/recommended?page=2',
      backParam: '/review-tasks/LSE/recommended?page=2',
    })
    for (const bad of [
      '//evil.example',
      'https://evil.example/',
      '/\\evil.example',
      ['/a', '/b'],
      undefined,
    ]) {
      assert.deepEqual(
        backLink({ back: bad }),
        { back: paths.reviewTasks(), backParam: undefined },
        String(bad),
      )
    }
    assert.deepEqual(backLink(undefined), { back: paths.reviewTasks(), backParam: undefined })
  })
})
