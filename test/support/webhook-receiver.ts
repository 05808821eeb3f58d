/**
 * A webhook receiver in the test process, as a subscriber's system would be:
 * it verifies every request's Standard Webhooks signature with the
 * `standardwebhooks` package and keeps what it verified, in arrival order.
 * `answer` decides each reply (a 503 while "down"); `stop` and `listen`
 * take the port away and give it back (connections refused meanwhile).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import type { EventMessage } from '../../src/events/payload.ts'

export interface Delivery {
  readonly webhookId: string
  readonly message: EventMessage
  /** Whether the receiver answered 2xx (what it counts as received). */
  readonly accepted: boolean
}

export class WebhookReceiver {
  #server: Server
  #port = 0
  #secret: string | undefined
  /** Every request whose signature verified, answered however `answer` said. */
  readonly deliveries: Delivery[] = []
  /** Requests whose signature did not verify: there must be none. */
  readonly unverified: string[] = []
  /** The status to answer a verified delivery with; 'hang' to never answer (a receiver stuck mid-request). */
  answer: (message: EventMessage) => number | 'hang' = () => 204

  private constructor() {
    this.#server = this.#newServer()
  }

  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver()
    await receiver.listen(port)
    return receiver
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hooks/ipic`
  }

  /** The subscriber's signing secret, once the service has shown it. */
  trust(secret: string): void {
    this.#secret = secret
  }

  #newServer(): Server {
    return createServer(async (request, response) => {
      const body = await bodyOf(request)
      const secret = this.#secret
      try {
        if (!secret) throw new Error('no secret yet')
        const headers = Object.fromEntries(
          ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [
            name,
            String(request.headers[name] ?? ''),
          ]),
        )
        const message = new Webhook(secret).verify(body, headers) as EventMessage
        const status = this.answer(message)
        const accepted = status !== 'hang' && status >= 200 && status < 300
        this.deliveries.push({ webhookId: headers['webhook-id'] as string, message, accepted })
        if (status !== 'hang') response.writeHead(status).end()
      } catch (error) {
        this.unverified.push(`${(error as Error).message}: ${body.slice(0, 100)}`)
        response.writeHead(400).end()
      }
    })
  }

  async listen(port = this.#port): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(port, '127.0.0.1', () => resolve())
    })
    this.#port = (this.#server.address() as AddressInfo).port
  }

  /** Stops listening: deliveries meet a refused connection until `listen` again. */
  async stop(): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
    this.#server = this.#newServer()
  }

  /** The accepted deliveries, each webhook-id once (a retry of one already accepted is a duplicate). */
  accepted(): Map<string, EventMessage> {
    const byId = new Map<string, EventMessage>()
    for (const delivery of this.deliveries) {
      if (delivery.accepted && !byId.has(delivery.webhookId)) byId.set(delivery.webhookId, delivery.message)
    }
    return byId
  }

  /**
   * Whether each task's events were accepted in the order of its versions:
   * the first acceptance of each ID, in arrival order, per task. Returns
   * what went wrong, if anything.
   */
  /**
   * Each task's events out of order: by event ID (the task's order), and by
   * version, which a status change raises and a contest's event keeps.
   */
  orderProblems(): string[] {
    const problems: string[] = []
    const last = new Map<number, { id: number; version: number }>()
    const seen = new Set<string>()
    for (const { webhookId, message, accepted } of this.deliveries) {
      if (!accepted || seen.has(webhookId)) continue
      seen.add(webhookId)
      const { taskId, taskVersion, contest } = message.data
      const id = Number(webhookId.slice('evt_'.length))
      const before = last.get(taskId) ?? { id: 0, version: 0 }
      const versionKept = contest !== null && taskVersion === before.version
      if (id <= before.id || (taskVersion <= before.version && !versionKept)) {
        problems.push(
          `task ${taskId}: ${webhookId} (version ${taskVersion}) after evt_${before.id} (${before.version})`,
        )
      }
      last.set(taskId, { id, version: taskVersion })
    }
    return problems
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Waits until `done` holds, checking every 100 ms; fails with `what` after `timeoutMs`. */
export async function until(
  done: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
