/**
 * CPU time of processes on this machine, read from /proc (Linux): a
 * benchmark reports it beside latency because it is steadier when other work
 * shares the cores.
 */
import { readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'

/**
 * User and system CPU time of a process so far, in milliseconds (Linux), and
 * with `children`, that of its children that have ended too.
 */
export async function cpuMillisecondsOf(pid: number, { children = false } = {}): Promise<number> {
  return cpuMillisecondsIn(await readFile(`/proc/${pid}/stat`, 'utf8'), children)
}

/** The same, read at once: for a process about to end, such as a server backend whose connection is closing. */
export function cpuMillisecondsNowOf(pid: number): number {
  return cpuMillisecondsIn(readFileSync(`/proc/${pid}/stat`, 'utf8'), false)
}

function cpuMillisecondsIn(stat: string, children: boolean): number {
  // Fields 14 to 17 (utime, stime, cutime, cstime) in clock ticks, counted after the command name in parentheses.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number)
  const ticks = (fields[11] ?? 0) + (fields[12] ?? 0) + (children ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0)
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times, on every platform Linux runs on today. */
const CLOCK_TICKS_PER_SECOND = 100

/**
 * CPU time of every PostgreSQL server process on this machine (backends, WAL
 * writer, autovacuum), those that have ended included: the postmaster counts
 * its ended children's time, so a connection closed mid-scenario still counts.
 */
export async function databaseCpuMilliseconds(): Promise<number> {
  let total = 0
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '')
    if (comm.trim() !== 'postgres') continue
    total += await cpuMillisecondsOf(Number(entry), { children: true }).catch(() => 0)
  }
  return total
}
