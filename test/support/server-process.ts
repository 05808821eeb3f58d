/**
 * The service as production runs it: `ipic serve` in a process of its own,
 * on a test database, listening on a spare port. For tests that must see
 * whether the process survives (an error nobody handled ends it, where an
 * in-process server would only fail the test), and a small HTTP client with
 * a cookie jar that signs in through the real form.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { paths } from '../../src/web/paths.ts'
import { csrfTokenIn, TEST_PASSWORD } from './web.ts'

const CLI = resolve(import.meta.dirname, '../../src/cli.ts')

export interface ServerProcess {
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string
  /** Whether the process is still running. */
  alive(): boolean
  /** Everything it wrote (its JSON log lines and messages), for failure messages. */
  output(): string
  stop(): Promise<void>
}

/** Starts `ipic serve` on the PostgreSQL database at `databaseUrl`, with these settings on top. */
export async function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [CLI, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      IPIC_DEMO: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = once(child, 'exit')
  const port = await new Promise<string>((done, fail) => {
    const onData = () => {
      const found = /running at http:\/\/localhost:(\d+)/.exec(output)
      if (found?.[1]) {
        child.stdout.off('data', onData)
        done(found[1])
      }
    }
    child.stdout.on('data', onData)
    void exited.then(() => fail(new Error(`ipic serve exited before it listened:\n${output}`)))
  })
  return {
    origin: `http://127.0.0.1:${port}`,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** A visitor over real HTTP, keeping its cookies between requests as a browser does. */
export class HttpClient {
  readonly #origin: string
  readonly #cookies = new Map<string, string>()

  constructor(origin: string) {
    this.#origin = origin
  }

  async get(path: string, signal?: AbortSignal): Promise<Response> {
    return this.#remember(
      await fetch(`${this.#origin}${path}`, {
        headers: this.#headers(),
        redirect: 'manual',
        signal: signal ?? null,
      }),
    )
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.#remember(
      await fetch(`${this.#origin}${path}`, {
        method: 'POST',
        headers: { ...this.#headers(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      }),
    )
  }

  async signIn(userId: string, password = TEST_PASSWORD): Promise<void> {
    const form = await this.get(paths.signIn())
    const response = await this.post(paths.signIn(), {
      _csrf: csrfTokenIn(await form.text()),
      userId,
      password,
    })
    await response.body?.cancel()
    if (response.status !== 303) throw new Error(`${userId} did not sign in (${response.status})`)
  }

  #headers(): Record<string, string> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    return cookie ? { cookie } : {}
  }

  #remember(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      const name = pair.slice(0, at).trim()
      const value = pair.slice(at + 1).trim()
      if (value === '' || /;\s*max-age=0/i.test(line)) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
    return response
  }
}
