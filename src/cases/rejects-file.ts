/**
 * The rejects file beside an extract (`FILE.rejects.ndjson`): one JSON object
 * per rejected line, `{ "line": n, "personId": "…" | null, "problems": [...] }`.
 * It always describes the latest import: rewritten by each, and removed when
 * that import rejected nothing.
 *
 * Whoever sends extracts can write to their folder, so nothing found at the
 * rejects file's name is trusted. The rejections are written to a new file of
 * an unguessable name, created exclusively and never through a symbolic link,
 * which is then renamed over the name: a link planted there is replaced, never
 * followed, so the import cannot be made to overwrite another file. The file
 * also holds at most `maxLines` rejections, so a small hostile extract (a
 * gzip of newlines) cannot fill the disk.
 */
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { constants, type WriteStream } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'

export interface Rejection {
  readonly line: number
  readonly personId: string | null
  readonly problems: readonly string[]
}

export function rejectsFileFor(extractPath: string): string {
  return `${extractPath}.rejects.ndjson`
}

/** Created only if nothing is there, and never through a link, even one pointing nowhere. */
const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW

export class RejectsFile {
  readonly path: string
  readonly maxLines: number
  readonly #partPath: string
  readonly #stream: WriteStream
  #count = 0
  #closing: Promise<string | undefined> | undefined

  private constructor(path: string, partPath: string, stream: WriteStream, maxLines: number) {
    this.path = path
    this.#partPath = partPath
    this.#stream = stream
    this.maxLines = maxLines
  }

  /** Creates the file being written now, so that a folder it cannot be written to is found before the import starts. */
  static async create(path: string, options: { readonly maxLines: number }): Promise<RejectsFile> {
    const partPath = `${path}.${randomBytes(8).toString('hex')}.part`
    const handle = await open(partPath, NEW_FILE)
    return new RejectsFile(path, partPath, handle.createWriteStream(), options.maxLines)
  }

  /** Rejections written: never more than maxLines. */
  get count(): number {
    return this.#count
  }

  /** Appends rejections, up to maxLines in all, waiting for the disk when it falls behind. */
  async write(rejections: readonly Rejection[]): Promise<void> {
    const room = Math.min(rejections.length, this.maxLines - this.#count)
    if (room <= 0) return
    let text = ''
    for (let i = 0; i < room; i++) {
      const { line, personId, problems } = rejections[i] as Rejection
      text += `${JSON.stringify({ line, personId, problems })}\n`
    }
    this.#count += room
    if (!this.#stream.write(text)) await once(this.#stream, 'drain')
  }

  /**
   * Closes the file and puts it in place of the last import's, or removes
   * both if nothing was rejected. Returns its path if it was kept. Safe to
   * call more than once.
   */
  close(): Promise<string | undefined> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<string | undefined> {
    if (!this.#stream.closed) {
      this.#stream.end()
      await once(this.#stream, 'close')
    }
    if (this.#count > 0) {
      await rename(this.#partPath, this.path)
      return this.path
    }
    await rm(this.#partPath, { force: true })
    await rm(this.path, { force: true })
    return undefined
  }
}
