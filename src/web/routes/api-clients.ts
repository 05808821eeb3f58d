/**
 * The API clients pages for administrators (`clients:manage`): the list of
 * the systems registered to call the API; the form that registers one,
 * whose answer shows its secret this once (never stored, never in a URL);
 * and revoking one, after a confirmation page. Each change is in the
 * audit trail as the signed-in administrator's.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { checkClientDetails } from '../../access/machine-client-fields.ts'
import { CLIENT_ID_TAKEN, clientProblemMessage } from '../client-messages.ts'
import { EMPTY_CLIENT_FORM, readClientForm } from '../forms/client-form.ts'
import { paths } from '../paths.ts'
import { signedInUser } from '../server/guards.ts'
import { notFound } from '../server/not-found.ts'
import { clientFormPage, clientRows, clientSummary } from '../view-models/api-clients.ts'
import { type FormProblem, inWords } from '../view-models/forms.ts'
import type { RouteDependencies } from './dependencies.ts'

const permission = 'clients:manage'

export async function apiClientRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { machineClients } = deps.services
  const regions = deps.services.users.regions
  const providerConfigured = deps.config.apiTokenIssuer !== undefined

  app.get(paths.apiClients(), { config: { permission } }, async (_request, reply) =>
    reply.view('clients/list', {
      rows: clientRows(await machineClients.list(), regions),
      addHref: paths.apiClientNew(),
      providerConfigured,
    }),
  )

  const showForm = (reply: FastifyReply, values = EMPTY_CLIENT_FORM, problems: readonly FormProblem[] = []) =>
    reply.code(problems.length > 0 ? 400 : 200).view('clients/new', {
      ...clientFormPage({ values, problems, regions, providerConfigured }),
      cancelHref: paths.apiClients(),
    })

  app.get(paths.apiClientNew(), { config: { permission } }, async (_request, reply) => showForm(reply))

  app.post(paths.apiClientNew(), { config: { permission } }, async (request, reply) => {
    const form = readClientForm(request.body)
    // Without a provider there is nothing to take a client ID from: one posted anyway is ignored.
    const details = providerConfigured ? form.details : { ...form.details, providerClientId: undefined }
    const checked = checkClientDetails(
      details,
      regions.map((region) => region.code),
    )
    const problems = [...form.problems, ...(checked.ok ? [] : checked.problems)]
    if (!checked.ok || problems.length > 0) {
      return showForm(reply, form.input, inWords(problems, clientProblemMessage))
    }
    const result = await machineClients.add(checked.details, {
      userId: signedInUser(request).id,
      through: 'page',
    })
    if (!result.ok) {
      return showForm(reply, form.input, [{ field: 'providerClientId', message: CLIENT_ID_TAKEN }])
    }
    request.log.info({ clientId: result.added.client.clientId }, 'API client added')
    return reply.view('clients/added', {
      client: clientSummary(result.added.client, regions),
      secret: result.added.secret,
      listHref: paths.apiClients(),
    })
  })

  async function registeredClient(clientId: unknown) {
    if (typeof clientId !== 'string') notFound('no client ID')
    return (await machineClients.find(clientId)) ?? notFound('no such client')
  }

  app.get(paths.apiClientRevoke(':clientId'), { config: { permission } }, async (request, reply) => {
    const client = await registeredClient((request.params as { clientId?: unknown }).clientId)
    if (client.revoked) return reply.redirect(paths.apiClients(), 303)
    return reply.view('clients/revoke', {
      client: clientSummary(client, regions),
      action: paths.apiClientRevoke(client.clientId),
      cancelHref: paths.apiClients(),
    })
  })

  app.post(paths.apiClientRevoke(':clientId'), { config: { permission } }, async (request, reply) => {
    const client = await registeredClient((request.params as { clientId?: unknown }).clientId)
    const outcome = await machineClients.revoke(client.clientId, {
      userId: signedInUser(request).id,
      through: 'page',
    })
    if (outcome === 'revoked') request.log.info({ clientId: client.clientId }, 'API client revoked')
    return reply.redirect(paths.apiClients(), 303)
  })
}
