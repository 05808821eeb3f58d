/**
 * GET /persons/{personId}: a person's case record as the case pages show
 * it, every section at once, within the client's regions (another region's
 * person is not found), the reading audited as a view of the case.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { CaseRecordView } from '../../cases/case-record.ts'
import type { RouteDependencies } from '../routes/dependencies.ts'
import { clientOf, clientScope } from './client.ts'
import { addOperation } from './operations.ts'
import { sendProblem } from './problem-details.ts'
import { problem } from './problem-types.ts'
import { PERSON_EXAMPLES } from './resource-examples.ts'
import { timestampSchema } from './schemas.ts'

const codeAndName = z.object({ code: z.string(), name: z.string() })
const section = (description: string) => z.looseObject({}).describe(description)

export const personAnswer = z.object({
  person: z
    .looseObject({
      personId: z.string(),
      homeOfficeReference: z.string(),
      familyName: z.string(),
      givenNames: z.string(),
      dateOfBirth: z.string(),
      nationality: codeAndName,
      romRegion: codeAndName,
    })
    .describe('Identity, status and regions.'),
  documentation: section('Travel document and identity.'),
  reporting: section('Reporting location, events, compliance and bail conditions.'),
  barriers: z.array(z.looseObject({})).describe('Barriers to removal.'),
  harm: section('Offending, sentences and orders.'),
  family: section('Relationships and children.'),
  vulnerability: section('Adults at risk, modern slavery, self-harm and other indicators.'),
  referrals: z.array(z.looseObject({})).describe('Referrals from business areas.'),
  dataChangedAt: timestampSchema.describe('When the service last saw the person’s data change.'),
  sourceUpdatedAt: timestampSchema.nullable(),
  present: z.boolean().describe('Whether the person is in the latest extract.'),
})

const personParams = z.object({
  personId: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9/_-]+$/)
    .describe('The person’s ID in the extract.'),
})

function personOf(record: CaseRecordView): z.infer<typeof personAnswer> {
  return {
    ...record,
    barriers: [...record.barriers],
    referrals: [...record.referrals],
    dataChangedAt: record.dataChangedAt.toISOString(),
    sourceUpdatedAt: record.sourceUpdatedAt?.toISOString() ?? null,
  }
}

export async function personRoutes(api: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { tasks } = deps.services
  addOperation(
    api,
    {
      method: 'GET',
      url: '/persons/:personId',
      operationId: 'getPerson',
      tag: 'Persons',
      summary: 'Read a person’s case record',
      description:
        'Every section of the person’s case record, as the case pages show them. A person outside the client’s regions is not found. Audited as a view of the case.',
      scope: 'persons:read',
      params: personParams,
      responses: { 200: personAnswer.describe('The person’s case record.') },
      problems: ['not-found'],
      examples: PERSON_EXAMPLES,
    },
    async (request, reply) => {
      const { personId } = request.params as z.infer<typeof personParams>
      const record = await tasks.personViewedByClient(
        personId,
        clientScope(request),
        clientOf(request).clientId,
      )
      if (!record)
        return sendProblem(
          reply,
          problem('not-found', `There is no person ${personId} in the client’s regions.`),
        )
      return personOf(record)
    },
  )
}
