/**
 * `npm run kill [-- --trials 20 --persons 12000 --seed 5 --only import|rules|instance]`:
 * the real `ipic import` and `ipic rules run`, and one of two service
 * instances behind nginx, killed with SIGKILL at random points, many times
 * (the suite runs the same code three times: test/integration/kill-*.test.ts). Needs DATABASE_URL naming a PostgreSQL
 * server, on which it creates a database of its own and drops it
 * afterwards. Prints each trial; exits 1 if any left something wrong.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../test/support/database.ts'
import { instanceKillTrials } from '../test/support/instance-kill-trials.ts'
import { runIpic } from '../test/support/ipic-command.ts'
import {
  importKillTrials,
  type KillOptions,
  ruleRunKillTrials,
  type TrialReport,
} from '../test/support/kill-trials.ts'

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '20' },
    persons: { type: 'string', default: '12000' },
    seed: { type: 'string', default: '5' },
    only: { type: 'string' },
  },
})
const trials = Number(values.trials)
const persons = Number(values.persons)
const seed = Number(values.seed)
for (const [name, value] of Object.entries({ trials, persons, seed })) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`kill: --${name} must be a whole number, 1 or more`)
    process.exit(2)
  }
}
const KINDS = ['import', 'rules', 'instance'] as const
if (values.only !== undefined && !(KINDS as readonly string[]).includes(values.only)) {
  console.error('kill: --only must be import, rules or instance')
  process.exit(2)
}
if (!testDatabaseUrl()) {
  console.error(
    'kill: set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
  )
  process.exit(2)
}

const folder = await mkdtemp(join(tmpdir(), 'ipic-kill-'))
const file = join(folder, 'extract.ndjson')
const generated = await runIpic(
  // The stress caseload: nearly a task per person, so a rule run has the most writes for a kill to cut.
  ['generate', '--persons', String(persons), '--seed', String(seed), '--profile', 'stress', '--out', file],
  {
    IPIC_TODAY: '2026-03-02',
  },
)
if (generated.code !== 0) {
  console.error(generated.stderr)
  process.exit(1)
}
const database = await openTestDatabase()
const failed: TrialReport[] = []
try {
  for (const [name, run] of [
    ['import', importKillTrials],
    ['rules', ruleRunKillTrials],
    ['instance', (db: TestDatabase, options: KillOptions) => instanceKillTrials(db, options)],
  ] as const) {
    if (values.only && values.only !== name) continue
    const say = (line: string) => console.log(`kill ${name}: ${line}`)
    const reports = await run(database, { trials, seed, file, say })
    for (const report of reports) {
      for (const problem of report.problems)
        console.error(`kill ${name}: trial ${report.trial}: PROBLEM: ${problem}`)
      if (report.problems.length > 0) failed.push(report)
    }
  }
} finally {
  await database.close()
  await rm(folder, { recursive: true, force: true })
}
console.log(
  failed.length === 0
    ? 'kill: every trial left the database consistent'
    : `kill: ${failed.length} trials went wrong`,
)
process.exit(failed.length === 0 ? 0 : 1)
