/**
 * A hot standby of a test's own PostgreSQL server (own-postgres.ts): what a
 * production read replica is. `pg_basebackup -R` copies the primary's data
 * directory and writes the settings that make the copy stream the
 * primary's changes; `postgres` then runs it on another port, read-only.
 * initdb's default pg_hba.conf already lets 127.0.0.1 replicate.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chown, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './instances.ts'
import type { OwnPostgres } from './own-postgres.ts'

const BIN = '/usr/lib/postgresql/15/bin'

export interface Standby {
  /** postgres://postgres@127.0.0.1:PORT/ipic on the standby. */
  readonly url: string
  /** Resolves once the standby has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>
  /** Stops it and deletes its directory. */
  remove(): Promise<void>
  log(): string
}

export async function startStandby(primary: OwnPostgres): Promise<Standby> {
  const primaryAdmin = `postgres://postgres@127.0.0.1:${primary.port}/postgres`
  // The standby runs as whoever runs the primary (the `postgres` user when the tests run as root).
  const dataDirectory = await asClient(primaryAdmin, async (client) => {
    const { rows } = await client.query<{ data_directory: string }>('show data_directory')
    return rows[0]?.data_directory ?? ''
  })
  const owner = await stat(dataDirectory)
  const as = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {}
  const directory = await mkdtemp(join(tmpdir(), 'ipic-standby-'))
  await chown(directory, owner.uid, owner.gid)
  const data = join(directory, 'data')
  execFileSync(
    join(BIN, 'pg_basebackup'),
    // A fast checkpoint: a spread one would keep the copy waiting for minutes.
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      data,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ],
    { ...as, stdio: 'pipe', cwd: directory },
  )
  const port = await freePort()
  let output = ''
  const server: ChildProcess = spawn(
    join(BIN, 'postgres'),
    ['-D', data, '-p', String(port), '-k', directory, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    { ...as, cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  server.stdout?.on('data', (chunk) => (output += chunk))
  server.stderr?.on('data', (chunk) => (output += chunk))
  const url = `postgres://postgres@127.0.0.1:${port}/ipic`
  await accepting(url, server, () => output)

  return {
    url,
    caughtUp: async () => {
      const target = await asClient(primaryAdmin, async (client) => {
        // Where the primary has written up to, flushed or not: its commits are asynchronous (own-postgres.ts).
        const { rows } = await client.query<{ lsn: string }>(
          'select pg_current_wal_insert_lsn()::text as lsn',
        )
        return rows[0]?.lsn ?? ''
      })
      const deadline = Date.now() + 30_000
      for (;;) {
        const replayed = await asClient(url, async (client) => {
          const { rows } = await client.query<{ done: boolean }>(
            'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done',
            [target],
          )
          return rows[0]?.done === true
        })
        if (replayed) return
        if (Date.now() > deadline) throw new Error(`the standby did not catch up within 30 s:\n${output}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    remove: async () => {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = once(server, 'exit')
        server.kill('SIGINT')
        await exited
      }
      await rm(directory, { recursive: true, force: true })
    },
    log: () => output,
  }
}

async function asClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Resolves once the standby takes a connection to the `ipic` database; fails if it exits first. */
async function accepting(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the standby exited:\n${log()}`)
    const client = new pg.Client({ connectionString: url })
    client.on('error', () => {})
    const connected = await client.connect().then(
      () => true,
      () => false,
    )
    await client.end().catch(() => {})
    if (connected) return
    if (Date.now() > deadline) throw new Error(`the standby did not start within 30 s:\n${log()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
