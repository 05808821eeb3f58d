/**
 * The runbook (docs/operating.md) against the code: it names every
 * environment variable the configuration reads and none that it does not,
 * the README leads to it, and its `ipic migrate` step does what it says on
 * a new database, on whichever engine the suite runs.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CONFIG_VARIABLES } from '../../src/config.ts'
import { openDatabase } from '../../src/db/connect.ts'
import { readiness } from '../../src/db/health.ts'
import { testDatabaseUrl } from '../support/database.ts'
import { createEmptyDatabase, dropDatabase } from '../support/database-copy.ts'
import { runIpic } from '../support/ipic-command.ts'

const ROOT = resolve(import.meta.dirname, '../..')

/** The names in backquotes at the start of each table row of the runbook's Configuration section. */
function variablesInTables(runbook: string): string[] {
  const section = /^## Configuration\n([\s\S]*?)^## /m.exec(runbook)?.[1] ?? ''
  return [...section.matchAll(/^\| (.+?) \|/gm)].flatMap((row) =>
    [...row[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((name) => name[1]!),
  )
}

describe('the runbook', () => {
  let runbook: string

  before(async () => {
    runbook = await readFile(join(ROOT, 'docs/operating.md'), 'utf8')
  })

  it('describes every environment variable the configuration reads, in a table', () => {
    assert.ok(CONFIG_VARIABLES.length > 40, 'the configuration lists its variables')
    const described = new Set(variablesInTables(runbook))
    const missing = CONFIG_VARIABLES.filter((name) => !described.has(name))
    assert.deepEqual(missing, [], 'every variable of src/config.ts has a row in docs/operating.md')
  })

  it('describes no variable the configuration does not read', () => {
    const known = new Set(CONFIG_VARIABLES)
    const unknown = variablesInTables(runbook).filter((name) => !known.has(name))
    assert.deepEqual(
      unknown,
      [],
      'a row for a variable that no longer exists misleads whoever runs the service',
    )
  })

  it('is linked from the README, whose configuration table has the read replica', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
    assert.match(readme, /\]\(docs\/operating\.md\)/)
    assert.match(readme, /^\| `DATABASE_REPLICA_URL` \|/m)
  })
})

describe('the runbook’s `ipic migrate`', { timeout: 120_000 }, () => {
  const postgres = testDatabaseUrl()
  let env: NodeJS.ProcessEnv
  let cleanUp: () => Promise<void>

  before(async () => {
    if (postgres) {
      const url = await createEmptyDatabase(postgres, 'migrate')
      env = { DATABASE_URL: url, IPIC_DEMO: '0' }
      cleanUp = () => dropDatabase(url)
    } else {
      const directory = await mkdtemp(join(tmpdir(), 'ipic-migrate-'))
      env = { DATABASE_URL: '', IPIC_DATA_DIR: directory, IPIC_DEMO: '0' }
      cleanUp = () => rm(directory, { recursive: true, force: true })
    }
  })

  after(async () => {
    await cleanUp?.()
  })

  it('brings a new database up to date, once, and then finds nothing to do', async () => {
    for (const run of ['first', 'again']) {
      const result = await runIpic(['migrate'], env)
      assert.equal(result.code, 0, `${run}: ${result.stderr}`)
      assert.match(result.stdout, /^Database is up to date\. Reference data: \d+ ROM regions/, run)
    }
    const database = await openDatabase(
      env.DATABASE_URL
        ? { kind: 'postgres', url: env.DATABASE_URL }
        : { kind: 'pglite', dataDir: env.IPIC_DATA_DIR ?? '' },
    )
    try {
      // What the readiness probe asks before a new release's instance gets traffic.
      assert.deepEqual(await readiness(database.db), { ready: true })
    } finally {
      await database.close()
    }
  })
})
