/**
 * An exclusive lock on the embedded database's data directory.
 *
 * Two processes opening the same PGlite directory get no error, and one of
 * them silently loses its writes. So the first process writes its PID into a
 * lock file; a second one refuses to start while that process is alive, and
 * takes over a lock left behind by a process that has died.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

export class DirectoryInUseError extends Error {}

export interface DirectoryLock {
  release(): void
}

const LOCK_FILE = 'ipic.lock'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function holderOf(path: string): { pid: number; host: string } | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; host?: unknown }
    return typeof holder.pid === 'number' && typeof holder.host === 'string'
      ? { pid: holder.pid, host: holder.host }
      : undefined
  } catch {
    return undefined
  }
}

export function lockDirectory(directory: string): DirectoryLock {
  mkdirSync(directory, { recursive: true })
  const path = join(directory, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }))
      closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        if (holderOf(path)?.pid === process.pid) rmSync(path, { force: true })
      }
      process.once('exit', release)
      return { release }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = holderOf(path)
      if (holder && (holder.host !== hostname() || isAlive(holder.pid))) {
        throw new DirectoryInUseError(
          `The database directory ${directory} is in use by process ${holder.pid} on ${holder.host}. ` +
            'Stop that process first, or set IPIC_DATA_DIR to another directory.',
        )
      }
      rmSync(path, { force: true }) // left behind by a process that has died
    }
  }
  throw new DirectoryInUseError(`Could not lock the database directory ${directory}`)
}
