/**
 * Reads a YAML file that people edit by hand (a rule file, reference data),
 * refusing anything that is not a small regular file of UTF-8 text. A name
 * ending in .yaml may belong to a directory, a device such as /dev/zero
 * (endless) or a named pipe (which waits for a writer forever); reading those
 * would fail in a confusing way or never finish.
 */
import { constants, type Stats } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'

/** No rule or reference file comes near this; the largest is about 20 KB. */
export const YAML_FILE_MAX_BYTES = 1024 * 1024

export type ReadYamlFileResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string }

export async function readYamlFile(path: string): Promise<ReadYamlFileResult> {
  let handle: FileHandle
  try {
    // Non-blocking, so that opening a named pipe returns at once instead of waiting for a writer.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    return { ok: false, message: cannotRead(error) }
  }
  try {
    // The opened file's own details (symbolic links followed), not a name that may change meanwhile.
    const stats = await handle.stat()
    if (!stats.isFile()) {
      return { ok: false, message: `is ${kindOf(stats)}, not a regular file: only regular files are read` }
    }
    if (stats.size > YAML_FILE_MAX_BYTES) return { ok: false, message: tooLarge() }
    const bytes = await readAtMost(handle, YAML_FILE_MAX_BYTES + 1)
    // The file may have grown since it was measured.
    if (bytes.length > YAML_FILE_MAX_BYTES) return { ok: false, message: tooLarge() }
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
    } catch {
      return { ok: false, message: 'is not UTF-8 text: save it as UTF-8' }
    }
  } catch (error) {
    return { ok: false, message: cannotRead(error) }
  } finally {
    await handle.close()
  }
}

async function readAtMost(handle: FileHandle, limit: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(limit)
  let length = 0
  while (length < limit) {
    const { bytesRead } = await handle.read(buffer, length, limit - length, length)
    if (bytesRead === 0) break
    length += bytesRead
  }
  return buffer.subarray(0, length)
}

function tooLarge(): string {
  return `is larger than ${YAML_FILE_MAX_BYTES / 1024 / 1024} MB: no rule or reference file needs to be that big`
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a named pipe'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (stats.isSocket()) return 'a socket'
  return 'not an ordinary file'
}

function cannotRead(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'cannot be read: it does not exist (a symbolic link to nothing?)'
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied'
    case 'ELOOP':
      return 'cannot be read: its symbolic links lead round in a circle'
    case 'EISDIR':
      return 'is a directory, not a regular file: only regular files are read'
    default:
      return `cannot be read: ${(error as Error).message}`
  }
}
