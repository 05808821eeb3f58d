/**
 * One user: their details with Change links, the roles-and-regions form,
 * "Are you sure you want to deactivate…" and the deactivation itself, and
 * reactivation. A user the actor does not manage (another region's
 * caseworker, a manager, for a manager) is refused with the 403 page and
 * logged; an unknown ID is "page not found". A form posted against an
 * older version of the user is refused with the user as they are now.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { grantable } from '../../access/user-management.ts'
import type { VersionedUser } from '../../access/users.ts'
import { type AccessInput, readAccessForm, readVersion } from '../forms/user-form.ts'
import { messages, userMessage } from '../messages.ts'
import { paths } from '../paths.ts'
import { ForbiddenError, signedInUser } from '../server/guards.ts'
import { notFound } from '../server/not-found.ts'
import { type FormProblem, inWords } from '../view-models/forms.ts'
import { accessInputOf, accessPage, deactivatePage } from '../view-models/user-forms.ts'
import { type Notice, userDetailsPage } from '../view-models/users.ts'
import type { RouteDependencies } from './dependencies.ts'
import { logRefusal, mayManageUsers } from './users.ts'

const userParams = z.object({ userId: z.string().max(100) })
const doneQuery = z.object({
  done: z.enum(['added', 'changed', 'deactivated', 'reactivated']).optional().catch(undefined),
})

function notice(done: z.infer<typeof doneQuery>['done'], name: string): Notice | undefined {
  switch (done) {
    case 'added':
      return { text: messages.users.added(name) }
    case 'changed':
      return { text: messages.users.accessChanged(name) }
    case 'deactivated':
      return { text: messages.users.deactivated(name) }
    case 'reactivated':
      return { text: messages.users.reactivated(name) }
    case undefined:
      return undefined
  }
}

export async function userDetailsRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { users } = deps.services

  function userIdIn(request: FastifyRequest): string {
    const parsed = userParams.safeParse(request.params)
    return parsed.success ? parsed.data.userId : notFound('not a user ID')
  }

  /** The user in the URL, if the actor manages them: 403 if not, "page not found" if there is none. */
  async function managedUser(request: FastifyRequest): Promise<VersionedUser> {
    const opened = await users.open(signedInUser(request), userIdIn(request))
    if (opened.kind === 'not-found') return notFound('no such user')
    if (opened.kind === 'not-managed') throw new ForbiddenError('the user is not one the actor manages')
    return opened.user
  }

  /** After a refusal the domain reported as not-found or not-managed: the same answers as a GET. */
  function refusedAccess(kind: 'not-found' | 'not-managed'): never {
    if (kind === 'not-found') return notFound('no such user')
    throw new ForbiddenError('the user is not one the actor manages')
  }

  app.get(paths.user(':userId'), mayManageUsers, async (request, reply) => {
    const user = await managedUser(request)
    const { done } = doneQuery.parse(request.query ?? {})
    const page = userDetailsPage({
      user,
      regions: users.regions,
      actorId: signedInUser(request).id,
      notice: notice(done, user.name),
    })
    return reply.view('users/details', page)
  })

  function showAccessForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: {
      user: VersionedUser
      access: AccessInput
      problems: readonly FormProblem[]
      changedMeanwhile?: string
    },
    status: number,
  ) {
    const page = accessPage({ may: grantable(signedInUser(request)), regions: users.regions, ...form })
    return reply.code(status).view('users/access', page)
  }

  app.get(paths.userAccess(':userId'), mayManageUsers, async (request, reply) => {
    const user = await managedUser(request)
    return showAccessForm(request, reply, { user, access: accessInputOf(user), problems: [] }, 200)
  })

  app.post(paths.userAccess(':userId'), mayManageUsers, async (request, reply) => {
    const actor = signedInUser(request)
    const userId = userIdIn(request)
    const posted = readAccessForm(request.body)
    if (!posted.access) {
      logRefusal(request, userId, posted.problems)
      const user = await managedUser(request)
      const problems = inWords(posted.problems, userMessage)
      return showAccessForm(request, reply, { user, access: posted.input, problems }, 400)
    }
    const result = await users.changeAccess(actor, userId, posted.version, posted.access)
    switch (result.kind) {
      case 'changed':
        request.log.info({ actor: actor.id, subject: userId }, 'user roles and regions changed')
        return reply.redirect(`${paths.user(userId)}?done=changed`, 303)
      case 'unchanged':
        return reply.redirect(paths.user(userId), 303)
      case 'invalid': {
        logRefusal(request, userId, result.problems)
        const problems = inWords(result.problems, userMessage)
        return showAccessForm(request, reply, { user: result.current, access: posted.input, problems }, 400)
      }
      case 'stale': {
        request.log.info({ actor: actor.id, subject: userId }, 'user change refused: changed meanwhile')
        const current = result.current
        const form = { user: current, access: accessInputOf(current), problems: [] }
        return showAccessForm(
          request,
          reply,
          { ...form, changedMeanwhile: messages.users.changedMeanwhile },
          409,
        )
      }
      case 'not-found':
      case 'not-managed':
        return refusedAccess(result.kind)
    }
  })

  app.get(paths.userDeactivate(':userId'), mayManageUsers, async (request, reply) => {
    const user = await managedUser(request)
    // Already deactivated, or one's own account: the details page says where things stand.
    if (!user.active || user.id === signedInUser(request).id) return reply.redirect(paths.user(user.id), 303)
    return reply.view('users/deactivate', deactivatePage({ user, regions: users.regions }))
  })

  for (const active of [false, true]) {
    const path = active ? paths.userReactivate(':userId') : paths.userDeactivate(':userId')
    app.post(path, mayManageUsers, async (request, reply) => {
      const actor = signedInUser(request)
      const userId = userIdIn(request)
      const version = readVersion(request.body)
      const result = await users.setActive(actor, userId, version, active)
      const done = active ? 'reactivated' : 'deactivated'
      switch (result.kind) {
        case 'changed':
          request.log.info({ actor: actor.id, subject: userId }, `user ${done}`)
          return reply.redirect(`${paths.user(userId)}?done=${done}`, 303)
        case 'unchanged':
          return reply.redirect(paths.user(userId), 303)
        case 'refused': {
          logRefusal(request, userId, result.problems)
          const user = await managedUser(request)
          const page = deactivatePage({
            user,
            regions: users.regions,
            problems: inWords(result.problems, userMessage),
          })
          return reply.code(400).view('users/deactivate', page)
        }
        case 'stale': {
          request.log.info({ actor: actor.id, subject: userId }, 'user change refused: changed meanwhile')
          if (active) {
            const page = userDetailsPage({
              user: result.current,
              regions: users.regions,
              actorId: actor.id,
              changedMeanwhile: messages.users.changedMeanwhile,
            })
            return reply.code(409).view('users/details', page)
          }
          const page = deactivatePage({
            user: result.current,
            regions: users.regions,
            changedMeanwhile: messages.users.changedMeanwhile,
          })
          return reply.code(409).view('users/deactivate', page)
        }
        case 'not-found':
        case 'not-managed':
          return refusedAccess(result.kind)
      }
    })
  }
}
