/**
 * The worker thread that reads and checks an extract (see checked-extract.ts).
 * It sends a batch only when the main thread has room for it, so it never
 * runs more than a batch ahead of the database.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { checkBatches } from './check-batches.ts'
import { type CheckerInput, type CheckerMessage, FIRST_CREDITS } from './checked-extract.ts'
import { transferablesOf } from './encoded-batch.ts'
import { extractRecordSchema } from './extract.ts'
import { readChunks } from './extract-file.ts'

const port = parentPort
if (!port) throw new Error('check-worker.ts runs only as a worker thread')
const input = workerData as CheckerInput

let credits = FIRST_CREDITS
let waiting: (() => void) | undefined
port.on('message', () => {
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
  const schema = extractRecordSchema(input.context)
  const batches = checkBatches(chunksOf(input.path, input.compressed), schema, input)
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
