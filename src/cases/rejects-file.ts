/**
 * The rejects file beside an extract (`FILE.rejects.ndjson`): one JSON object
 * per rejected line, `{ "line": n, "personId": "…" | null, "problems": [...] }`.
 * It is recreated on every run, so it always describes the latest import,
 * and removed when that import rejected nothing.
 */
import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'

export interface Rejection {
  readonly line: number
  readonly personId: string | null
  readonly problems: readonly string[]
}

export function rejectsFileFor(extractPath: string): string {
  return `${extractPath}.rejects.ndjson`
}

export class RejectsFile {
  readonly path: string
  readonly #stream: WriteStream
  #count = 0

  private constructor(path: string, stream: WriteStream) {
    this.path = path
    this.#stream = stream
  }

  /** Creates (or empties) the file now, so that a folder it cannot be written to is found before the import starts. */
  static async create(path: string): Promise<RejectsFile> {
    const stream = createWriteStream(path, { flags: 'w' })
    await Promise.race([
      once(stream, 'open'),
      once(stream, 'error').then(([error]) => {
        throw error
      }),
    ])
    return new RejectsFile(path, stream)
  }

  get count(): number {
    return this.#count
  }

  /** Appends rejections, waiting for the disk when it falls behind. */
  async write(rejections: readonly Rejection[]): Promise<void> {
    if (rejections.length === 0) return
    let text = ''
    for (const { line, personId, problems } of rejections)
      text += `${JSON.stringify({ line, personId, problems })}\n`
    this.#count += rejections.length
    if (!this.#stream.write(text)) await once(this.#stream, 'drain')
  }

  /** Closes the file; removes it if nothing was rejected. Returns its path if it was kept. */
  async close(): Promise<string | undefined> {
    if (!this.#stream.closed) {
      this.#stream.end()
      await once(this.#stream, 'close')
    }
    if (this.#count > 0) return this.path
    await rm(this.path, { force: true })
    return undefined
  }
}
