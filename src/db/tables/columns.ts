/**
 * How the tables' columns look to Kysely on both databases: dates are ISO
 * strings, timestamps Dates (written as Dates or strings), and a column
 * with a default may be left out of an insert.
 */
import type { ColumnType } from 'kysely'

export type IsoDateColumn = string
export type Timestamp = ColumnType<Date, Date | string, Date | string>
export type WithDefault<T> = ColumnType<T, T | undefined, T>
