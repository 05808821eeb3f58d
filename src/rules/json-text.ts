/**
 * JSON built as text in SQL: fixed text (bound as parameters, adjacent
 * pieces merged into one) interleaved with SQL expressions that yield JSON
 * text, joined by one concat() per row and cast to json once.
 *
 * Why not jsonb_build_object: every nested jsonb_build_object, || and
 * jsonb_build_array converts and copies the whole tree again, which made the
 * explanation cost several times the evaluation itself. Text is appended
 * once; the json cast only checks it.
 */
import { type RawBuilder, sql } from 'kysely'

/** concat() takes at most 100 arguments: longer lists are concatenated in nested groups. */
const MAX_ARGUMENTS = 90

export class JsonText {
  readonly #pieces: (string | RawBuilder<unknown>)[] = []

  /** JSON text written as is (already valid in its place). */
  text(json: string): this {
    const last = this.#pieces.length - 1
    if (typeof this.#pieces[last] === 'string') this.#pieces[last] += json
    else this.#pieces.push(json)
    return this
  }

  /** A value known when compiling. */
  value(value: unknown): this {
    return this.text(JSON.stringify(value))
  }

  /** An SQL expression that yields JSON text (never null: use the helpers below). */
  sql(expression: RawBuilder<unknown>): this {
    this.#pieces.push(expression)
    return this
  }

  /** The JSON as an SQL json value. */
  toJson(): RawBuilder<unknown> {
    return sql`(${concat(this.#pieces.map((p) => (typeof p === 'string' ? sql`${p}::text` : p)))})::json`
  }
}

function concat(parts: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
  if (parts.length <= MAX_ARGUMENTS) return sql`concat(${sql.join(parts)})`
  const groups: RawBuilder<unknown>[] = []
  for (let i = 0; i < parts.length; i += MAX_ARGUMENTS) groups.push(concat(parts.slice(i, i + MAX_ARGUMENTS)))
  return concat(groups)
}

/** true or false for a boolean that is never null (a condition's outcome). */
export function jsonBoolean(expression: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(case when ${expression} then 'true' else 'false' end)`
}

/** A number (int, bigint or numeric), or null. */
export function jsonNumber(expression: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`coalesce((${expression})::text, 'null')`
}

/** Any value (text escaped, dates quoted, booleans), or null. */
export function jsonAny(expression: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`coalesce(to_json(${expression})::text, 'null')`
}
