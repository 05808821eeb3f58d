/**
 * Reads and checks an extract on a worker thread, handing the caller encoded
 * batches (encoded-batch.ts) in file order. Checking (JSON, the schema,
 * encoding the rows) is most of an import's work in Node; on its own thread
 * it runs while the main thread keeps the database busy, and the main thread
 * stays free to answer the database at once.
 *
 * Back-pressure: the worker holds credits for the batches it may send; a
 * credit is returned when the caller asks for the next batch, that is when it
 * has finished with the one before. While the caller writes one batch, the
 * next waits here and the worker builds the one after. Once a batch is
 * written, the caller gives its buffers back (recycle) for the worker to
 * fill again.
 */
import { Worker } from 'node:worker_threads'
import type { BatchOptions } from './check-batches.ts'
import { type EncodedBatch, recyclablesOf } from './encoded-batch.ts'
import type { ExtractContext } from './extract.ts'
import { type ExtractFile, ImportFileError } from './extract-file.ts'

export interface CheckerInput extends BatchOptions {
  readonly path: string
  readonly compressed: boolean
  readonly context: ExtractContext
}

export type CheckerMessage =
  | { readonly type: 'batch'; readonly batch: EncodedBatch }
  | { readonly type: 'end' }
  | { readonly type: 'failed'; readonly reading: boolean; readonly message: string }

/** From the main thread: room for one more batch, or a written batch's buffers to fill again. */
export type WriterMessage =
  | { readonly type: 'more' }
  | { readonly type: 'recycle'; readonly buffers: ArrayBuffer[] }

export const FIRST_CREDITS = 1

/** Batches in file order; a batch written can give its buffers back to the checker. */
export interface ExtractChecker extends AsyncIterable<EncodedBatch> {
  /** Hands a batch's buffers back to be filled again: the batch must not be used afterwards. */
  recycle(batch: EncodedBatch): void
}

/**
 * The checking thread's heap is capped: it holds one batch at a time, and
 * without a cap V8 lets garbage from parsing grow to hundreds of megabytes
 * before collecting it. Almost all it makes dies young, so a small young
 * generation costs no measurable time: 8 MB checked 100,000 records in the
 * same CPU time as 16 or 64 MB, in 15 MB less memory than 16.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 }

export function checkExtract(
  file: ExtractFile,
  context: ExtractContext,
  options: BatchOptions,
): ExtractChecker {
  let worker: Worker | undefined
  return {
    [Symbol.asyncIterator]: () =>
      checkedBatches(
        file,
        { path: file.path, compressed: file.compressed, context, ...options },
        (running) => {
          worker = running
        },
      ),
    recycle(batch) {
      const buffers = recyclablesOf(batch)
      worker?.postMessage({ type: 'recycle', buffers } satisfies WriterMessage, buffers)
    },
  }
}

async function* checkedBatches(
  file: ExtractFile,
  input: CheckerInput,
  setWorker: (worker: Worker | undefined) => void,
): AsyncGenerator<EncodedBatch> {
  const worker = new Worker(new URL('./check-worker.ts', import.meta.url), {
    workerData: input,
    resourceLimits: WORKER_HEAP,
  })
  setWorker(worker)
  const inbox: CheckerMessage[] = []
  let crash: Error | undefined
  let exited = false
  let wake: (() => void) | undefined
  worker.on('message', (message: CheckerMessage) => {
    inbox.push(message)
    wake?.()
  })
  worker.on('error', (error) => {
    crash = error
    wake?.()
  })
  worker.on('exit', () => {
    exited = true
    setWorker(undefined)
    wake?.()
  })
  try {
    for (;;) {
      while (inbox.length === 0 && !crash && !exited) await new Promise<void>((resolve) => (wake = resolve))
      wake = undefined
      const message = inbox.shift()
      if (!message) throw crash ?? new Error('The extract checker stopped before the end of the file')
      if (message.type === 'end') return
      if (message.type === 'failed') {
        if (message.reading) {
          throw new ImportFileError(
            `${file.path} could not be read to the end (${message.message.split('\n')[0]}); ` +
              'the records before that point were imported: import the file again once it is whole',
          )
        }
        throw new Error(`Checking the extract failed: ${message.message}`)
      }
      yield message.batch
      // Asked for the next batch: the caller has finished with the one before this.
      worker.postMessage({ type: 'more' } satisfies WriterMessage)
    }
  } finally {
    setWorker(undefined)
    await worker.terminate()
  }
}
