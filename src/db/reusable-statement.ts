/**
 * A statement built with the query builder once for each shape, then bound
 * with each call's values, instead of built and compiled again on every
 * call. For a page's hot statements: building and compiling the case
 * page's opening statement (review/open-case.ts) cost about 0.15 ms of
 * server CPU a page, and allocated the objects a collection then had to
 * sweep. The server still prepares the text once per connection
 * (prepared-client.ts); this saves the work before it.
 *
 * `build` gets the shape, and stand-ins for the values that it may only put
 * into the statement as values: it must not read, compare or compute with
 * them (what it would branch on belongs in the shape). A stand-in that does
 * not reach the statement's parameters is refused when the shape is first
 * built.
 */
import { type Compilable, CompiledQuery, type Kysely } from 'kysely'

/** Stands for the call's value at `index` while a statement is built. */
class StandIn {
  readonly index: number
  constructor(index: number) {
    this.index = index
  }
}

export class ReusableStatement<DB, Values extends readonly unknown[], Row> {
  readonly #build: (db: Kysely<DB>, values: Values, shape: string) => Compilable<Row>
  /** Per database (each compiles with its own dialect), per shape. */
  readonly #compiled = new WeakMap<object, Map<string, CompiledQuery<Row>>>()

  constructor(build: (db: Kysely<DB>, values: Values, shape: string) => Compilable<Row>) {
    this.#build = build
  }

  /**
   * The statement of `shape` with `values` bound; every call with the same
   * shape must give as many values, in the same order.
   */
  bind(db: Kysely<DB>, shape: string, values: Values): CompiledQuery<Row> {
    let shapes = this.#compiled.get(db)
    if (!shapes) {
      shapes = new Map()
      this.#compiled.set(db, shapes)
    }
    let compiled = shapes.get(shape)
    if (!compiled) {
      const standIns = values.map((_, index) => new StandIn(index)) as unknown as Values
      compiled = this.#build(db, standIns, shape).compile()
      const bound = new Set(compiled.parameters.flatMap((p) => (p instanceof StandIn ? [p.index] : [])))
      if (bound.size !== values.length) {
        throw new Error(`a reusable statement binds ${bound.size} of its ${values.length} values`)
      }
      shapes.set(shape, compiled)
    }
    const parameters = compiled.parameters.map((p) => (p instanceof StandIn ? values[p.index] : p))
    return CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<Row>
  }
}
