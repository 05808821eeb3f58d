/**
 * `npm run race [-- --clients 50 --tasks 200 --attempts 12 --seed 17]`: the
 * race of decisions, an import and a rule run through nginx and two
 * instances, at full size (the suite runs the same code small:
 * test/integration/race-decisions.test.ts). Needs DATABASE_URL naming a
 * PostgreSQL server, on which it creates a database of its own and drops it
 * afterwards, and nginx. Prints what happened; exits 1 if anything that must
 * hold did not.
 */
import { parseArgs } from 'node:util'
import { openTestDatabase, testDatabaseUrl } from '../test/support/database.ts'
import { runDecisionRace } from '../test/support/decision-race.ts'
import { nginxInstalled } from '../test/support/instances.ts'

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    tasks: { type: 'string', default: '200' },
    attempts: { type: 'string', default: '12' },
    seed: { type: 'string', default: '17' },
  },
})
const size = {
  clients: Number(values.clients),
  tasks: Number(values.tasks),
  attemptsPerClient: Number(values.attempts),
  seed: Number(values.seed),
}
for (const [name, value] of Object.entries(size)) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(
      `race: --${name === 'attemptsPerClient' ? 'attempts' : name} must be a whole number, 1 or more`,
    )
    process.exit(2)
  }
}
if (!testDatabaseUrl()) {
  console.error(
    'race: set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
  )
  process.exit(2)
}
if (!nginxInstalled()) {
  console.error('race: needs nginx at /usr/sbin/nginx (apt-get install nginx)')
  process.exit(2)
}

const say = (line: string) => console.log(`race: ${line}`)
say(
  `${size.clients} caseworkers, ${size.tasks} tasks, at least ${size.attemptsPerClient} decisions each, seed ${size.seed}`,
)
const database = await openTestDatabase()
let failed = true
try {
  const report = await runDecisionRace(database, size, say)
  const { attempts } = report
  say(`finished in ${report.seconds.toFixed(1)} s`)
  say(
    `attempts: ${attempts.decided} decided, ${attempts.refused} refused with "check the case again", ` +
      `${attempts['open-task-exists']} holds refused as another task was open, ` +
      `${attempts['not-offered']} forms not offered, ${attempts.unexpected} unexpected answers`,
  )
  say(
    `the log holds ${report.decisions} decisions (${report.changes} changing an earlier one); ` +
      `the rules withdrew ${report.withdrawn} tasks and recommended ${report.recommendedMeanwhile} meanwhile`,
  )
  for (const refusal of report.refusals) say(`refused while an import was running: ${refusal}`)
  for (const problem of report.problems) console.error(`race: PROBLEM: ${problem}`)
  failed = report.problems.length > 0
  say(failed ? `${report.problems.length} problems` : 'every check held')
} finally {
  await database.close()
}
process.exit(failed ? 1 : 0)
