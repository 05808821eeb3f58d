/**
 * Service instances and nginx as child processes on loopback, for the tests
 * of several instances behind the load balancer: each instance is
 * `ipic serve` as production runs it, and nginx runs the configuration
 * shipped in deploy/nginx, rendered by deploy/render-nginx.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { renderNginx } from '../../deploy/render-nginx.ts'

const CLI = resolve(import.meta.dirname, '../../src/cli.ts')
export const NGINX = '/usr/sbin/nginx'

export const nginxInstalled = (): boolean => existsSync(NGINX)

/** A port nothing listens on just now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (typeof address !== 'object' || !address) throw new Error('no port')
  return address.port
}

export interface Child {
  readonly process: ChildProcess
  /** Everything it wrote, stdout and stderr together. */
  output(): string
  /** SIGKILL, and wait for it to be gone. */
  kill(): Promise<void>
  /** SIGTERM, and wait for it to stop. */
  stop(): Promise<void>
}

function child(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Child {
  const started = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  started.stdout?.on('data', (chunk) => {
    output += chunk
  })
  started.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const end = async (signal: NodeJS.Signals) => {
    if (started.exitCode !== null || started.signalCode !== null) return
    const exited = once(started, 'exit')
    started.kill(signal)
    await exited
  }
  return { process: started, output: () => output, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') }
}

/** Waits until `url` answers 200, or fails saying what the child wrote. */
async function answering(url: string, what: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (what.process.exitCode !== null) throw new Error(`it stopped:\n${what.output()}`)
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    )
    if (status === 200) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${what.output()}`)
}

export interface Instance extends Child {
  readonly address: string
}

/**
 * `ipic serve` on a free loopback port (or on `env.PORT`, to start one again
 * where a killed one listened), on the database at `databaseUrl`; resolves
 * once it is ready.
 */
export async function startInstance(databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<Instance> {
  const port = env.PORT ? Number(env.PORT) : await freePort()
  const started = child(process.execPath, [CLI, 'serve'], {
    PATH: process.env.PATH,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    IPIC_DEMO: '0',
    LOG_LEVEL: 'warn',
    SESSION_SECRET: 'the-instances-share-this-session-secret',
    TRUST_PROXY: 'loopback',
    ...env,
  })
  const address = `127.0.0.1:${port}`
  await answering(`http://${address}/health/ready`, started)
  return { ...started, address }
}

export interface Balancer extends Child {
  readonly url: string
  readonly directory: string
  /** The access log's lines so far. */
  accessLog(): Promise<string[]>
}

/** nginx with the shipped configuration in front of `instances`, its files in `directory`. */
export async function startNginx(directory: string, instances: readonly string[]): Promise<Balancer> {
  const port = await freePort()
  const main = await renderNginx(directory, { listen: `127.0.0.1:${port}`, instances, logDir: directory })
  const started = child(
    NGINX,
    ['-p', directory, '-c', main, '-e', join(directory, 'error.log'), '-g', 'daemon off;'],
    {
      PATH: process.env.PATH,
    },
  )
  const url = `http://127.0.0.1:${port}`
  await answering(`${url}/health`, started)
  const { readFile } = await import('node:fs/promises')
  return {
    ...started,
    url,
    directory,
    accessLog: async () =>
      (await readFile(join(directory, 'access.log'), 'utf8')).split('\n').filter(Boolean),
  }
}
