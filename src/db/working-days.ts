/**
 * The working days calendar (migration 0021): every Monday to Friday from
 * FIRST_YEAR to LAST_YEAR that is not a bank holiday, numbered in order, so
 * that SQL can count working days with two index lookups ("the 10th working
 * day after the day of the recommendation"). Rewritten whole with the
 * reference data: a few thousand rows.
 *
 * DUE_DATE is a task's due date in SQL (src/review/due-dates.ts says what it
 * means); it lives with the calendar it reads so that the review lists and
 * the MI dashboard ask the same question the same way.
 */
import { sql, type Transaction } from 'kysely'
import { addDays, type IsoDate } from '../dates.ts'
import type { Tables } from './tables.ts'

export const FIRST_YEAR = 2020
export const LAST_YEAR = 2040

/** The working days from FIRST_YEAR to LAST_YEAR, in order. */
export function workingDays(bankHolidays: ReadonlySet<string>): IsoDate[] {
  const days: IsoDate[] = []
  const last = `${LAST_YEAR}-12-31` as IsoDate
  for (let day = `${FIRST_YEAR}-01-01` as IsoDate; day <= last; day = addDays(day, 1)) {
    // Noon UTC names the same weekday as the date itself, whatever the zone.
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay()
    if (weekday !== 0 && weekday !== 6 && !bankHolidays.has(day)) days.push(day)
  }
  return days
}

export async function writeWorkingDays(
  trx: Transaction<Tables>,
  bankHolidays: readonly string[],
): Promise<void> {
  const days = workingDays(new Set(bankHolidays))
  await sql`delete from working_days`.execute(trx)
  for (let start = 0; start < days.length; start += 1000) {
    await trx
      .insertInto('working_days')
      .values(days.slice(start, start + 1000).map((day, n) => ({ day, ordinal: start + n + 1 })))
      .execute()
  }
}

/** Today and this many working days after it are "due soon". */
export const DUE_SOON_WORKING_DAYS = 2

/**
 * The due date of alias t's task, as SQL (a date, or null when it cannot be worked out).
 *
 * The last working day on or before a date is found by the day's own index,
 * newest first, one row read. (Ordinals grow with the days, so this is the
 * greatest ordinal too; but "max(ordinal) where day <= …" made the planner
 * walk the ordinal index back from the last day on record, thousands of rows
 * for every task on a page: 4 ms a row, 0.4 s a results page.)
 */
export const DUE_DATE = sql<IsoDate | null>`(
  select least(
    (select w.day from working_days w
      where w.ordinal = (select s.ordinal from working_days s
                         where s.day <= (t.created_at at time zone 'Europe/London')::date
                         order by s.day desc limit 1)
                        + tt.decide_within_working_days),
    case when tt.decide_before_reporting_date
      then (select max(b.day) from working_days b where b.day < t.reporting_date) end)
  from task_types tt where tt.code = t.task_type)`

/** The last day that is "due soon" from `today`, as SQL. */
export function dueSoonUntil(today: IsoDate) {
  return sql<IsoDate | null>`(select w.day from working_days w
    where w.ordinal = (select s.ordinal from working_days s where s.day <= ${today}::date order by s.day desc limit 1)
                      + ${DUE_SOON_WORKING_DAYS})`
}
