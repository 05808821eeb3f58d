/**
 * The Event subscribers pages for administrators (`clients:manage`, as the
 * API clients are: both are other systems connected to the service): each
 * subscriber with its deliveries, failures and lag; adding one, whose
 * answer shows its signing secret this once; pausing and resuming;
 * replaying from a point in time; removing one after a confirmation. Each
 * change is in the audit trail as the signed-in administrator's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Subscriber } from '../../events/subscribers.ts'
import {
  EMPTY_REPLAY_FORM,
  EMPTY_SUBSCRIBER_FORM,
  type ReplayFormInput,
  readReplayForm,
  readSubscriberForm,
  type SubscriberFormInput,
} from '../forms/subscriber-form.ts'
import { paths } from '../paths.ts'
import { signedInUser } from '../server/guards.ts'
import { notFound } from '../server/not-found.ts'
import { subscriberProblemMessage } from '../subscriber-messages.ts'
import { type FormProblem, inWords } from '../view-models/forms.ts'
import {
  replayFormPage,
  subscriberCards,
  subscriberFormPage,
  subscriberSummary,
} from '../view-models/subscribers.ts'
import type { RouteDependencies } from './dependencies.ts'

const permission = 'clients:manage'

export async function subscriberRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { events } = deps.services
  const byPage = (request: FastifyRequest) => ({ userId: signedInUser(request).id, through: 'page' }) as const

  app.get(paths.subscribers(), { config: { permission } }, async (_request, reply) =>
    reply.view('subscribers/list', {
      cards: subscriberCards(await events.subscribers(), deps.clock.now()),
      addHref: paths.subscriberNew(),
    }),
  )

  const showForm = (
    reply: FastifyReply,
    values: SubscriberFormInput,
    problems: readonly FormProblem[] = [],
  ) =>
    reply.code(problems.length > 0 ? 400 : 200).view('subscribers/new', {
      ...subscriberFormPage(values, problems),
      cancelHref: paths.subscribers(),
    })

  app.get(paths.subscriberNew(), { config: { permission } }, async (_request, reply) =>
    showForm(reply, EMPTY_SUBSCRIBER_FORM),
  )

  app.post(paths.subscriberNew(), { config: { permission } }, async (request, reply) => {
    const form = readSubscriberForm(request.body)
    const result = await events.add(form.subscriber, byPage(request))
    if (result.kind === 'invalid') {
      return showForm(reply, form.input, inWords(result.problems, subscriberProblemMessage))
    }
    request.log.info({ subscriberId: result.subscriber.id }, 'event subscriber added')
    return reply.view('subscribers/added', {
      subscriber: subscriberSummary(result.subscriber),
      secret: result.secret,
      listHref: paths.subscribers(),
    })
  })

  async function subscriberOf(request: FastifyRequest): Promise<Subscriber> {
    const text = (request.params as { id?: unknown }).id
    if (typeof text !== 'string' || !/^\d{1,15}$/.test(text)) notFound('no subscriber ID')
    return (await events.find(Number(text))) ?? notFound('no such subscriber')
  }

  app.post(paths.subscriberPause(':id'), { config: { permission } }, async (request, reply) => {
    const subscriber = await subscriberOf(request)
    await events.pause(subscriber.id, byPage(request))
    return reply.redirect(paths.subscribers(), 303)
  })

  app.post(paths.subscriberResume(':id'), { config: { permission } }, async (request, reply) => {
    const subscriber = await subscriberOf(request)
    await events.resume(subscriber.id, byPage(request))
    return reply.redirect(paths.subscribers(), 303)
  })

  const showReplay = (
    reply: FastifyReply,
    subscriber: Subscriber,
    values: ReplayFormInput,
    problems: readonly FormProblem[] = [],
  ) =>
    reply.code(problems.length > 0 ? 400 : 200).view('subscribers/replay', {
      ...replayFormPage(values, problems),
      subscriber: subscriberSummary(subscriber),
      action: paths.subscriberReplay(String(subscriber.id)),
      cancelHref: paths.subscribers(),
    })

  app.get(paths.subscriberReplay(':id'), { config: { permission } }, async (request, reply) =>
    showReplay(reply, await subscriberOf(request), EMPTY_REPLAY_FORM),
  )

  app.post(paths.subscriberReplay(':id'), { config: { permission } }, async (request, reply) => {
    const subscriber = await subscriberOf(request)
    const form = readReplayForm(request.body, deps.clock.now())
    if (!form.ok)
      return showReplay(reply, subscriber, form.input, inWords(form.problems, subscriberProblemMessage))
    const result = await events.replay(subscriber.id, form.from, byPage(request))
    if (result.kind === 'not-found') notFound('subscriber removed meanwhile')
    return reply.redirect(paths.subscribers(), 303)
  })

  app.get(paths.subscriberRemove(':id'), { config: { permission } }, async (request, reply) => {
    const subscriber = await subscriberOf(request)
    return reply.view('subscribers/remove', {
      subscriber: subscriberSummary(subscriber),
      action: paths.subscriberRemove(String(subscriber.id)),
      cancelHref: paths.subscribers(),
    })
  })

  app.post(paths.subscriberRemove(':id'), { config: { permission } }, async (request, reply) => {
    const subscriber = await subscriberOf(request)
    await events.remove(subscriber.id, byPage(request))
    request.log.info({ subscriberId: subscriber.id }, 'event subscriber removed')
    return reply.redirect(paths.subscribers(), 303)
  })
}
