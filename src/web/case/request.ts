/**
 * What every case and decision route reads from the URL: the task ID (a
 * malformed one is simply a page that does not exist) and the `back` return
 * path, trusted only if it is a local path (see return-path.ts).
 */
import { z } from 'zod'
import { paths } from '../paths.ts'
import { notFound } from '../server/not-found.ts'
import { safeReturnPath } from '../server/return-path.ts'

const taskParams = z.object({
  taskId: z
    .string()
    .regex(/^[1-9]\d{0,14}$/)
    .transform(Number),
})

/** The task ID in the URL; "page not found" for a malformed one. */
export function taskIdIn(params: unknown): number {
  const parsed = taskParams.safeParse(params)
  return parsed.success ? parsed.data.taskId : notFound('not a task ID')
}

export interface BackLink {
  /** Where "Back to recommended cases" goes. */
  readonly back: string
  /** The validated value to carry on in links and forms; undefined when none (or a bad one) came. */
  readonly backParam: string | undefined
}

export function backLink(query: unknown): BackLink {
  const raw = typeof query === 'object' && query !== null ? (query as { back?: unknown }).back : undefined
  const backParam = safeReturnPath(raw)
  return { back: backParam ?? paths.reviewTasks(), backParam }
}

/** A form whose hidden fields were tampered with: the error handler shows the "bad request" page. */
export class BadRequestError extends Error {
  readonly statusCode = 400
}
