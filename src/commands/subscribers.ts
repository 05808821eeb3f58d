/**
 * `ipic subscribers`: the systems that receive decision events as webhooks,
 * from the command line, as the Event subscribers page manages them
 * (src/events/service.ts). Each change is in the audit trail as a
 * command's, naming the operating-system account that ran it. A new
 * subscriber's signing secret is printed once.
 */
import { EVENT_TYPES } from '../events/event-types.ts'
import { DecisionEvents, serviceAddressOf } from '../events/service.ts'
import { type Runtime, withRuntime } from '../runtime.ts'
import { subscriberProblemMessage } from '../web/subscriber-messages.ts'
import { UserFacingError } from './errors.ts'
import { operatingSystemAccount } from './operating-system-account.ts'
import { formatTable } from './text-table.ts'

export interface AddSubscriberOptions {
  readonly name?: string
  readonly types?: readonly string[]
}

const byCommand = () => ({ userId: null, through: 'command', account: operatingSystemAccount() }) as const

function eventsOf({ database, clock, config }: Runtime): DecisionEvents {
  return new DecisionEvents({ db: database.db, clock, service: serviceAddressOf(config) })
}

const OPTION_OF_FIELD = { url: 'URL', name: '--name', eventTypes: '--types' } as const

export async function addSubscriberCommand(url: string, options: AddSubscriberOptions): Promise<void> {
  await withRuntime(async (runtime) => {
    const result = await eventsOf(runtime).add(
      { url, name: options.name, eventTypes: options.types?.flatMap((type) => type.split(/[\s,]+/)) },
      byCommand(),
    )
    if (result.kind === 'invalid') {
      const words = result.problems.map((problem) =>
        problem.code === 'unknownEventType'
          ? `--types: ${problem.params.type} is not an event type; the types are ${EVENT_TYPES.join(', ')}`
          : `${OPTION_OF_FIELD[problem.field]}: ${subscriberProblemMessage(problem)}`,
      )
      throw new UserFacingError(words.join('; '))
    }
    const { subscriber, secret } = result
    process.stdout.write(`Added subscriber ${subscriber.id}, ${subscriber.name}: ${subscriber.url}\n`)
    process.stdout.write(`Receives: ${subscriber.eventTypes?.join(' ') ?? 'every event type'}, from now on\n`)
    process.stdout.write(`Signing secret: ${secret}\n`)
    process.stdout.write(
      'Keep the secret now: it is not shown again. Remove the subscriber and add it again if it is lost.\n',
    )
  })
}

export async function listSubscribersCommand(): Promise<void> {
  await withRuntime(async (runtime) => {
    const subscribers = await eventsOf(runtime).subscribers()
    if (subscribers.length === 0) {
      process.stdout.write(
        'No event subscribers yet. Add one with: npx ipic subscribers add URL [--name NAME]\n',
      )
      return
    }
    const rows = subscribers.map((s) => [
      String(s.id),
      s.name,
      s.url,
      s.state,
      s.deliveredCount,
      s.lag.count,
      s.lag.oldest ? s.lag.oldest.toISOString() : '',
      s.failedAttempts,
      s.lastError ?? '',
    ])
    process.stdout.write(
      `${formatTable(
        [
          { header: 'ID' },
          { header: 'Name' },
          { header: 'URL' },
          { header: 'State' },
          { header: 'Delivered' },
          { header: 'Waiting' },
          { header: 'Oldest waiting' },
          { header: 'Failed attempts' },
          { header: 'Last error' },
        ],
        rows,
      )}\n`,
    )
  })
}

function subscriberId(text: string): number {
  const id = Number(text)
  if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(id)) {
    throw new UserFacingError(`${text} is not a subscriber ID: "ipic subscribers list" shows them`)
  }
  return id
}

function notFound(id: number): never {
  throw new UserFacingError(`No event subscriber has the ID ${id}: "ipic subscribers list" shows them`)
}

export async function removeSubscriberCommand(idText: string): Promise<void> {
  const id = subscriberId(idText)
  await withRuntime(async (runtime) => {
    if ((await eventsOf(runtime).remove(id, byCommand())) === 'not-found') notFound(id)
    process.stdout.write(`Removed subscriber ${id}: it receives no more events\n`)
  })
}

export async function pauseSubscriberCommand(idText: string, paused: boolean): Promise<void> {
  const id = subscriberId(idText)
  await withRuntime(async (runtime) => {
    const events = eventsOf(runtime)
    const outcome = paused ? await events.pause(id, byCommand()) : await events.resume(id, byCommand())
    if (outcome === 'not-found') notFound(id)
    const state = paused ? 'paused: events wait for it until it is resumed' : 'resumed'
    process.stdout.write(`Subscriber ${id} ${outcome === 'unchanged' ? 'was already ' : 'is '}${state}\n`)
  })
}

export async function replaySubscriberCommand(idText: string, fromText: string): Promise<void> {
  const id = subscriberId(idText)
  const from = new Date(fromText)
  if (!/^\d{4}-\d{2}-\d{2}T/.test(fromText) || Number.isNaN(from.getTime())) {
    throw new UserFacingError(`--from: ${fromText} is not a date and time like 2026-03-27T09:30:00Z`)
  }
  await withRuntime(async (runtime) => {
    const result = await eventsOf(runtime).replay(id, from, byCommand())
    if (result.kind === 'not-found') notFound(id)
    process.stdout.write(
      result.pending
        ? `Subscriber ${id} receives again every event from ${from.toISOString()} on\n`
        : `No event occurred at or after ${from.toISOString()}: subscriber ${id} receives new events only\n`,
    )
  })
}
