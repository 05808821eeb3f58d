/**
 * An extract's bytes as batches of checked lines, in file order. Every line
 * counts towards a batch, rejected or not, so a file of nothing but bad lines
 * still moves in bounded steps.
 */
import { LineSplitter } from './extract-lines.ts'
import { type CheckedLine, checkLine, type RecordSchema } from './record-check.ts'

export interface BatchOptions {
  readonly batchSize: number
  readonly maxLineBytes: number
}

export async function* checkBatches(
  chunks: AsyncIterable<Uint8Array>,
  schema: RecordSchema,
  { batchSize, maxLineBytes }: BatchOptions,
): AsyncGenerator<CheckedLine[]> {
  const splitter = new LineSplitter(maxLineBytes)
  let batch: CheckedLine[] = []
  for await (const chunk of chunks) {
    for (const line of splitter.push(chunk)) {
      batch.push(checkLine(line, schema, maxLineBytes))
      if (batch.length >= batchSize) {
        yield batch
        batch = []
      }
    }
  }
  for (const line of splitter.end()) batch.push(checkLine(line, schema, maxLineBytes))
  if (batch.length > 0) yield batch
}
