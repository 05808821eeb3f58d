/**
 * Opens an extract file, plain NDJSON or gzip, after checking that it can be
 * read to the end: a missing, empty or non-regular file or a damaged gzip is
 * refused with one clear sentence before anything is written. Compression is
 * recognised by content (the gzip magic number), not by name, but a `.gz`
 * name on a file that is not gzip is refused rather than guessed at.
 */
import { constants, createReadStream, type Stats } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { pipeline as pipelineCallback, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'

/** The file cannot be imported at all (missing, unreadable, damaged): nothing was written. */
export class ImportFileError extends Error {}

export interface ExtractFile {
  readonly path: string
  readonly compressed: boolean
  /** The file's bytes, decompressed when it is gzip. Each call reads it afresh. */
  chunks(): AsyncIterable<Uint8Array>
}

const READ_CHUNK_BYTES = 64 * 1024
const GZIP_MAGIC = [0x1f, 0x8b]

export async function openExtractFile(path: string): Promise<ExtractFile> {
  const name = basename(path)
  const compressed = await startsWithGzipMagic(path)
  if (!compressed && name.toLowerCase().endsWith('.gz')) {
    throw new ImportFileError(`${path} is named .gz but is not a gzip file: nothing was imported`)
  }
  if (compressed) await checkGzip(path)
  return {
    path,
    compressed,
    chunks: () => readChunks(path, compressed),
  }
}

/** The bytes of a file already checked by openExtractFile, decompressed when it is gzip. */
export function readChunks(path: string, compressed: boolean): AsyncIterable<Uint8Array> {
  const input = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })
  // The callback form returns the last stream, whose iteration fails if any stage does.
  return compressed ? pipelineCallback(input, createGunzip({ chunkSize: READ_CHUNK_BYTES }), () => {}) : input
}

/**
 * Whether a regular, non-empty file starts as gzip does. Anything else is
 * refused here: a pipe or a device (`/dev/zero`) never ends, so an import of
 * one would never finish. The file is opened without blocking (opening a
 * pipe would wait for a writer) and what was opened is what is checked.
 */
async function startsWithGzipMagic(path: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    const info = await handle.stat()
    if (!info.isFile())
      throw new ImportFileError(`${path} is ${kindOf(info)}, not an extract file: nothing was imported`)
    if (info.size === 0) throw new ImportFileError(`${path} is empty: nothing was imported`)
    const head = Buffer.alloc(2)
    const { bytesRead } = await handle.read(head, 0, 2, 0)
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]
  } catch (error) {
    if (error instanceof ImportFileError) throw error
    throw new ImportFileError(`${path} cannot be read: ${reason(error)}`)
  } finally {
    await handle?.close()
  }
}

/**
 * A full decompression to nowhere. It costs a second pass over the file, but
 * a truncated or corrupt gzip is otherwise found only after earlier batches
 * have been committed.
 */
async function checkGzip(path: string): Promise<void> {
  try {
    await pipeline(
      createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }),
      createGunzip({ chunkSize: READ_CHUNK_BYTES }),
      new Writable({ write: (_chunk, _encoding, done) => done() }),
    )
  } catch (error) {
    throw new ImportFileError(`${path} is a damaged gzip file (${reason(error)}): nothing was imported`)
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder'
  if (info.isFIFO()) return 'a named pipe'
  if (info.isSocket()) return 'a socket'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  return 'a special file'
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return 'there is no such file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'Z_BUF_ERROR') return 'it ends too early, as if cut short'
  if (code === 'Z_DATA_ERROR') return 'its compressed data is corrupt'
  return (error as Error)?.message ?? String(error)
}
