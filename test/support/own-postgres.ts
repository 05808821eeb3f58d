/**
 * A PostgreSQL server of the test's own: initdb into a temporary directory,
 * `postgres` on a free loopback port, so a test can stop it, start it again
 * or hang it without touching the server every other test shares.
 *
 * PostgreSQL refuses to run as root: when the tests run as root, the server
 * runs as the `postgres` operating-system user (the Debian package's), and
 * its directory is handed to that user.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './instances.ts'

const BIN = '/usr/lib/postgresql/15/bin'

export const postgresInstalled = (): boolean => existsSync(join(BIN, 'initdb'))

export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:PORT/ipic: the database the service is given. */
  readonly url: string
  readonly port: number
  /** Whether the server is running now. */
  running(): boolean
  /** Starts the server on its port again after `stop`; resolves once it accepts connections. */
  start(): Promise<void>
  /** Stops it as a fast shutdown does (SIGINT): every session ended, new ones refused. */
  stop(): Promise<void>
  /** Stops it and deletes its directory. */
  remove(): Promise<void>
  /** What the server wrote, for failure messages. */
  log(): string
}

/** The operating-system user to run the server as: ourselves, unless we are root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim())
  return { uid: id('-u'), gid: id('-g') }
}

/** A new cluster with one empty database, `ipic`, running. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const directory = await mkdtemp(join(tmpdir(), 'ipic-own-pg-'))
  const data = join(directory, 'data')
  const user = serverUser()
  if (user) await chown(directory, user.uid, user.gid)
  const as = user ? { uid: user.uid, gid: user.gid } : {}
  execFileSync(
    join(BIN, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { ...as, stdio: 'pipe', cwd: directory },
  )
  const port = await freePort()
  let server: ChildProcess | undefined
  let output = ''

  async function start(): Promise<void> {
    const started = spawn(
      join(BIN, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        directory,
        '-c',
        'listen_addresses=127.0.0.1',
        // A test server: its data need not survive a crash of the machine.
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { ...as, cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    started.stdout?.on('data', (chunk) => (output += chunk))
    started.stderr?.on('data', (chunk) => (output += chunk))
    server = started
    await accepting(`postgres://postgres@127.0.0.1:${port}/postgres`, started, () => output)
  }

  async function stop(): Promise<void> {
    const running = server
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = once(running, 'exit')
    running.kill('SIGINT')
    await exited
  }

  await start()
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` })
  await admin.connect()
  await admin.query('create database ipic')
  await admin.end()

  return {
    url: `postgres://postgres@127.0.0.1:${port}/ipic`,
    port,
    running: () => server !== undefined && server.exitCode === null && server.signalCode === null,
    start,
    stop,
    remove: async () => {
      await stop()
      await rm(directory, { recursive: true, force: true })
    },
    log: () => output,
  }
}

/** Resolves once the server at `url` takes a connection; fails if it exits first. */
async function accepting(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited:\n${log()}`)
    const client = new pg.Client({ connectionString: url })
    client.on('error', () => {})
    const connected = await client.connect().then(
      () => true,
      () => false,
    )
    await client.end().catch(() => {})
    if (connected) return
    if (Date.now() > deadline) throw new Error(`postgres did not start within 30 s:\n${log()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
