/**
 * Reads a stream of chunks (a cursor's) one chunk ahead of its consumer. A
 * cursor asks the database for its next chunk only when asked for it, so a
 * consumer that writes each chunk out before asking leaves the database idle
 * while it writes, and itself idle while the database works: asking for the
 * next chunk first lets the two work at the same time. At most one chunk more
 * is held than without it.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]()
  let pending: Promise<IteratorResult<T>> | undefined = iterator.next()
  try {
    for (;;) {
      const result: IteratorResult<T> = await pending
      pending = undefined
      if (result.done) return
      pending = iterator.next()
      yield result.value
    }
  } finally {
    // Left early (the consumer stopped, or failed): the chunk being read must arrive before the
    // source can be closed, and its failure, if any, no longer matters to anyone.
    if (pending) {
      const last = await pending.catch(() => ({ done: true }) as const)
      if (!last.done) await iterator.return?.()
    }
  }
}
