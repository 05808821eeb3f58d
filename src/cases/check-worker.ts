/**
 * The worker thread that reads and checks an extract (see checked-extract.ts).
 * It sends a batch only when the main thread has room for it, so it never
 * runs more than a batch ahead of the database, and fills again the buffers
 * of the batches the main thread has written.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { checkBatches } from './check-batches.ts'
import {
  type CheckerInput,
  type CheckerMessage,
  FIRST_CREDITS,
  type WriterMessage,
} from './checked-extract.ts'
import { BatchEncoder, BufferPool, transferablesOf } from './encoded-batch.ts'
import { readChunks } from './extract-file.ts'
import { compiledRecordSchema } from './record-check.ts'

const port = parentPort
if (!port) throw new Error('check-worker.ts runs only as a worker thread')
const input = workerData as CheckerInput

let credits = FIRST_CREDITS
let waiting: (() => void) | undefined
const pool = new BufferPool()
port.on('message', (message: WriterMessage) => {
  if (message.type === 'recycle') return pool.give(message.buffers)
  credits++
  waiting?.()
})
const send = (message: CheckerMessage) => port.postMessage(message)

/** Marks a failure to read the file, as opposed to a fault in checking it. */
class ReadFailure extends Error {}

async function* chunksOf(path: string, compressed: boolean): AsyncGenerator<Uint8Array> {
  try {
    yield* readChunks(path, compressed)
  } catch (error) {
    throw new ReadFailure((error as Error)?.message ?? String(error))
  }
}

try {
  const schema = compiledRecordSchema(input.context)
  const batches = checkBatches(chunksOf(input.path, input.compressed), schema, input, new BatchEncoder(pool))
  for await (const batch of batches) {
    while (credits === 0) await new Promise<void>((resolve) => (waiting = resolve))
    credits--
    port.postMessage({ type: 'batch', batch } satisfies CheckerMessage, transferablesOf(batch))
  }
  send({ type: 'end' })
} catch (error) {
  const reading = error instanceof ReadFailure
  send({
    type: 'failed',
    reading,
    message: reading ? error.message : ((error as Error)?.stack ?? String(error)),
  })
} finally {
  port.close()
}
