/**
 * Finding users and adding one. Both need `users:manage`; what a manager
 * finds, and may add, is narrowed to caseworkers of their own regions by
 * the user administration service. A refused addition shows the form again
 * with the GOV.UK error summary and is logged; a successful one goes to the
 * new user's page with a notification banner (post, redirect, get).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { canSee } from '../../access/region-scope.ts'
import { checkUserDetails } from '../../access/user-fields.ts'
import { checkAccess, grantable } from '../../access/user-management.ts'
import { readNewUserForm, readUserFilter } from '../forms/user-form.ts'
import { type UserPageProblem, userMessage } from '../messages.ts'
import { paths } from '../paths.ts'
import { signedInUser } from '../server/guards.ts'
import { type FormProblem, inWords } from '../view-models/forms.ts'
import { NO_ACCESS_INPUT, newUserPage } from '../view-models/user-forms.ts'
import { USERS_PAGE_SIZE, usersPage } from '../view-models/users.ts'
import type { RouteDependencies } from './dependencies.ts'

export const mayManageUsers = { config: { permission: 'users:manage' } } as const

/** Logs a refused user change with its problem codes (never the values typed). */
export function logRefusal(
  request: FastifyRequest,
  subject: string | undefined,
  problems: readonly UserPageProblem[],
) {
  request.log.warn(
    { actor: signedInUser(request).id, subject, problems: problems.map((problem) => problem.code) },
    'user change refused',
  )
}

export async function userRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { users } = deps.services

  app.get(paths.users(), mayManageUsers, async (request, reply) => {
    const actor = signedInUser(request)
    // A manager filters by their own regions: nobody they manage works anywhere else.
    const filterRegions = users.regions.filter((region) => canSee(actor.regions, region.code))
    const read = readUserFilter(
      request.query,
      filterRegions.map((region) => region.code),
    )
    const found =
      read.problems.length > 0
        ? { users: [], total: 0 }
        : await users.find(actor, read.filter, { number: read.page, size: USERS_PAGE_SIZE })
    const problems = inWords(read.problems, userMessage)
    return reply
      .code(problems.length > 0 ? 400 : 200)
      .view('users/list', usersPage({ read, problems, found, regions: users.regions, filterRegions }))
  })

  function showNewUserForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { values: { id: string; name: string; email: string }; access: typeof NO_ACCESS_INPUT },
    problems: readonly FormProblem[],
  ) {
    const page = newUserPage({
      may: grantable(signedInUser(request)),
      values: form.values,
      access: form.access,
      regions: users.regions,
      problems,
      localAccounts: deps.config.localAccounts,
      providerName: deps.services.singleSignOn?.providerName,
    })
    return reply.code(problems.length > 0 ? 400 : 200).view('users/new', page)
  }

  app.get(paths.userNew(), mayManageUsers, async (request, reply) =>
    showNewUserForm(request, reply, { values: { id: '', name: '', email: '' }, access: NO_ACCESS_INPUT }, []),
  )

  app.post(paths.userNew(), mayManageUsers, async (request, reply) => {
    const actor = signedInUser(request)
    const posted = readNewUserForm(request.body)
    const localAccounts = deps.config.localAccounts
    const details = checkUserDetails(
      // A password posted where local accounts are off is ignored: nobody could sign in with it.
      { ...posted.details, password: localAccounts ? posted.details.password : undefined },
      { passwordRequired: localAccounts && deps.services.singleSignOn === undefined },
    )
    const refused = (problems: readonly UserPageProblem[]) => {
      logRefusal(request, undefined, problems)
      const { id, name, email } = posted.details
      // Only what fits the fields is shown again: a 10,000-character ID is not worth echoing.
      const values = { id: id.slice(0, 100), name: name.slice(0, 200), email: email.slice(0, 300) }
      return showNewUserForm(request, reply, { values, access: posted.input }, inWords(problems, userMessage))
    }
    if (!details.ok || !posted.access) {
      // Every problem at once: the roles and regions are checked too, where they could be read.
      const accessProblems = posted.access ? checkAccess(actor, posted.access) : posted.problems
      return refused([...(details.ok ? [] : details.problems), ...accessProblems])
    }
    const result = await users.add(actor, details.details, posted.access)
    if (result.kind === 'invalid') return refused(result.problems)
    request.log.info({ actor: actor.id, subject: result.user.id }, 'user added')
    return reply.redirect(`${paths.user(result.user.id)}?done=added`, 303)
  })
}
