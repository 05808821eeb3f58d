/**
 * The token endpoint in the OpenAPI document. It is not an operation (no
 * bearer token, no scope): it reads its own form (token-endpoint.ts), so
 * its description is written here rather than derived from schemas.
 */
import type { OpenAPIV3_1 } from 'openapi-types'

const OAUTH_ERROR: OpenAPIV3_1.SchemaObject = {
  type: 'object',
  required: ['error', 'error_description'],
  properties: {
    error: {
      type: 'string',
      enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope'],
      description: 'The OAuth 2.0 error code (RFC 6749 §5.2).',
    },
    error_description: { type: 'string', description: 'What was wrong, in words.' },
  },
  description:
    'RFC 6749’s error, with the members of a problem-details body (type, title, status, detail, instance) beside it.',
}

function oauthError(description: string, error: string, detail: string): OpenAPIV3_1.ResponseObject {
  return {
    description,
    content: {
      'application/json': {
        schema: OAUTH_ERROR,
        example: { error, error_description: detail },
      },
    },
  }
}

const TOKEN_OPERATION: OpenAPIV3_1.OperationObject = {
  tags: ['Access tokens'],
  summary: 'Get a bearer token',
  description:
    'A registered client exchanges its ID and secret for a short-lived bearer token (OAuth 2.0 client credentials, RFC 6749 §4.4), sent as `Authorization: Bearer …` to every operation. Authenticate with HTTP Basic (the client ID and secret, each form-encoded) or with `client_id` and `client_secret` in the form, never both. The token carries the scopes asked for, or all the client’s own when none are named.',
  security: [],
  requestBody: {
    required: true,
    content: {
      'application/x-www-form-urlencoded': {
        schema: {
          type: 'object',
          required: ['grant_type'],
          properties: {
            grant_type: {
              type: 'string',
              enum: ['client_credentials'],
              description: 'Always client_credentials.',
            },
            scope: {
              type: 'string',
              description:
                'The scopes wanted, separated by spaces; each must be one of the client’s. All of them when left out.',
            },
            client_id: { type: 'string', description: 'The client’s ID, when not sent with HTTP Basic.' },
            client_secret: {
              type: 'string',
              description: 'The client’s secret, when not sent with HTTP Basic.',
            },
          },
        },
        // One example, not named ones: the contract test replays named examples as JSON operations.
        example: { grant_type: 'client_credentials', scope: 'tasks:read' },
      },
    },
  },
  responses: {
    200: {
      description: 'The token, with how long it lasts and the scopes it carries.',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['access_token', 'token_type', 'expires_in', 'scope'],
            properties: {
              access_token: { type: 'string', description: 'The bearer token.' },
              token_type: { type: 'string', enum: ['Bearer'] },
              expires_in: { type: 'integer', description: 'Seconds until the token expires.' },
              scope: { type: 'string', description: 'The scopes it carries, separated by spaces.' },
            },
          },
          example: {
            access_token: 'eyJhbGciOiJFUzI1NiJ9.…',
            token_type: 'Bearer',
            expires_in: 900,
            scope: 'tasks:read',
          },
        },
      },
    },
    400: oauthError(
      'The request is not a client-credentials request, or asks for a scope the client lacks.',
      'invalid_scope',
      'The client was not granted the scope tasks:decide.',
    ),
    401: oauthError(
      'The client is unknown, revoked, or its secret is wrong.',
      'invalid_client',
      'The client ID or secret is wrong.',
    ),
  },
}

/** Replaces the token endpoint's bare entry in the document with its description. */
export function describeTokenEndpoint(document: OpenAPIV3_1.Document, tokenPath: string): void {
  const path = document.paths?.[tokenPath]
  if (path) path.post = TOKEN_OPERATION as typeof path.post
}
