/**
 * An extract's bytes as batches of checked, encoded lines, in file order.
 * Every line counts towards a batch, rejected or not, so a file of nothing
 * but bad lines still moves in bounded steps; a batch of unusually large
 * records is closed early, so no batch outgrows its memory.
 */
import { BatchEncoder, type EncodedBatch } from './encoded-batch.ts'
import { LineSplitter } from './extract-lines.ts'
import { checkLine, type RecordSchema } from './record-check.ts'

export interface BatchOptions {
  readonly batchSize: number
  readonly maxLineBytes: number
}

/** Well above a batch of ordinary records (5,000 take about 7 MB), well below the checker's heap. */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024

export async function* checkBatches(
  chunks: AsyncIterable<Uint8Array>,
  schema: RecordSchema,
  { batchSize, maxLineBytes }: BatchOptions,
  batch = new BatchEncoder(),
): AsyncGenerator<EncodedBatch> {
  const splitter = new LineSplitter(maxLineBytes)
  for await (const chunk of chunks) {
    for (const line of splitter.push(chunk)) {
      batch.add(checkLine(line, schema, maxLineBytes))
      if (batch.read >= batchSize || batch.byteLength >= MAX_BATCH_BYTES) yield batch.finish()
    }
  }
  for (const line of splitter.end()) batch.add(checkLine(line, schema, maxLineBytes))
  if (batch.read > 0) yield batch.finish()
}
