import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TestEvent } from 'node:test/reporters'
import countsReporter from '../../scripts/test-counts-reporter.ts'

const counts = (
  passed: number,
  failed: number,
  others: { skipped?: number; todo?: number; cancelled?: number } = {},
) => ({
  tests: passed + failed,
  suites: 0,
  passed,
  failed,
  cancelled: others.cancelled ?? 0,
  skipped: others.skipped ?? 0,
  todo: others.todo ?? 0,
  topLevel: passed + failed,
})

const summary = (counted: ReturnType<typeof counts>, file?: string) => ({
  type: 'test:summary',
  data: { file, counts: counted, success: counted.failed === 0 },
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
        summary(counts(3, 0, { skipped: 1 }), '/x/one.test.ts'),
        summary(counts(7, 2, { skipped: 1 })),
      ),
    )
    assert.equal(text, '7 passed, 2 failed, 1 skipped\n')
  })

  it('always gives passed and failed, and the others only when there are some', async () => {
    assert.equal(await output(events(summary(counts(5, 0)))), '5 passed, 0 failed\n')
    assert.equal(
      await output(events(summary(counts(0, 1, { todo: 2, cancelled: 3 })))),
      '0 passed, 1 failed, 2 todo, 3 cancelled\n',
    )
  })

  it('writes nothing when the run ends without a summary', async () => {
    assert.equal(await output(events({ type: 'test:pass', data: { name: 'a', nesting: 0 } })), '')
  })
})
