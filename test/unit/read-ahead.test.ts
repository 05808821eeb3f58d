import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readAhead } from '../../src/db/read-ahead.ts'

/** A source of chunks that logs when each is asked for and whether it was closed. */
function loggedSource(chunks: number, failAt?: number) {
  const log: string[] = []
  async function* source(): AsyncGenerator<number> {
    try {
      for (let chunk = 1; chunk <= chunks; chunk += 1) {
        log.push(`read ${chunk}`)
        await new Promise((resolve) => setImmediate(resolve))
        if (chunk === failAt) throw new Error(`chunk ${chunk} failed`)
        yield chunk
      }
    } finally {
      log.push('closed')
    }
  }
  return { log, source: source() }
}

describe('readAhead', () => {
  it('asks for the next chunk before the consumer works on this one', async () => {
    const { log, source } = loggedSource(3)
    for await (const chunk of readAhead(source)) log.push(`write ${chunk}`)
    // The source ends (and closes) while the consumer still has the last chunk to write.
    assert.deepEqual(log, ['read 1', 'read 2', 'write 1', 'read 3', 'write 2', 'closed', 'write 3'])
  })

  it('closes the source once the chunk in flight arrives, when the consumer stops early', async () => {
    const { log, source } = loggedSource(5)
    for await (const chunk of readAhead(source)) {
      log.push(`write ${chunk}`)
      if (chunk === 2) break
    }
    assert.deepEqual(log, ['read 1', 'read 2', 'write 1', 'read 3', 'write 2', 'closed'])
  })

  it('passes on a failure of the source', async () => {
    const { log, source } = loggedSource(5, 2)
    await assert.rejects(async () => {
      for await (const chunk of readAhead(source)) log.push(`write ${chunk}`)
    }, /chunk 2 failed/)
    assert.deepEqual(log, ['read 1', 'read 2', 'write 1', 'closed'])
  })

  it('closes the source when the consumer fails, and ignores a failure of the chunk in flight', async () => {
    const { log, source } = loggedSource(5, 2)
    await assert.rejects(async () => {
      for await (const _chunk of readAhead(source)) throw new Error('the consumer failed')
    }, /the consumer failed/)
    assert.deepEqual(log, ['read 1', 'read 2', 'closed'])
  })
})
