import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads'
import {
  BatchEncoder,
  BufferPool,
  type EncodedBatch,
  pick,
  recyclablesOf,
  stampPersons,
  transferablesOf,
} from '../../src/cases/encoded-batch.ts'
import type { EncodedPerson } from '../../src/cases/person-rows.ts'
import type { CheckedLine } from '../../src/cases/record-check.ts'

function valid(line: number, personId: string, barriers = ''): CheckedLine {
  const person: EncodedPerson = {
    personId,
    contentHash: `hash-${personId}`,
    person: `${personId}\tÉlodie\thash-${personId}`,
    lists: { barriers, offences: '', children: '', vulnerabilityIndicators: '', referrals: '' },
  }
  return { kind: 'valid', line, person }
}

const rejected = (line: number, personId: string | null): CheckedLine => ({
  kind: 'rejected',
  line,
  personId,
  problems: ['line is empty'],
})

function encode(lines: CheckedLine[]): EncodedBatch {
  const encoder = new BatchEncoder()
  for (const line of lines) encoder.add(line)
  return encoder.finish()
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8')

describe('BatchEncoder', () => {
  it('keeps valid records and rejections apart, each in file order', () => {
    const batch = encode([valid(1, 'P1'), rejected(2, 'P2'), valid(3, 'P3'), rejected(4, null)])
    assert.equal(batch.read, 4)
    assert.deepEqual([...batch.lines], [1, 3])
    assert.deepEqual(batch.personIds, ['P1', 'P3'])
    assert.deepEqual(batch.contentHashes, ['hash-P1', 'hash-P3'])
    assert.deepEqual(
      batch.rejections.map((r) => [r.line, r.personId]),
      [
        [2, 'P2'],
        [4, null],
      ],
    )
  })

  it('writes each person line with room for the times, and marks where each person ends, in bytes', () => {
    const batch = encode([valid(1, 'P1', 'P1\t0\tAPPEAL\n'), valid(2, 'P2')])
    const zeros = '0'.repeat(24)
    const line = (id: string) => `${id}\tÉlodie\thash-${id}\t${zeros}\t${zeros}\tt\n`
    assert.equal(text(batch.persons.bytes), line('P1') + line('P2'))
    assert.deepEqual(
      [...batch.persons.ends],
      [Buffer.byteLength(line('P1')), Buffer.byteLength(line('P1') + line('P2'))],
    )
    assert.deepEqual([...batch.lists.barriers.ends], [12, 12], 'P2 has no barriers')
  })

  it('serves batch after batch, each holding only the lines added since the one before', () => {
    const encoder = new BatchEncoder()
    encoder.add(valid(1, 'P1', 'P1\t0\tAPPEAL\n'))
    encoder.add(rejected(2, null))
    const first = encoder.finish()
    encoder.add(valid(3, 'P3'))
    const second = encoder.finish()
    assert.deepEqual([first.read, second.read], [2, 1])
    assert.deepEqual(second.personIds, ['P3'])
    assert.deepEqual(second.rejections, [])
    assert.match(text(second.persons.bytes), /^P3\t/)
    assert.equal(text(second.lists.barriers.bytes), '')
    assert.match(text(first.persons.bytes), /^P1\t/, 'the first batch is untouched by the second')
    assert.equal(text(first.lists.barriers.bytes), 'P1\t0\tAPPEAL\n')
  })

  it('grows its buffers for a batch larger than they are, and writes any text as UTF-8', () => {
    const encoder = new BatchEncoder()
    const long = 'é✓'.repeat(50_000)
    encoder.add(valid(1, 'P1', `P1\t0\t${long}\n`))
    encoder.add(valid(2, 'P2', 'P2\t0\tAPPEAL\n'))
    const batch = encoder.finish()
    assert.equal(text(batch.lists.barriers.bytes), `P1\t0\t${long}\nP2\t0\tAPPEAL\n`)
    assert.deepEqual(
      [...batch.lists.barriers.ends],
      [Buffer.byteLength(`P1\t0\t${long}\n`), batch.lists.barriers.bytes.length],
    )
  })

  it('counts the wording of rejections towards its size', () => {
    const encoder = new BatchEncoder()
    encoder.add(rejected(1, null))
    assert.ok(encoder.byteLength >= 'line is empty'.length)
  })
})

describe('BufferPool', () => {
  it('fills the buffers of a written batch again instead of making new ones', () => {
    const pool = new BufferPool()
    const encoder = new BatchEncoder(pool)
    encoder.add(valid(1, 'P1', 'b1\n'))
    const first = encoder.finish()
    const given = recyclablesOf(first)
    assert.equal(given.length, 6, 'one buffer per table')
    pool.give(given)
    assert.equal(pool.size, 6)

    // The batch being built already has its buffers: the one after it gets these.
    encoder.add(valid(2, 'P2', 'b2\n'))
    encoder.finish()
    assert.equal(pool.size, 0, 'taken for the next batch')
    encoder.add(valid(3, 'P3', 'b3\n'))
    const third = encoder.finish()
    assert.ok(recyclablesOf(third).every((buffer) => given.includes(buffer)))
    assert.equal(text(third.lists.barriers.bytes), 'b3\n')
    assert.match(text(third.persons.bytes), /^P3\t/)
  })

  it('hands out the smallest buffer that is large enough, and keeps only so many', () => {
    const pool = new BufferPool()
    pool.give([new ArrayBuffer(100), new ArrayBuffer(10), new ArrayBuffer(50)])
    assert.equal(pool.take(20).length, 50)
    assert.equal(pool.take(200).length, 200, 'none large enough: a new one')
    const full = new BufferPool()
    full.give(Array.from({ length: 40 }, (_, i) => new ArrayBuffer(i + 1)))
    assert.equal(full.size, BufferPool.MAX_FREE)
    assert.equal(full.take(1).length, 40 - BufferPool.MAX_FREE + 1, 'the smallest were let go')
  })
})

describe('stampPersons and pick', () => {
  it('fills in the batch time on every person line', () => {
    const batch = encode([valid(1, 'P1'), valid(2, 'P2')])
    stampPersons(batch.persons, new Date('2026-03-02T09:00:00Z'))
    const stamped = '\t2026-03-02T09:00:00.000Z\t2026-03-02T09:00:00.000Z\tt\n'
    assert.equal(text(batch.persons.bytes), `P1\tÉlodie\thash-P1${stamped}P2\tÉlodie\thash-P2${stamped}`)
  })

  it('picks the rows of the chosen persons only, or the whole text when all are chosen', () => {
    const batch = encode([valid(1, 'P1', 'b1\n'), valid(2, 'P2', 'b2\n'), valid(3, 'P3', 'b3\n')])
    assert.equal(text(pick(batch.lists.barriers, [0, 2])), 'b1\nb3\n')
    assert.equal(text(pick(batch.lists.barriers, [1])), 'b2\n')
    assert.equal(text(pick(batch.lists.barriers, [])), '')
    assert.equal(pick(batch.lists.barriers, [0, 1, 2]), batch.lists.barriers.bytes)
  })
})

describe('transferablesOf', () => {
  it('lets a batch cross threads without copying its buffers', () => {
    const batch = encode([valid(1, 'P1', 'b1\n'), rejected(2, null)])
    const { port1, port2 } = new MessageChannel()
    port1.postMessage(batch, transferablesOf(batch))
    const received = receiveMessageOnPort(port2)?.message as EncodedBatch
    port1.close()
    assert.equal(batch.persons.bytes.byteLength, 0, 'the sender no longer holds the bytes')
    assert.match(text(received.persons.bytes), /^P1\tÉlodie/)
    assert.equal(text(received.lists.barriers.bytes), 'b1\n')
    assert.deepEqual(received.rejections, [{ line: 2, personId: null, problems: ['line is empty'] }])
  })
})
