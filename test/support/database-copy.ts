/**
 * The runbook's backup and restore of a PostgreSQL database
 * (docs/operating.md), as its commands: `pg_dump -Fc` to a file, and
 * `pg_restore` of that file into a new, empty database. The read-replica
 * and backup tests make their copies with exactly these.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

/** Runs a PostgreSQL program, failing with what it wrote to stderr. */
async function program(command: string, args: readonly string[]): Promise<void> {
  try {
    await run(command, args)
  } catch (error) {
    const { stderr } = error as { stderr?: string }
    throw new Error(`${command} ${args.join(' ')} failed:\n${stderr ?? String(error)}`)
  }
}

/** `pg_dump -Fc --file=FILE URL`: the runbook's backup. */
export function backUp(databaseUrl: string, file: string): Promise<void> {
  return program('pg_dump', ['-Fc', `--file=${file}`, databaseUrl])
}

/** `pg_restore --no-owner --exit-on-error --single-transaction --dbname=URL FILE`: the runbook's restore. */
export function restore(file: string, databaseUrl: string): Promise<void> {
  return program('pg_restore', [
    '--no-owner',
    '--exit-on-error',
    '--single-transaction',
    `--dbname=${databaseUrl}`,
    file,
  ])
}

/** A new, empty database on the server of `serverUrl`, named after `label`; returns its URL. */
export async function createEmptyDatabase(serverUrl: string, label: string): Promise<string> {
  const name = `ipic_${label}_${process.pid}_${randomBytes(4).toString('hex')}`
  // template0: a restore expects nothing in the database, not even what template1 may hold.
  await asAdmin(serverUrl, (client) => client.query(`create database ${name} template template0`))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1)
  await asAdmin(databaseUrl, (client) => client.query(`drop database if exists ${name} with (force)`))
}

/** Backs `from` up to a file and restores it into `to`, which must be empty. */
export async function copyDatabase(from: string, to: string): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'ipic-backup-'))
  try {
    const file = join(directory, 'ipic.dump')
    await backUp(from, file)
    await restore(file, to)
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}

/** Runs `work` connected to the server's `postgres` database. */
async function asAdmin(serverUrl: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const url = new URL(serverUrl)
  url.pathname = '/postgres'
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    await work(client)
  } finally {
    await client.end()
  }
}
