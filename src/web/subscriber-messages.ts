/**
 * The words of the Event subscribers page and `ipic subscribers`: each
 * event type, and each problem with a subscriber or a replay.
 */
import type { EventType } from '../events/event-types.ts'
import type { SubscriberProblem } from '../events/subscribers.ts'

export const EVENT_TYPE_WORDS: Readonly<Record<EventType, string>> = {
  'task.recommended': 'Recommended by the rules',
  'task.accepted': 'Accepted',
  'task.rejected': 'Rejected',
  'task.held': 'Placed on hold',
  'task.withdrawn': 'Withdrawn by the rules',
  'task.contested': 'Contested (representations recorded)',
  'task.contest-decided': 'Contest decided (upheld or changed)',
}

export function subscriberProblemMessage(problem: SubscriberProblem | ReplayProblem): string {
  switch (problem.code) {
    case 'required':
      return 'Enter the URL the events are sent to'
    case 'tooLong':
      return problem.field === 'url'
        ? `The URL must be ${problem.params.maxLength} characters or fewer`
        : `The name must be ${problem.params.maxLength} characters or fewer`
    case 'invalid':
      return 'Enter a URL in the right format, like https://cms.example.org/ipic-events'
    case 'notHttp':
      return `The URL must start with https:// or http:// (not ${problem.params.scheme}:)`
    case 'credentials':
      return 'The URL must not include a user name or password'
    case 'pointsAtService':
      return 'The URL must not point at this service itself: enter the address of the system that receives the events'
    case 'resolvesToService':
      return `The URL must not point at this service itself: ${problem.params.host} resolves to ${problem.params.address}, this machine. Enter the address of the system that receives the events`
    case 'unknownEventType':
      return 'Select the events to send from the list'
    case 'replayDateMissing':
      return 'Enter the date to replay from'
    case 'replayDateInvalid':
      return 'The date to replay from must be a real date, like 27 3 2026'
    case 'replayTimeInvalid':
      return 'Enter the time as hours and minutes on the 24-hour clock, like 09:30 or 17:05'
    case 'replayInFuture':
      return 'The date and time to replay from must be in the past'
  }
}

/** What can be wrong with a replay's date and time (web/forms/subscriber-form.ts). */
export type ReplayProblem =
  | { readonly field: 'from'; readonly code: 'replayDateMissing' | 'replayDateInvalid' | 'replayInFuture' }
  | { readonly field: 'time'; readonly code: 'replayTimeInvalid' }
