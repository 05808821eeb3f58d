/**
 * Where one page's time goes: the case pages and the web benchmark's floor,
 * one request at a time, with a timing hook in the server. For each request
 * it marks the process's CPU time (process.cpuUsage) when the request
 * arrives, when each statement is sent and answered, around the render and
 * when the response has gone; with one request at a time, the CPU between
 * two marks is that request's. Each statement's database CPU is its
 * backend's run time over the statement (/proc/<pid>/schedstat, Linux).
 * Prints, per page, the statements and their database CPU, and the server
 * CPU between marks, largest first.
 *
 * The server runs in this process (the hook needs it); the client, in a
 * process of its own, sends the requests one after another.
 *
 *   node bench/web-phases.ts [--persons 20000] [--requests 400] [--reuse]
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { parseArgs } from 'node:util'
import nunjucks from 'nunjucks'
import pg from 'pg'
import { PreparingClient } from '../src/db/prepared-client.ts'
import { paths } from '../src/web/paths.ts'
import { serveForBench } from './support/bench-server.ts'
import { floorPath } from './support/floor-page.ts'
import { BENCH_PASSWORD, BENCH_REGION, caseloadDatabase, whole } from './support/web-fixture.ts'
import { PROXY, signIn } from './support/web-session.ts'

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '20000' },
    requests: { type: 'string', default: '400' },
    reuse: { type: 'boolean', default: false },
    /** The client's own process: the port and cookie, then the paths on stdin. */
    client: { type: 'string' },
    cookie: { type: 'string' },
  },
})

/** The client: each path on stdin in turn, on one kept-alive connection. */
async function runClient(port: number, cookie: string): Promise<void> {
  let input = ''
  for await (const chunk of process.stdin) input += chunk
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  for (const path of input.split('\n')) {
    await new Promise<void>((done, fail) => {
      const sent = request({ host: '127.0.0.1', port, path, agent, headers: { ...PROXY, cookie } }, (res) => {
        if (res.statusCode !== 200) fail(new Error(`${path} answered ${res.statusCode}`))
        res.resume()
        res.on('end', () => done())
      })
      sent.on('error', fail)
      sent.end()
    })
  }
  agent.destroy()
}

interface Mark {
  readonly name: string
  readonly cpuMicroseconds: number
}

/** The marks of the request under way; undefined between requests, so that nothing else is marked. */
let marks: Mark[] | undefined
const mark = (name: string) => {
  if (!marks) return
  const used = process.cpuUsage()
  marks.push({ name, cpuMicroseconds: used.user + used.system })
}
const statementCpu = new Map<string, { count: number; nanoseconds: number }>()
const runNanoseconds = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0])

/** A statement's name in the figures: which of a page's it is. */
function statementName(text: string): string {
  const known: [RegExp, string][] = [
    [/^select "s"\."data"/, 'session and account'],
    [/^with "task"/, 'task, opening, audit, holder'],
    [/^select "t"\."id", "t"\."person_id"/, 'task'],
    [/^with "opening"/, 'opening, audit, holder'],
    [/^select "p"\.\*/, "person's record"],
    [/^select case r\.rule/, 'explanation (proof)'],
    [/^insert into "audit_events"/, 'audit insert'],
    [/^select "id", "person_id" from "tasks"/, 'task (floor)'],
    [/^insert into "sessions"/, 'session save'],
  ]
  return known.find(([pattern]) => pattern.test(text))?.[1] ?? text.replace(/\s+/g, ' ').slice(0, 50)
}

/** Marks each statement sent and answered, and counts its backend's CPU. */
function hookStatements(): void {
  const query = PreparingClient.prototype.query
  PreparingClient.prototype.query = function (this: PreparingClient, config: unknown, ...rest: unknown[]) {
    if (!marks) return (query as (...a: unknown[]) => unknown).call(this, config, ...rest)
    const name = statementName(typeof config === 'string' ? config : (config as { text: string }).text)
    const pid = (this as unknown as { processID: number }).processID
    const before = runNanoseconds(pid)
    mark(`send ${name}`)
    const answer = (query as (...a: unknown[]) => Promise<unknown>).call(this, config, ...rest)
    void answer.then(
      () => {
        mark(`answer ${name}`)
        const counted = statementCpu.get(name) ?? { count: 0, nanoseconds: 0 }
        counted.count++
        counted.nanoseconds += runNanoseconds(pid) - before
        statementCpu.set(name, counted)
      },
      () => {},
    )
    return answer
  } as typeof query
  const render = nunjucks.Environment.prototype.render
  nunjucks.Environment.prototype.render = function (this: nunjucks.Environment, ...args: unknown[]) {
    const done = args[2]
    if (typeof done === 'function' && marks) {
      mark('render')
      args[2] = (error: unknown, html: unknown) => {
        mark('rendered')
        done(error, html)
      }
    }
    return (render as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof render
}

async function runServer(): Promise<void> {
  const url = await caseloadDatabase({
    name: 'ipic_bench_web_phases',
    persons: whole('persons', values.persons),
    users: 1,
    profile: 'realistic',
    reuse: values.reuse,
  })
  const count = whole('requests', values.requests)
  hookStatements()
  const { app, database, port } = await serveForBench(url)
  let finished: Mark[][] = []
  app.server.prependListener('request', (_request, response) => {
    marks = []
    mark('arrived')
    const mine = marks
    response.on('finish', () => {
      mark('sent')
      finished.push(mine)
      marks = undefined
    })
  })
  const session = await signIn(`http://127.0.0.1:${port}`, 'bench-1', BENCH_PASSWORD)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const tasks = (
    await client.query(`select id from tasks where rom_region = $1 and status = 'RECOMMENDED' order by id`, [
      BENCH_REGION,
    ])
  ).rows.map((row) => Number(row.id))
  await client.end()
  process.stdout.write(`One request at a time, ${count} of each page, after as many to warm up\n`)
  const pages = {
    'Floor: audited page, same stack': floorPath,
    'Reference: case page, no explanation': (id: number) => paths.taskSection(id, 'documentation'),
    'Why recommended': (id: number) => paths.taskSection(id, 'why-recommended'),
  }
  for (const [page, pathOf] of Object.entries(pages)) {
    const requested = tasks.slice(0, count).map(pathOf)
    for (const round of ['warm-up', 'measured']) {
      finished = []
      statementCpu.clear()
      await sendFromClient(port, session.cookie, requested)
      if (round === 'measured') printPhases(page, finished)
    }
  }
  await app.close()
  await database.close()
}

function sendFromClient(port: number, cookie: string, requested: readonly string[]): Promise<void> {
  const child = spawn(
    process.execPath,
    [import.meta.filename, '--client', String(port), '--cookie', cookie],
    { stdio: ['pipe', 'inherit', 'inherit'] },
  )
  child.stdin.end(requested.join('\n'))
  return new Promise((done, fail) =>
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`the client exited with ${code}`)))),
  )
}

function printPhases(page: string, requests: readonly Mark[][]): void {
  const between = new Map<string, number>()
  let total = 0
  for (const marked of requests) {
    for (let i = 1; i < marked.length; i++) {
      const [from, to] = [marked[i - 1] as Mark, marked[i] as Mark]
      const key = `${from.name} → ${to.name}`
      between.set(key, (between.get(key) ?? 0) + to.cpuMicroseconds - from.cpuMicroseconds)
    }
    total += (marked.at(-1)?.cpuMicroseconds ?? 0) - (marked[0]?.cpuMicroseconds ?? 0)
  }
  const n = requests.length
  const ms = (microseconds: number) => (microseconds / n / 1000).toFixed(3)
  let database = 0
  const statements = [...statementCpu].map(([name, { count, nanoseconds }]) => {
    database += nanoseconds
    return `  ${(count / n).toFixed(2)} × ${name}: ${(nanoseconds / count / 1e6).toFixed(3)} ms`
  })
  process.stdout.write(
    `\n${page}: server CPU ${ms(total)} ms a request (arrived → sent), database backends ${(database / n / 1e6).toFixed(3)} ms\n` +
      `Statements a request, and each one's backend CPU:\n${statements.join('\n')}\n` +
      'Server CPU between marks, a request (at least 0.05 ms):\n',
  )
  for (const [key, microseconds] of [...between].sort((a, b) => b[1] - a[1])) {
    if (microseconds / n >= 50) process.stdout.write(`  ${ms(microseconds)} ms  ${key}\n`)
  }
}

if (values.client) await runClient(Number(values.client), values.cookie ?? '')
else await runServer()
