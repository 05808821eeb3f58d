/**
 * The columns of the fenced per-person subquery the compiled rules read:
 * each distinct condition (coalesced to true or false), each field value an
 * explanation shows and each list count, computed once per person however
 * many rules use it. List conditions are counted in one pre-aggregated
 * subquery per list (`count(*) filter (where …)` grouped by person), joined
 * once, never as correlated subqueries: that keeps the plan a parallel scan.
 */
import { type RawBuilder, sql } from 'kysely'
import type { IsoDate } from '../dates.ts'
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
      () =>
        sql`coalesce(${this.#countTest(sql`coalesce(${sql.ref(`${this.#listAlias(c.list)}.${this.#countKey(c)}`)}, 0)`, c.test)}, false)`,
    )
  }

  #count(c: CountCondition): string {
    const key = this.#countKey(c)
    return this.#column(
      `count:${c.list.name}:${key}`,
      'n',
      () => sql`coalesce(${sql.ref(`${this.#listAlias(c.list)}.${key}`)}, 0)`,
    )
  }

  /** The column of the list's aggregate that counts the items matching `where`. */
  #countKey(c: CountCondition): string {
    const listColumns = this.#listColumns(c.list)
    const signature = `list:${c.list.name}:${c.where ? itemSignature(c.where) : '*'}`
    const existing = this.#aliases.get(signature)
    if (existing) return existing
    const key = `k${listColumns.counts.length + 1}`
    this.#aliases.set(signature, key)
    listColumns.counts.push(
      c.where
        ? sql`count(*) filter (where ${this.#itemCondition(c.where)}) as ${sql.ref(key)}`
        : sql`count(*) as ${sql.ref(key)}`,
    )
    return key
  }

  #listAlias(list: ListDefinition): string {
    return this.#listColumns(list).alias
  }

  #listColumns(list: ListDefinition): ListColumns {
    let columns = this.#lists.get(list.name)
    if (!columns) {
      columns = { alias: `l${this.#lists.size + 1}`, list, counts: [] }
      this.#lists.set(list.name, columns)
    }
    return columns
  }

  #itemCondition(c: ItemCondition): RawBuilder<boolean> {
    switch (c.kind) {
      case 'field':
        return sql<boolean>`coalesce(${this.#test(this.#source(c.field.source, 'i'), c.field.type.kind, c.test)}, false)`
      case 'all':
      case 'any':
        return sql<boolean>`(${sql.join(
          c.conditions.map((child) => this.#itemCondition(child)),
          c.kind === 'all' ? sql` and ` : sql` or `,
        )})`
      case 'not':
        return sql<boolean>`(not ${this.#itemCondition(c.condition)})`
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
   * rules asked for; only the persons named, or listed in a table, when asked.
   */
  query(scope: PersonScope = {}): RawBuilder<unknown> {
    const only = (column: string) => {
      const ids =
        scope.personIds === undefined
          ? sql``
          : sql` and ${sql.ref(column)} = any(${textArray(scope.personIds)}::text[])`
      const listed =
        scope.personsIn === undefined
          ? sql``
          : sql` and ${sql.ref(column)} in (select person_id from ${sql.table(scope.personsIn)})`
      return sql`${ids}${listed}`
    }
    const joins = [...this.#lists.values()].map(
      ({ alias, list, counts }) => sql`left join (
        select i.person_id, ${sql.join(counts)}
        from ${sql.table(list.table)} i
        where true${only('i.person_id')}
        group by i.person_id
      ) ${sql.table(alias)} on ${sql.ref(`${alias}.person_id`)} = p.person_id`,
    )
    return sql`select p.person_id, p.rom_region, p.data_changed_at${
      this.#columns.length > 0 ? sql`, ${sql.join(this.#columns)}` : sql``
    }
      from persons p
      ${sql.join(joins, sql`\n`)}
      where p.present${only('p.person_id')}
      offset 0`
  }
}

/** Which present persons to evaluate: all of them unless narrowed. */
export interface PersonScope {
  /** Only these persons. */
  readonly personIds?: readonly string[] | undefined
  /** Only the persons listed in this table (a person_id column), such as a run's temporary table. */
  readonly personsIn?: string | undefined
}
