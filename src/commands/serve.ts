/**
 * `ipic serve` (and `npm start`): open the database, seed the demo in demo
 * mode, work the background job queue, and serve the web interface until
 * told to stop.
 */
import { DEMO_PASSWORD, type DemoUser } from '../access/demo-users.ts'
import { ROLE_CODES, ROLES } from '../access/roles.ts'
import type { JobQueue } from '../jobs/queue.ts'
import { openRuntime } from '../runtime.ts'
import { buildServices } from '../services.ts'
import { buildApp } from '../web/app.ts'
import { seedDemo } from './demo-seed.ts'
import { startJobWork } from './job-work.ts'
import { ruleSetInForce } from './rules-run.ts'

export async function serve(): Promise<void> {
  const runtime = await openRuntime()
  const { config, logger } = runtime
  let app: Awaited<ReturnType<typeof buildApp>> | undefined
  let jobs: JobQueue | undefined
  try {
    const services = await buildServices(runtime)
    // An invalid rule set stops the service here, before it serves anything, naming every problem.
    const ruleSet = ruleSetInForce(services.rules, config.rulesDir)
    if (config.demo) process.stdout.write(demoBanner(await seedDemo(runtime, ruleSet)))
    app = await buildApp({ ...runtime, services })
    // Every instance works the job queue: a job goes to one of them, and another retries it if that one dies.
    jobs = await startJobWork(runtime, { ruleSet: () => ruleSetInForce(services.rules, config.rulesDir) })
    await app.listen({ host: config.host, port: config.port })
  } catch (error) {
    await app?.close()
    await jobs?.close()
    await runtime.close()
    throw error
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  process.stdout.write(`\nIdentify and prioritise immigration cases is running at http://localhost:${port}\n`)
  stopOnSignal(async () => {
    logger.info('shutting down')
    await app.close()
    // Waits for a job under way to finish; one that outlasts the wait is retried by another instance.
    await jobs?.close()
    await runtime.close()
  })
}

/** What someone trying the demo needs in order to sign in. Demo mode only: these are shared, published credentials. */
export function demoBanner(users: readonly DemoUser[]): string {
  const width = Math.max(...users.map((user) => user.id.length))
  const lines = users.map((user) => {
    const where = user.region === 'all' ? 'all regions' : user.region.name
    const roles =
      user.roles.length === ROLE_CODES.length
        ? 'Every role'
        : user.roles.map((role) => ROLES[role]).join(', ')
    return `  ${user.id.padEnd(width)}  ${roles}, ${where}`
  })
  return [
    '',
    'Demo mode: synthetic data only. Sign in as any of these users',
    `with the password ${DEMO_PASSWORD}`,
    '',
    ...lines,
    '',
  ].join('\n')
}

/** Stops cleanly on Ctrl+C or a SIGTERM from the platform; a second signal stops at once. */
function stopOnSignal(stop: () => Promise<void>): void {
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1)
    stopping = true
    process.stdout.write(`\n${signal}: stopping\n`)
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`ipic: could not stop cleanly: ${(error as Error)?.stack ?? String(error)}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}
