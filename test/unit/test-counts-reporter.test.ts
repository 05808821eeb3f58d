import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TestEvent } from 'node:test/reporters'
import countsReporter from '../../scripts/test-counts-reporter.ts'

const counts = (passed: number, failed: number) => ({
  tests: passed + failed,
  suites: 0,
  passed,
  failed,
  cancelled: 0,
  skipped: 1,
  todo: 0,
  topLevel: passed + failed,
})

async function* events(...list: object[]): AsyncGenerator<TestEvent> {
  for (const event of list) yield event as TestEvent
}

async function output(source: AsyncIterable<TestEvent>): Promise<string> {
  let text = ''
  for await (const chunk of countsReporter(source)) text += chunk
  return text
}

describe('the test counts reporter', () => {
  it("writes the whole run's totals, not a file's", async () => {
    const text = await output(
      events(
        { type: 'test:pass', data: { name: 'a', nesting: 0 } },
        { type: 'test:summary', data: { file: '/x/one.test.ts', counts: counts(3, 0), success: true } },
        { type: 'test:summary', data: { file: undefined, counts: counts(7, 2), success: false } },
      ),
    )
    assert.deepEqual(JSON.parse(text), { passed: 7, failed: 2, skipped: 1, todo: 0, cancelled: 0 })
  })

  it('writes nothing when the run ends without a summary', async () => {
    assert.equal(await output(events({ type: 'test:pass', data: { name: 'a', nesting: 0 } })), '')
  })
})
