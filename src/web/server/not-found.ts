/**
 * The one way a route answers "page not found": `notFound(why)`, alone or
 * as `?? notFound(why)` after a lookup. The error pages give the same page as
 * for an unknown URL; the reason is for the code's reader, never shown.
 * A task in a region the user may not see answers this way too, exactly
 * like one that does not exist.
 */
export class NotFoundError extends Error {
  readonly statusCode = 404
}

export function notFound(reason: string): never {
  throw new NotFoundError(reason)
}
