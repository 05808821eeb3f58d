/**
 * Instants in words, the GOV.UK way: "2:05pm on 25 July 2018", always in
 * Europe/London whatever the server's time zone.
 */
import { londonDateOf } from '../clock.ts'
import { formatLongDate } from '../dates.ts'

const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
})

/** "2:05pm" */
export function formatTime(instant: Date): string {
  return londonTime.format(instant).replace(/\s/g, '').toLowerCase()
}

/** "2:05pm on 25 July 2018" */
export function formatTimeOnDate(instant: Date): string {
  return `${formatTime(instant)} on ${formatLongDate(londonDateOf(instant))}`
}
