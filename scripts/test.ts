/**
 * `npm test`: unit and integration suites; `npm run test:e2e`: browser tests.
 *
 * Prepares one migrated template database for the run (a PGlite dump, or a
 * template database on the PostgreSQL server named by DATABASE_URL), then
 * runs Node's test runner over the suite's files, two at a time.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { openDatabase } from '../src/db/connect.ts'
import { prepareDatabase } from '../src/db/prepare.ts'

const root = resolve(import.meta.dirname, '..')
// `node scripts/test.ts [--e2e] [file …] [node --test flags …]`
const args = process.argv.slice(2)
const e2e = args.includes('--e2e')
const extraArgs = args.filter((arg) => arg !== '--e2e')
const patterns = e2e ? ['test/e2e/**/*.test.ts'] : ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts']

const url = process.env.DATABASE_URL || undefined
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
}
const scratch = await mkdtemp(join(tmpdir(), 'ipic-test-'))
const templateName = `ipic_test_template_${process.pid}`
const countsFile = join(scratch, 'counts.json')

async function prepareTemplate(): Promise<void> {
  const referenceDir = join(root, 'reference')
  if (url) {
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`drop database if exists ${templateName}`)
    await admin.query(`create database ${templateName}`)
    await admin.end()
    const target = new URL(url)
    target.pathname = `/${templateName}`
    const database = await openDatabase({ kind: 'postgres', url: target.toString() })
    await prepareDatabase(database.db, referenceDir)
    await database.close()
    env.IPIC_TEST_PG_TEMPLATE = templateName
  } else {
    const database = await openDatabase({ kind: 'pglite', dataDir: '' }, { inMemory: true })
    await prepareDatabase(database.db, referenceDir)
    const dump = await database.pglite!.dumpDataDir('gzip')
    await database.close()
    const path = join(scratch, 'template.tar.gz')
    await writeFile(path, Buffer.from(await dump.arrayBuffer()))
    env.IPIC_TEST_PGLITE_TEMPLATE = path
  }
}

async function dropTemplate(): Promise<void> {
  if (!url) return
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`drop database if exists ${templateName} with (force)`)
  await admin.end()
}

function runTests(): Promise<number> {
  const args = [
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts', 'test-counts-reporter.ts')}`,
    `--test-reporter-destination=${countsFile}`,
    ...(process.env.TEST_ONLY ? ['--test-only'] : []),
    ...extraArgs,
    ...(extraArgs.some((arg) => !arg.startsWith('-')) ? [] : patterns),
  ]
  return new Promise((resolveExit) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' })
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)))
  })
}

/** The run's closing line, as the counts reporter wrote it. */
async function countsLine(): Promise<string> {
  try {
    return (await readFile(countsFile, 'utf8')).trim()
  } catch {
    return 'no test counts: the test runner ended before reporting them'
  }
}

let exitCode = 1
try {
  process.stdout.write(`Test database: ${url ? 'PostgreSQL' : 'PGlite (embedded)'}\n`)
  await prepareTemplate()
  exitCode = await runTests()
  process.stdout.write(`\n${await countsLine()}\n`)
} finally {
  await dropTemplate().catch(() => {})
  await rm(scratch, { recursive: true, force: true })
}
process.exit(exitCode)
