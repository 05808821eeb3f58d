/**
 * A PostgreSQL client that prepares the statements the service sends again
 * and again (a page's queries, with their values bound), so the server
 * parses and plans each of them once per connection rather than on every
 * request. Planning was half the server's work for a results or case page
 * (about 1.2 ms of 2.5 for the list of tasks); a prepared statement is
 * planned afresh only while PostgreSQL judges a custom plan worth it.
 *
 * Only what Kysely sends as text with parameters is prepared: SELECT, WITH,
 * INSERT, UPDATE and DELETE up to MAX_TEXT characters. Statements without
 * parameters (BEGIN, COMMIT, SET), DDL, cursors, COPY and the compiled rule
 * set (one very long statement per run) go as before. A connection holds at
 * most MAX_STATEMENTS; past that it sends the rest unprepared rather than
 * grow without end.
 *
 * A migration that runs while this process does is safe: PostgreSQL analyses
 * a statement prepared through the protocol again when a table it reads
 * changes, `select *` included (test/integration/prepared-statements.test.ts).
 */
import { createHash } from 'node:crypto'
import pg from 'pg'

/** Longer statements are one-off work (a rule run), not a page's queries. */
export const MAX_TEXT = 10_000
/** The statements one connection keeps prepared, at most. */
export const MAX_STATEMENTS = 500

const PREPARABLE = /^\s*(select|with|insert|update|delete)\b/i

/** Whether a statement is worth preparing: what a page sends, with values bound. */
export function isPreparable(text: string, values: unknown): boolean {
  return Array.isArray(values) && values.length > 0 && text.length <= MAX_TEXT && PREPARABLE.test(text)
}

export class PreparingClient extends pg.Client {
  /** The statements this connection has prepared: text → name. */
  readonly #prepared = new Map<string, string>()

  // pg's query() has many overloads; only Kysely's form (text, values) is changed.
  // biome-ignore lint/suspicious/noExplicitAny: forwards pg's own overloads untouched
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config !== 'string' || typeof callback === 'function' || !isPreparable(config, values)) {
      return super.query(config, values, callback)
    }
    const name = this.#nameFor(config)
    return name === undefined ? super.query(config, values) : super.query({ name, text: config, values })
  }

  /** The statement's name, or undefined when this connection may prepare no more. */
  #nameFor(text: string): string | undefined {
    const known = this.#prepared.get(text)
    if (known !== undefined) return known
    if (this.#prepared.size >= MAX_STATEMENTS) return undefined
    // The same text always gets the same name, which pg requires of a name; hashed once, not on every query.
    const name = `ipic_${createHash('sha1').update(text).digest('base64url')}`
    this.#prepared.set(text, name)
    return name
  }
}
