/**
 * The OpenAPI document's examples as requests to replay: each example's
 * parameters, query and body, and the answer it documents (status, media
 * type, schema, body). The contract test replays them; the scope matrix
 * sends them with the wrong scope.
 */
import type { OpenAPIV3_1 } from 'openapi-types'

export interface Replay {
  /** The scope the operation needs. */
  readonly scope: string | undefined
  readonly operation: string
  readonly example: string
  readonly method: string
  readonly url: string
  readonly query: Record<string, string>
  readonly body: unknown
  readonly status: number
  readonly mediaType: string
  readonly schema: object
  readonly expected: unknown
}

const exampleValue = (examples: Record<string, unknown> | undefined, name: string) =>
  (examples?.[name] as OpenAPIV3_1.ExampleObject | undefined)?.value

/** Every example of the document, with its request and the answer it documents. */
export function replaysOf(document: OpenAPIV3_1.Document): Replay[] {
  const replays: Replay[] = []
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of ['get', 'post'] as const) {
      const operation = item?.[method]
      if (!operation) continue
      const parameters = (operation.parameters ?? []) as OpenAPIV3_1.ParameterObject[]
      const body = (operation.requestBody as OpenAPIV3_1.RequestBodyObject | undefined)?.content[
        'application/json'
      ]
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        for (const [mediaType, media] of Object.entries(
          (response as OpenAPIV3_1.ResponseObject).content ?? {},
        )) {
          for (const name of Object.keys(media.examples ?? {})) {
            let url = path
            const query: Record<string, string> = {}
            for (const parameter of parameters) {
              const given = exampleValue(parameter.examples as Record<string, unknown>, name)
              if (given === undefined) continue
              if (parameter.in === 'path') url = url.replace(`{${parameter.name}}`, String(given))
              else query[parameter.name] = String(given)
            }
            replays.push({
              scope: operation.security?.flatMap((requirement) => Object.values(requirement).flat())[0],
              operation: operation.operationId ?? `${method} ${path}`,
              example: name,
              method: method.toUpperCase(),
              url,
              query,
              body: exampleValue(body?.examples, name),
              status: Number(status),
              mediaType,
              schema: media.schema as object,
              expected: exampleValue(media.examples, name),
            })
          }
        }
      }
    }
  }
  return replays
}
