/**
 * The API reference page's view model, read from the OpenAPI document
 * itself (so the page cannot say other than the document): each operation
 * with its method, path, scope, parameters, body, examples and problems.
 */
import type { OpenAPIV3_1 } from 'openapi-types'
import type { OpenApiDocument } from './document.ts'
import { scopeSentence } from './operations.ts'
import { PROBLEM_TYPE_BASE } from './problem-details.ts'
import { PROBLEM_TYPES, type ProblemCode } from './problem-types.ts'

/** Text with `code` in it, in pieces: the template shows each code piece as code, never as markup. */
export type Prose = readonly { readonly text: string; readonly code: boolean }[]

export function prose(text: string): Prose {
  return text
    .split('`')
    .map((piece, index) => ({ text: piece, code: index % 2 === 1 }))
    .filter((piece) => piece.text !== '')
}

export interface ReferenceParameter {
  readonly name: string
  readonly where: string
  readonly required: boolean
  readonly type: string
  readonly description: Prose
}

export interface ReferenceExample {
  readonly name: string
  readonly summary: string
  readonly request: string | null
  readonly status: string
  readonly response: string | null
}

export interface ReferenceOperation {
  readonly anchor: string
  readonly method: string
  readonly path: string
  readonly summary: string
  readonly paragraphs: readonly Prose[]
  readonly scopes: readonly string[]
  readonly parameters: readonly ReferenceParameter[]
  readonly responses: readonly { readonly status: string; readonly description: string }[]
  readonly problems: readonly { readonly code: string; readonly href: string; readonly status: number }[]
  readonly examples: readonly ReferenceExample[]
}

export interface ReferencePage {
  readonly title: string
  readonly description: string
  readonly version: string
  readonly operations: readonly ReferenceOperation[]
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

const json = (value: unknown) => JSON.stringify(value, null, 2)

export function referencePageModel(document: OpenApiDocument, problemsHref: string): ReferencePage {
  const operations: ReferenceOperation[] = []
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method]
      if (operation) operations.push(operationModel(method, path, operation, problemsHref))
    }
  }
  return {
    title: document.info.title,
    description: document.info.description ?? '',
    version: document.info.version,
    operations,
  }
}

function operationModel(
  method: string,
  path: string,
  operation: OpenAPIV3_1.OperationObject,
  problemsHref: string,
): ReferenceOperation {
  const parameters = (operation.parameters ?? []) as OpenAPIV3_1.ParameterObject[]
  const body = (operation.requestBody as OpenAPIV3_1.RequestBodyObject | undefined)?.content[
    'application/json'
  ]
  const responses = Object.entries(operation.responses ?? {}) as [string, OpenAPIV3_1.ResponseObject][]
  const scopes = (operation.security ?? []).flatMap((requirement) => Object.values(requirement).flat())
  return {
    anchor: operation.operationId ?? `${method}-${path}`,
    method: method.toUpperCase(),
    path,
    summary: operation.summary ?? '',
    paragraphs: (operation.description ?? '')
      .split(/\n\n+/)
      .filter((paragraph) => !scopes.some((scope) => paragraph === scopeSentence(scope)))
      .map(prose),
    scopes,
    parameters: [
      ...parameters.map((p) => ({
        name: p.name,
        where: p.in === 'path' ? 'path' : 'query',
        required: p.required === true,
        type: typeOf(p.schema as OpenAPIV3_1.SchemaObject | undefined),
        description: prose(
          p.description ?? (p.schema as OpenAPIV3_1.SchemaObject | undefined)?.description ?? '',
        ),
      })),
      ...bodyFields(body?.schema as OpenAPIV3_1.SchemaObject | undefined),
    ],
    responses: responses
      .filter(([status]) => Number(status) < 400)
      .map(([status, response]) => ({ status, description: response.description })),
    problems: problemCodesOf(responses).map((code) => ({
      code,
      href: `${problemsHref}#${code}`,
      status: PROBLEM_TYPES[code].status,
    })),
    examples: examplesOf(parameters, body, responses),
  }
}

function typeOf(schema: OpenAPIV3_1.SchemaObject | undefined): string {
  if (!schema) return ''
  if (schema.enum) return `one of ${schema.enum.join(', ')}`
  if (schema.type === 'array') return `list of ${typeOf(schema.items as OpenAPIV3_1.SchemaObject)}`
  return [schema.type, schema.format].filter(Boolean).join(', ')
}

function bodyFields(schema: OpenAPIV3_1.SchemaObject | undefined): ReferenceParameter[] {
  const variants = (schema?.oneOf ?? schema?.anyOf ?? (schema ? [schema] : [])) as OpenAPIV3_1.SchemaObject[]
  const fields = new Map<string, ReferenceParameter>()
  for (const variant of variants) {
    for (const [name, field] of Object.entries(variant.properties ?? {})) {
      const property = field as OpenAPIV3_1.SchemaObject
      if (fields.has(name)) continue
      fields.set(name, {
        name,
        where: 'body',
        required: variants.every((v) => v.required?.includes(name)),
        type: typeOf(property),
        description: prose(property.description ?? ''),
      })
    }
  }
  return [...fields.values()]
}

/** The problem codes the operation's problem responses name in their `type` descriptions. */
function problemCodesOf(responses: readonly [string, OpenAPIV3_1.ResponseObject][]): ProblemCode[] {
  const codes = new Set<ProblemCode>()
  for (const [status, response] of responses) {
    if (Number(status) < 400) continue
    for (const code of Object.keys(PROBLEM_TYPES) as ProblemCode[]) {
      if (response.description.includes(`${code}:`)) codes.add(code)
    }
  }
  return [...codes]
}

function examplesOf(
  parameters: readonly OpenAPIV3_1.ParameterObject[],
  body: OpenAPIV3_1.MediaTypeObject | undefined,
  responses: readonly [string, OpenAPIV3_1.ResponseObject][],
): ReferenceExample[] {
  const examples: ReferenceExample[] = []
  for (const [status, response] of responses) {
    for (const media of Object.values(response.content ?? {})) {
      for (const [name, example] of Object.entries(media.examples ?? {}) as [
        string,
        OpenAPIV3_1.ExampleObject,
      ][]) {
        const inputs = parameters.flatMap((p) => {
          const value = (p.examples?.[name] as OpenAPIV3_1.ExampleObject | undefined)?.value
          return value === undefined ? [] : [`${p.name}=${value}`]
        })
        const sent = (body?.examples?.[name] as OpenAPIV3_1.ExampleObject | undefined)?.value
        const request = [inputs.join('&'), sent === undefined ? '' : json(sent)].filter(Boolean).join('\n')
        examples.push({
          name,
          summary: example.summary ?? name,
          request: request === '' ? null : request,
          status,
          response: example.value === undefined ? null : json(example.value),
        })
      }
    }
  }
  return examples
}

export interface ProblemTypeRow {
  readonly code: string
  readonly type: string
  readonly status: number
  readonly title: string
  readonly description: Prose
}

export function problemTypeRows(): ProblemTypeRow[] {
  return Object.entries(PROBLEM_TYPES).map(([code, problem]) => ({
    code,
    type: `${PROBLEM_TYPE_BASE}#${code}`,
    status: problem.status,
    title: problem.title,
    description: prose(problem.description),
  }))
}
