/**
 * `npm run bench:audit [-- --rows 10000000 --person-rows 10000 --samples 40]`:
 * the audit pages' queries over a large trail, on PostgreSQL, beside a
 * reference doing the bare work.
 *
 * Generates `--rows` audit events set-based (not timed), one person holding
 * `--person-rows` of them, then times, `--samples` times each after a
 * warm-up, the queries the pages make through the same functions:
 *
 * - the person-centred page: who has seen the person (per user: first,
 *   last, sections, count) and the first page of their events, together as
 *   the route asks them;
 * - the filtered list: a user's first page, a kind over a month, and a
 *   page deep into the whole trail (by position);
 *
 * and as the reference, the bare index scan of that person's rows (every
 * row's user, time and details read, nothing grouped). Prints p50 and p95
 * of each; the target is the person page's p95 under 100 ms.
 *
 * Uses its own database, ipic_bench_audit, on the server named by
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), dropped
 * and recreated.
 */
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { findAuditEvents, viewersOfPerson } from '../src/audit/search.ts'
import type { IsoDate } from '../src/dates.ts'
import { openDatabase } from '../src/db/connect.ts'
import { prepareDatabase } from '../src/db/prepare.ts'
import { BENCH_PERSON, BENCH_USER, generateAuditRows } from './support/audit-rows.ts'
import { BENCH_SERVER_URL, recreateBenchDatabase } from './support/database.ts'
import { printTable, verdict } from './support/report.ts'
import { percentile } from './support/statistics.ts'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    'person-rows': { type: 'string', default: '10000' },
    samples: { type: 'string', default: '40' },
  },
})
const total = Number(values.rows)
const personRows = Number(values['person-rows'])
const samples = Number(values.samples)
const TARGET_P95_MS = 100

const url = await recreateBenchDatabase(BENCH_SERVER_URL, 'ipic_bench_audit')
const database = await openDatabase({ kind: 'postgres', url }, { poolSize: 4 })
const { db } = database
try {
  await prepareDatabase(db, new URL('../reference', import.meta.url).pathname)
  const started = performance.now()
  await generateAuditRows(db, { total, personRows })
  const held = await sql<{ n: number }>`
    select count(*)::int as n from audit_events where person_id = ${BENCH_PERSON}`.execute(db)
  console.log(
    `Generated ${total.toLocaleString('en-GB')} audit events in ${((performance.now() - started) / 1000).toFixed(0)} s; ${BENCH_PERSON} holds ${held.rows[0]?.n.toLocaleString('en-GB')}.`,
  )
  // Said so that no one looks for a stress figure of this bench (docs/decisions/0025-realistic-caseload.md).
  console.log('Caseload profile: none: the trail is generated directly, the same for realistic and stress.')

  const deepPosition = await sql<{ at: string; id: number }>`
    select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, id
    from audit_events where id = ${Math.floor(total / 2)}`.execute(db)
  const deep = deepPosition.rows[0]

  const cases: [string, () => Promise<unknown>][] = [
    [
      'person page (viewers + first page of events)',
      () =>
        Promise.all([
          viewersOfPerson(db, BENCH_PERSON),
          findAuditEvents(db, { personId: BENCH_PERSON }, { direction: 'older' }),
        ]),
    ],
    ['  viewers of the person alone', () => viewersOfPerson(db, BENCH_PERSON)],
    [
      'reference: bare index scan of the person’s rows',
      () => sql`select user_id, at, details from audit_events where person_id = ${BENCH_PERSON}`.execute(db),
    ],
    ['list: one user, first page', () => findAuditEvents(db, { userId: BENCH_USER })],
    [
      'list: one kind over a month',
      () =>
        findAuditEvents(db, { kind: 'sign-in', from: '2025-03-01' as IsoDate, to: '2025-03-31' as IsoDate }),
    ],
    [
      'list: everything, a page halfway down',
      () => findAuditEvents(db, {}, { direction: 'older', after: deep }),
    ],
  ]

  const rows: string[][] = []
  let personP95 = Number.POSITIVE_INFINITY
  for (const [name, run] of cases) {
    for (let warm = 0; warm < 3; warm += 1) await run()
    const times: number[] = []
    for (let i = 0; i < samples; i += 1) {
      const start = performance.now()
      await run()
      times.push(performance.now() - start)
    }
    times.sort((a, b) => a - b)
    const p95 = percentile(times, 95)
    if (name.startsWith('person page')) personP95 = p95
    rows.push([name, percentile(times, 50).toFixed(1), p95.toFixed(1)])
  }
  console.log(`\n${samples} samples each, milliseconds:`)
  printTable(['query', 'p50', 'p95'], rows)
  console.log(
    `\nPerson page p95 ${personP95.toFixed(1)} ms against a target of ${TARGET_P95_MS} ms: ${verdict(personP95 < TARGET_P95_MS)}`,
  )
} finally {
  await database.close()
}
