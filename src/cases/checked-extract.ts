/**
 * Reads and checks an extract on a worker thread, handing batches of checked
 * lines to the caller in file order. Checking (JSON, the schema, encoding the
 * rows) is most of an import's work in Node; on its own thread it runs while
 * the main thread keeps the database busy, and the main thread stays free to
 * answer the database at once.
 *
 * Back-pressure: the worker holds credits for the batches it may send; the
 * caller returns one each time it takes a batch. At most one batch waits
 * here and one is being built while the caller writes another.
 */
import { Worker } from 'node:worker_threads'
import type { BatchOptions } from './check-batches.ts'
import type { ExtractContext } from './extract.ts'
import { type ExtractFile, ImportFileError } from './extract-file.ts'
import type { CheckedLine } from './record-check.ts'

export interface CheckerInput extends BatchOptions {
  readonly path: string
  readonly compressed: boolean
  readonly context: ExtractContext
}

export type CheckerMessage =
  | { readonly type: 'batch'; readonly lines: CheckedLine[] }
  | { readonly type: 'end' }
  | { readonly type: 'failed'; readonly reading: boolean; readonly message: string }

export const FIRST_CREDITS = 1

export async function* checkExtract(
  file: ExtractFile,
  context: ExtractContext,
  options: BatchOptions,
): AsyncGenerator<CheckedLine[]> {
  const input: CheckerInput = { path: file.path, compressed: file.compressed, context, ...options }
  const worker = new Worker(new URL('./check-worker.ts', import.meta.url), { workerData: input })
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
      worker.postMessage('more')
      yield message.lines
    }
  } finally {
    await worker.terminate()
  }
}
