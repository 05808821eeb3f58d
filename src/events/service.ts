/**
 * Decision events as the pages, the API and `ipic subscribers` use them:
 * the subscribers (each with its lag), their changes, and the pull feed.
 * Built once per process (src/services.ts).
 */
import { hostname, networkInterfaces } from 'node:os'
import type { Kysely } from 'kysely'
import { recordAuditEvent } from '../audit/events.ts'
import type { Clock } from '../clock.ts'
import type { Config } from '../config.ts'
import type { Tables } from '../db/tables.ts'
import { type FeedPage, type FeedQuery, readFeed } from './feed.ts'
import type { ServiceAddress } from './subscriber-url.ts'
import {
  type AddSubscriberResult,
  addSubscriber,
  type ChangeOutcome,
  findSubscriber,
  lagOf,
  listSubscribers,
  type NewSubscriber,
  type ReplayResult,
  removeSubscriber,
  replaySubscriber,
  type Subscriber,
  type SubscriberChangedBy,
  type SubscriberLag,
  setSubscriberPaused,
} from './subscribers.ts'

export type SubscriberWithLag = Subscriber & { readonly lag: SubscriberLag }

/** Where this service answers, from its configuration: what a subscriber's URL must not point at. */
export function serviceAddressOf(config: Pick<Config, 'port' | 'host' | 'singleSignOn'>): ServiceAddress {
  const host = config.host.toLowerCase()
  return {
    port: config.port,
    localHosts: [
      hostname().toLowerCase(),
      ...(host === '0.0.0.0' || host === '::' ? [] : [host]),
      ...machineAddresses(),
    ],
    publicOrigin: config.singleSignOn ? new URL(config.singleSignOn.redirectUrl).origin : undefined,
  }
}

/** This machine's own addresses, as a resolved name gives them and (IPv6 in brackets) as a URL writes them. */
function machineAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((addresses) =>
    (addresses ?? []).flatMap(({ address, family }) => {
      const bare = address.toLowerCase()
      return family === 'IPv6' ? [bare, `[${bare}]`] : [bare]
    }),
  )
}

export class DecisionEvents {
  readonly #db: Kysely<Tables>
  readonly #clock: Clock
  readonly #service: ServiceAddress

  constructor(options: { db: Kysely<Tables>; clock: Clock; service: ServiceAddress }) {
    this.#db = options.db
    this.#clock = options.clock
    this.#service = options.service
  }

  /**
   * A page of the pull feed for an API client. A page that holds events is
   * audited as the client's read before it goes out; an empty one (a
   * client polling, caught up) discloses nothing and is not, or a client
   * polling every few seconds would fill the trail with nothing.
   */
  async feed(query: FeedQuery, reader: { readonly clientId: string }): Promise<FeedPage> {
    const page = await readFeed(this.#db, query)
    const first = page.events[0]
    const last = page.events.at(-1)
    if (first && last) {
      await recordAuditEvent(this.#db, {
        kind: 'events-read',
        at: this.#clock.now(),
        userId: null,
        clientId: reader.clientId,
        events: page.events.length,
        firstEventId: first.eventId,
        lastEventId: last.eventId,
      })
    }
    return page
  }

  async subscribers(): Promise<SubscriberWithLag[]> {
    const all = await listSubscribers(this.#db)
    return Promise.all(
      all.map(async (subscriber) => ({ ...subscriber, lag: await lagOf(this.#db, subscriber) })),
    )
  }

  find(id: number): Promise<Subscriber | undefined> {
    return findSubscriber(this.#db, id)
  }

  add(input: NewSubscriber, by: SubscriberChangedBy): Promise<AddSubscriberResult> {
    return addSubscriber(this.#db, input, this.#service, this.#change(by))
  }

  pause(id: number, by: SubscriberChangedBy): Promise<ChangeOutcome> {
    return setSubscriberPaused(this.#db, id, true, this.#change(by))
  }

  resume(id: number, by: SubscriberChangedBy): Promise<ChangeOutcome> {
    return setSubscriberPaused(this.#db, id, false, this.#change(by))
  }

  remove(id: number, by: SubscriberChangedBy): Promise<ChangeOutcome> {
    return removeSubscriber(this.#db, id, this.#change(by))
  }

  replay(id: number, from: Date, by: SubscriberChangedBy): Promise<ReplayResult> {
    return replaySubscriber(this.#db, id, from, this.#change(by))
  }

  #change(by: SubscriberChangedBy) {
    return { by, at: this.#clock.now() }
  }
}
