/**
 * A test reporter that writes the run's totals as one line, "N passed,
 * N failed" and any skipped, todo or cancelled, for scripts/test.ts to end
 * its output with: the spec reporter's own totals are spread over several
 * lines and followed by the run's duration, so a log's last line would not
 * say how many tests passed or failed.
 */
import type { TestEvent } from 'node:test/reporters'

export default async function* countsReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  for await (const event of source) {
    // The summary without a file is the whole run's (one per file comes before it).
    if (event.type === 'test:summary' && event.data.file === undefined) {
      // Node reports `failed` too (see its test:summary event); @types/node leaves it out.
      const { passed, failed, skipped, todo, cancelled } = event.data.counts as typeof event.data.counts & {
        readonly failed: number
      }
      const optional = { skipped, todo, cancelled }
      const parts = [
        `${passed} passed`,
        `${failed} failed`,
        ...Object.entries(optional)
          .filter(([, count]) => count > 0)
          .map(([name, count]) => `${count} ${name}`),
      ]
      yield `${parts.join(', ')}\n`
    }
  }
}
