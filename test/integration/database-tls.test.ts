/**
 * TLS to PostgreSQL as the runbook sets it (docs/operating.md): the
 * settings in the URL, `sslmode=verify-full&sslrootcert=…`, read by the
 * service and by pg_dump alike. A PostgreSQL server of the test's own is
 * given a certificate for `localhost` from a test authority and refuses
 * connections without TLS; the service must connect through TLS, and refuse
 * a server whose certificate comes from another authority or names another
 * host, rather than connect unverified.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { chmod, chown, copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import { openDatabase } from '../../src/db/connect.ts'
import { testDatabaseUrl } from '../support/database.ts'
import { backUp } from '../support/database-copy.ts'
import { runIpic } from '../support/ipic-command.ts'
import { type OwnPostgres, postgresInstalled, startOwnPostgres } from '../support/own-postgres.ts'

const run = promisify(execFile)

const skip = !testDatabaseUrl()
  ? 'runs in the PostgreSQL pass of the suite (DATABASE_URL)'
  : !postgresInstalled()
    ? 'needs PostgreSQL 15’s programs in /usr/lib/postgresql/15/bin'
    : false

/** A certificate authority, and a server certificate it signed for `localhost` only. */
async function makeCertificates(directory: string): Promise<void> {
  const openssl = (...args: string[]) => run('openssl', args, { cwd: directory })
  for (const authority of ['ca', 'other-ca']) {
    await openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      `${authority}.key`,
      '-out',
      `${authority}.pem`,
      '-subj',
      `/CN=IPIC test ${authority}`,
    )
  }
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=localhost',
  )
  await writeFile(join(directory, 'server.ext'), 'subjectAltName=DNS:localhost\n')
  await openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'server.ext',
    '-out',
    'server.crt',
  )
}

describe('TLS to PostgreSQL through the URL', { skip, timeout: 120_000 }, () => {
  let server: OwnPostgres
  let directory: string

  /** The runbook's form of URL, to the test server's `ipic` database. */
  const urlOf = (host: string, authority: string) =>
    `postgres://postgres@${host}:${server.port}/ipic?sslmode=verify-full&sslrootcert=${join(directory, authority)}`

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ipic-tls-'))
    await makeCertificates(directory)
    server = await startOwnPostgres()
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${server.port}/postgres` })
    await admin.connect()
    try {
      const setting = async (name: string) => (await admin.query(`show ${name}`)).rows[0][name] as string
      const dataDirectory = await setting('data_directory')
      // The server reads its key only if it owns it and nobody else may read it.
      const owner = await stat(dataDirectory)
      for (const file of ['server.crt', 'server.key']) {
        await copyFile(join(directory, file), join(dataDirectory, file))
        await chown(join(dataDirectory, file), owner.uid, owner.gid)
        await chmod(join(dataDirectory, file), 0o600)
      }
      await writeFile(
        await setting('hba_file'),
        [
          'local all all trust',
          'hostssl all all 127.0.0.1/32 trust',
          'hostnossl all all 127.0.0.1/32 reject',
          '',
        ].join('\n'),
      )
      await admin.query(`alter system set ssl_cert_file = 'server.crt'`)
      await admin.query(`alter system set ssl_key_file = 'server.key'`)
      await admin.query(`alter system set ssl = on`)
      await admin.query('select pg_reload_conf()')
    } finally {
      await admin.end()
    }
  })

  after(async () => {
    await server?.remove()
    await rm(directory, { recursive: true, force: true })
  })

  it('refuses connections without TLS from now on', async () => {
    const plain = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${server.port}/ipic` })
    await assert.rejects(plain.connect(), /no encryption/)
  })

  it('migrates and serves through TLS with sslmode=verify-full and sslrootcert', async () => {
    const url = urlOf('localhost', 'ca.pem')
    const migrated = await runIpic(['migrate'], { DATABASE_URL: url, IPIC_DEMO: '0' })
    assert.equal(migrated.code, 0, `${migrated.stderr}\n${server.log()}`)
    assert.match(migrated.stdout, /^Database is up to date/)
    const database = await openDatabase({ kind: 'postgres', url })
    try {
      const { rows } = await sql<{ ssl: boolean; version: string }>`
        select ssl, version from pg_stat_ssl where pid = pg_backend_pid()`.execute(database.db)
      assert.equal(rows[0]?.ssl, true)
      assert.match(rows[0]?.version ?? '', /^TLSv1\.[23]$/)
    } finally {
      await database.close()
    }
  })

  it('backs up through TLS with pg_dump, reading the same URL', async () => {
    const dump = join(directory, 'ipic.dump')
    await backUp(urlOf('localhost', 'ca.pem'), dump)
    assert.ok((await stat(dump)).size > 0)
  })

  it('refuses a server whose certificate another authority signed', async () => {
    const result = await runIpic(['migrate'], {
      DATABASE_URL: urlOf('localhost', 'other-ca.pem'),
      IPIC_DEMO: '0',
    })
    assert.notEqual(result.code, 0)
    assert.match(result.stderr, /Could not migrate the database \(no migration was applied\): .*certificate/)
  })

  it('refuses a certificate that does not name the host in the URL', async () => {
    const result = await runIpic(['migrate'], { DATABASE_URL: urlOf('127.0.0.1', 'ca.pem'), IPIC_DEMO: '0' })
    assert.notEqual(result.code, 0)
    assert.match(result.stderr, /Could not migrate the database .*does not match certificate/)
  })
})
