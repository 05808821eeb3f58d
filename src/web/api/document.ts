/**
 * The OpenAPI 3.1 document at /api/v1/openapi.json: @fastify/swagger
 * builds it from the routes' zod schemas (the same that validate the
 * requests), and `completeDocument` adds what the schemas cannot say:
 * problems as `application/problem+json`, streamed answers' media types,
 * and each operation's worked examples, under the same name on the
 * parameters, the body and the answer so that they can be paired again.
 */
import type { SwaggerOptions } from '@fastify/swagger'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import type { OpenAPIV3_1 } from 'openapi-types'
import packageJson from '../../../package.json' with { type: 'json' }
import type { ApiExample, ApiOperation } from './operations.ts'
import { PROBLEM_CONTENT_TYPE } from './problem-details.ts'
import { describeTokenEndpoint } from './token-document.ts'

export const API_PREFIX = '/api/v1'

export type OpenApiDocument = OpenAPIV3_1.Document

/** The document's path of an operation: `/tasks/:taskId` → `/api/v1/tasks/{taskId}`. */
export function documentPath(operation: Pick<ApiOperation, 'url'>): string {
  return API_PREFIX + operation.url.replace(/:(\w+)/g, '{$1}')
}

export function swaggerOptions(operations: () => readonly ApiOperation[], tokenUrl: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Identify and prioritise immigration cases: API',
        version: packageJson.version,
        description:
          'Tasks, their explanations and decisions, persons, rule runs and the MI report, for other systems. Every call is made by a registered machine client with a bearer token, within the client’s scopes and regions, and audited with the client’s ID. Errors are problem details (RFC 9457) whose types /api/v1/reference/problems describes.',
      },
      components: {
        securitySchemes: {
          clientCredentials: {
            type: 'oauth2',
            description:
              'OAuth 2.0 client credentials: a registered client exchanges its ID and secret for a bearer token.',
            flows: { clientCredentials: { tokenUrl, scopes: scopeDescriptions(operations()) } },
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => {
      const document = jsonSchemaTransformObject(input) as OpenAPIV3_1.Document
      describeTokenEndpoint(document, tokenUrl)
      return completeDocument(document, operations()) as never
    },
  }
}

function scopeDescriptions(operations: readonly ApiOperation[]): Record<string, string> {
  const scopes: Record<string, string> = {}
  for (const operation of operations) {
    scopes[operation.scope] = [scopes[operation.scope], operation.summary].filter(Boolean).join('; ')
  }
  return scopes
}

export function completeDocument(
  document: OpenApiDocument,
  operations: readonly ApiOperation[],
): OpenApiDocument {
  for (const operation of operations) {
    const described = document.paths?.[documentPath(operation)]?.[
      operation.method.toLowerCase() as OpenAPIV3_1.HttpMethods
    ] as OpenAPIV3_1.OperationObject | undefined
    if (!described) continue
    for (const [status, response] of Object.entries(described.responses ?? {})) {
      const content = (response as OpenAPIV3_1.ResponseObject).content
      if (Number(status) >= 400 && content?.['application/json']) {
        content[PROBLEM_CONTENT_TYPE] = content['application/json']
        delete content['application/json']
      }
    }
    if (operation.streamed) streamedContent(described, operation.streamed)
    for (const example of operation.examples) addExample(described, example)
  }
  return document
}

function streamedContent(
  described: OpenAPIV3_1.OperationObject,
  mediaTypes: Readonly<Record<string, string>>,
) {
  const content: Record<string, OpenAPIV3_1.MediaTypeObject> = {}
  for (const [type, description] of Object.entries(mediaTypes)) {
    content[type] = { schema: { type: 'string', description } }
  }
  described.responses = {
    ...described.responses,
    200: { description: 'The report, streamed as it is read.', content },
  }
}

function addExample(described: OpenAPIV3_1.OperationObject, example: ApiExample): void {
  const named = (value: unknown): OpenAPIV3_1.ExampleObject => ({ summary: example.summary, value })
  const inputs = [
    ...Object.entries(example.params ?? {}).map(([name, value]) => ({ name, in: 'path', value })),
    ...Object.entries(example.query ?? {}).map(([name, value]) => ({ name, in: 'query', value })),
  ]
  for (const input of inputs) {
    const parameter = (described.parameters ?? []).find(
      (p) => 'name' in p && p.name === input.name && p.in === input.in,
    ) as OpenAPIV3_1.ParameterObject | undefined
    if (parameter) parameter.examples = { ...parameter.examples, [example.name]: named(input.value) }
  }
  const body = (described.requestBody as OpenAPIV3_1.RequestBodyObject | undefined)?.content[
    'application/json'
  ]
  if (body && example.body !== undefined)
    body.examples = { ...body.examples, [example.name]: named(example.body) }
  const response = described.responses?.[String(example.response.status)] as
    | OpenAPIV3_1.ResponseObject
    | undefined
  const { mediaType } = example.response
  const media =
    response?.content && (mediaType ? response.content[mediaType] : Object.values(response.content)[0])
  if (media) {
    media.examples = { ...media.examples, [example.name]: named(example.response.body) }
  }
}
