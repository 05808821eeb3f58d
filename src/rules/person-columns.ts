/**
 * The columns of the fenced per-person subquery the compiled rules read:
 * each distinct condition (coalesced to true or false), each field value an
 * explanation shows and each list count, computed once per person however
 * many rules use it. Everything is read from the person's one row of
 * `person_facts` (docs/decisions/0024-person-facts.md): person fields from
 * its columns, a list's size from its count, and a count `where` … from one
 * lateral aggregate per list over only the item arrays the conditions read.
 */
import { type RawBuilder, sql } from 'kysely'
import type { IsoDate } from '../dates.ts'
import { listArrayColumn, listCountColumn } from '../db/person-facts.ts'
import type { FieldKind, FieldSource, ListDefinition, PersonField } from './field-types.ts'
import type {
  Condition,
  CountCondition,
  CountTest,
  FieldCondition,
  FieldTest,
  ItemCondition,
} from './model.ts'
import { itemSignature } from './outline.ts'

const CAST: Readonly<Record<FieldKind, RawBuilder<unknown>>> = {
  boolean: sql.raw('boolean'),
  number: sql.raw('int'),
  date: sql.raw('date'),
  code: sql.raw('text'),
  text: sql.raw('text'),
}

/** A PostgreSQL array literal of texts, bound as one parameter (drivers differ in how they send JS arrays). */
export function textArray(values: readonly unknown[]): string {
  return `{${values.map((v) => `"${String(v).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
}

interface ListColumns {
  readonly alias: string
  readonly list: ListDefinition
  readonly counts: RawBuilder<unknown>[]
  /** The item columns the counts' conditions read: only their arrays are unnested. */
  readonly itemColumns: Set<string>
}

/**
 * The columns of the fenced subquery: each distinct condition, field value
 * and list count once, however many rules use it.
 */
export class PersonColumns {
  readonly #today: IsoDate
  readonly #columns: RawBuilder<unknown>[] = []
  readonly #aliases = new Map<string, string>()
  readonly #lists = new Map<string, ListColumns>()

  constructor(today: IsoDate) {
    this.#today = today
  }

  /**
   * Whether a condition held: a column for a leaf, a boolean expression over
   * columns for all / any / not. Column names are unqualified (c1, v2, n3 …,
   * which no table uses) so the same expression reads the fenced subquery at
   * any level above it.
   */
  held(c: Condition): RawBuilder<boolean> {
    switch (c.kind) {
      case 'field':
      case 'count':
        return sql<boolean>`${sql.ref(this.#leaf(c))}`
      case 'all':
      case 'any':
        return sql<boolean>`(${sql.join(
          c.conditions.map((child) => this.held(child)),
          c.kind === 'all' ? sql` and ` : sql` or `,
        )})`
      case 'not':
        return sql<boolean>`(not ${this.held(c.condition)})`
    }
  }

  /** The person's value behind a leaf: the field's value, or the number of matching items. */
  actual(c: FieldCondition | CountCondition): RawBuilder<unknown> {
    return sql`${sql.ref(c.kind === 'field' ? this.value(c.field) : this.#count(c))}`
  }

  /** The alias of a column holding a field's value. */
  value(field: PersonField): string {
    return this.#column(`value:${field.name}`, 'v', () => this.#source(field.source, 'p'))
  }

  #leaf(c: FieldCondition | CountCondition): string {
    if (c.kind === 'field') {
      return this.#column(
        `field:${c.field.name}:${JSON.stringify(c.test)}`,
        'c',
        () =>
          sql`coalesce(${this.#test(this.#source(c.field.source, 'p'), c.field.type.kind, c.test)}, false)`,
      )
    }
    const count = this.#count(c)
    return this.#column(
      `count:${count}:${JSON.stringify(c.test)}`,
      'c',
      () => sql`coalesce(${this.#countTest(this.#itemCount(c), c.test)}, false)`,
    )
  }

  #count(c: CountCondition): string {
    const signature = c.where ? itemSignature(c.where) : '*'
    return this.#column(`count:${c.list.name}:${signature}`, 'n', () => this.#itemCount(c))
  }

  /**
   * How many of the person's items match `where`: the list's count when
   * there is no `where`, else a column of the list's lateral aggregate.
   */
  #itemCount(c: CountCondition): RawBuilder<unknown> {
    if (!c.where) return sql`${sql.ref(`p.${listCountColumn(c.list.table)}`)}`
    const listColumns = this.#listColumns(c.list)
    const signature = `list:${c.list.name}:${itemSignature(c.where)}`
    let key = this.#aliases.get(signature)
    if (!key) {
      key = `k${listColumns.counts.length + 1}`
      this.#aliases.set(signature, key)
      listColumns.counts.push(
        sql`count(*) filter (where ${this.#itemCondition(c.where, listColumns.itemColumns)}) as ${sql.ref(key)}`,
      )
    }
    return sql`coalesce(${sql.ref(`${listColumns.alias}.${key}`)}, 0)`
  }

  #listColumns(list: ListDefinition): ListColumns {
    let columns = this.#lists.get(list.name)
    if (!columns) {
      columns = { alias: `l${this.#lists.size + 1}`, list, counts: [], itemColumns: new Set() }
      this.#lists.set(list.name, columns)
    }
    return columns
  }

  /** An item condition over `i`, one row of the unnested arrays; notes the item columns it reads. */
  #itemCondition(c: ItemCondition, reads: Set<string>): RawBuilder<boolean> {
    switch (c.kind) {
      case 'field':
        reads.add(c.field.source.column)
        return sql<boolean>`coalesce(${this.#test(this.#source(c.field.source, 'i'), c.field.type.kind, c.test)}, false)`
      case 'all':
      case 'any':
        return sql<boolean>`(${sql.join(
          c.conditions.map((child) => this.#itemCondition(child, reads)),
          c.kind === 'all' ? sql` and ` : sql` or `,
        )})`
      case 'not':
        return sql<boolean>`(not ${this.#itemCondition(c.condition, reads)})`
    }
  }

  #column(key: string, prefix: string, expression: () => RawBuilder<unknown>): string {
    const existing = this.#aliases.get(key)
    if (existing) return existing
    const alias = `${prefix}${this.#aliases.size + 1}`
    this.#aliases.set(key, alias)
    this.#columns.push(sql`${expression()} as ${sql.ref(alias)}`)
    return alias
  }

  #todayDate(): RawBuilder<unknown> {
    return sql`${this.#today}::date`
  }

  #source(source: FieldSource<string>, table: 'p' | 'i'): RawBuilder<unknown> {
    const column = sql.ref(`${table}.${source.column}`)
    switch (source.kind) {
      case 'column':
        return column
      case 'yearsSince':
        return sql`date_part('year', age(${this.#todayDate()}, ${column}))::int`
      case 'daysSince':
        return sql`(${this.#todayDate()} - ${column})`
      case 'daysUntil':
        return sql`(${column} - ${this.#todayDate()})`
      case 'isNull':
        return sql`(${column} is null)`
    }
  }

  #test(x: RawBuilder<unknown>, kind: FieldKind, test: FieldTest): RawBuilder<boolean> {
    const bind = (value: unknown) => sql`${value}::${CAST[kind]}`
    const today = () => this.#todayDate()
    switch (test.operator) {
      case 'equals':
        return sql`${x} = ${test.operand.value === 'today' && kind === 'date' ? today() : bind(test.operand.value)}`
      case 'not equals':
        return sql`${x} <> ${test.operand.value === 'today' && kind === 'date' ? today() : bind(test.operand.value)}`
      case 'in':
        return sql`${x} = any(${textArray(test.operand.value)}::${CAST[kind]}[])`
      case 'not in':
        return sql`${x} <> all(${textArray(test.operand.value)}::${CAST[kind]}[])`
      case '<':
        return sql`${x} < ${bind(test.operand.value)}`
      case '<=':
        return sql`${x} <= ${bind(test.operand.value)}`
      case '>':
        return sql`${x} > ${bind(test.operand.value)}`
      case '>=':
        return sql`${x} >= ${bind(test.operand.value)}`
      case 'between':
        return sql`${x} between ${bind(test.low.value)} and ${bind(test.high.value)}`
      case 'is set':
        return sql`${x} is not null`
      case 'is not set':
        return sql`${x} is null`
      case 'before':
        return sql`${x} < ${test.operand.value === 'today' ? today() : bind(test.operand.value)}`
      case 'after':
        return sql`${x} > ${test.operand.value === 'today' ? today() : bind(test.operand.value)}`
      case 'within last days':
        return sql`${x} between ${today()} - ${test.operand.value}::int and ${today()}`
      case 'within next days':
        return sql`${x} between ${today()} and ${today()} + ${test.operand.value}::int`
      case 'more than days ago':
        return sql`${x} < ${today()} - ${test.operand.value}::int`
    }
  }

  #countTest(n: RawBuilder<unknown>, test: CountTest): RawBuilder<boolean> {
    switch (test.operator) {
      case 'some':
        return sql`${n} > 0`
      case 'none':
        return sql`${n} = 0`
      case 'equals':
        return sql`${n} = ${test.operand.value}::int`
      case 'not equals':
        return sql`${n} <> ${test.operand.value}::int`
      case '<':
        return sql`${n} < ${test.operand.value}::int`
      case '<=':
        return sql`${n} <= ${test.operand.value}::int`
      case '>':
        return sql`${n} > ${test.operand.value}::int`
      case '>=':
        return sql`${n} >= ${test.operand.value}::int`
      case 'between':
        return sql`${n} between ${test.low.value}::int and ${test.high.value}::int`
    }
  }

  /**
   * The fenced subquery: one row per present person with every column the
   * rules asked for, read from `person_facts` alone; only the persons named,
   * or listed in a table, when asked. A list counted with a `where` is one
   * lateral aggregate over the arrays its conditions read, skipped for a
   * person with no items of it.
   */
  query(scope: PersonScope = {}): RawBuilder<unknown> {
    const ids =
      scope.personIds === undefined
        ? sql``
        : sql` and p.person_id = any(${textArray(scope.personIds)}::text[])`
    const listed =
      scope.personsIn === undefined
        ? sql``
        : sql` and p.person_id in (select person_id from ${sql.table(scope.personsIn)})`
    const joins = [...this.#lists.values()].map(({ alias, list, counts, itemColumns }) => {
      const columns = [...itemColumns]
      return sql`left join lateral (
        select ${sql.join(counts)}
        from unnest(${sql.join(columns.map((column) => sql.ref(`p.${listArrayColumn(list.table, column)}`)))})
          as i(${sql.join(columns.map((column) => sql.ref(column)))})
        where ${sql.ref(`p.${listCountColumn(list.table)}`)} > 0
      ) ${sql.table(alias)} on true`
    })
    // One version's facts, as kept when a task was recommended: present or not, as it was then.
    const source =
      scope.factsVersion === undefined
        ? sql`person_facts p`
        : sql`(select * from person_facts_history where facts_version = ${scope.factsVersion}::bigint) p`
    const present = scope.factsVersion === undefined ? sql`p.present` : sql`true`
    return sql`select p.person_id, p.facts_version, p.rom_region, p.data_changed_at${
      this.#columns.length > 0 ? sql`, ${sql.join(this.#columns)}` : sql``
    }
      from ${source}
      ${sql.join(joins, sql`\n`)}
      where ${present}${ids}${listed}
      offset 0`
  }
}

/** Which present persons to evaluate: all of them unless narrowed. */
export interface PersonScope {
  /** Only these persons. */
  readonly personIds?: readonly string[] | undefined
  /** Only the persons listed in this table (a person_id column), such as a run's temporary table. */
  readonly personsIn?: string | undefined
  /** The facts of this version (person_facts_history) instead of every present person's current ones. */
  readonly factsVersion?: string | undefined
}
