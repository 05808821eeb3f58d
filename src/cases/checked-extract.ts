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
 * next waits here and the worker builds the one after.
 */
import { Worker } from 'node:worker_threads'
import type { BatchOptions } from './check-batches.ts'
import type { EncodedBatch } from './encoded-batch.ts'
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

export const FIRST_CREDITS = 1

/**
 * The checking thread's heap is capped: it holds one batch at a time, and
 * without a cap V8 lets garbage from parsing grow to hundreds of megabytes
 * before collecting it.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 128 }

export async function* checkExtract(
  file: ExtractFile,
  context: ExtractContext,
  options: BatchOptions,
): AsyncGenerator<EncodedBatch> {
  const input: CheckerInput = { path: file.path, compressed: file.compressed, context, ...options }
  const worker = new Worker(new URL('./check-worker.ts', import.meta.url), {
    workerData: input,
    resourceLimits: WORKER_HEAP,
  })
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
      worker.postMessage('more')
    }
  } finally {
    await worker.terminate()
  }
}
