/**
 * Dates by whole days from one fixed "today", remembered once worked out.
 * A synthetic extract asks for the same few thousand dates millions of times
 * (dates of birth, reporting events, barriers); converting each through a
 * JavaScript Date would cost more than generating the rest of the record.
 */
import { addDays, type IsoDate } from '../../dates.ts'

export class Calendar {
  readonly today: IsoDate
  readonly #past: IsoDate[] = []
  readonly #future: IsoDate[] = []
  /** 0 = Sunday … 6 = Saturday. */
  readonly #todayWeekday: number

  constructor(today: IsoDate) {
    this.today = today
    this.#todayWeekday = new Date(`${today}T00:00:00Z`).getUTCDay()
  }

  /** The date `offset` days from today (negative: in the past). */
  on(offset: number): IsoDate {
    const memo = offset < 0 ? this.#past : this.#future
    const index = Math.abs(offset)
    let date = memo[index]
    if (date === undefined) {
      date = addDays(this.today, offset)
      memo[index] = date
    }
    return date
  }

  /** The day of the week `offset` days from today: 0 = Sunday … 6 = Saturday. */
  weekdayOf(offset: number): number {
    return (((this.#todayWeekday + offset) % 7) + 7) % 7
  }
}
