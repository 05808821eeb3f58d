/**
 * Whether the database answers, for the service's health check. A database
 * that hangs counts as down: the check gives up after `timeoutMs` rather than
 * keeping a load balancer's probe waiting.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from './tables.ts'

export async function databaseResponds(db: Kysely<Tables>, timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
  })
  const answered = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  )
  try {
    return await Promise.race([answered, timedOut])
  } finally {
    clearTimeout(timer)
  }
}
