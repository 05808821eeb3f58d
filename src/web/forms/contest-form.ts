/**
 * The contest forms as posted: recording representations (a GOV.UK date
 * input, two radios, a summary and whom to assign it to) and recording a
 * review's outcome (the outcome, reasons, and for a change the task version
 * the reviewer saw, the rejection reasons and the checks confirmation).
 * Fields a user fills in arrive as text, whatever they are; only a
 * tampered hidden field is a bad request.
 */
import { z } from 'zod'
import type { ContestInput } from '../../tasks/contest-input.ts'
import type { OutcomeInput } from '../../tasks/contests.ts'

const text = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')))
const oneOrMany = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))

const contestForm = z.object({
  'receivedOn-day': text,
  'receivedOn-month': text,
  'receivedOn-year': text,
  channel: text,
  madeBy: text,
  summary: text,
  assignTo: text,
})

export function readContestForm(body: unknown): ContestInput {
  const form = contestForm.parse(body ?? {})
  return {
    receivedOn: {
      day: form['receivedOn-day'],
      month: form['receivedOn-month'],
      year: form['receivedOn-year'],
    },
    channel: form.channel,
    madeBy: form.madeBy,
    summary: form.summary,
    assignTo: form.assignTo,
  }
}

const outcomeForm = z.object({
  version: z
    .string()
    .regex(/^[1-9]\d{0,8}$/)
    .transform(Number),
  outcome: text,
  reasons: text,
  rejectionReasons: oneOrMany,
  checksConfirmed: text,
})

/** The posted outcome; undefined when the hidden version is missing or malformed. */
export function readOutcomeForm(body: unknown): OutcomeInput | undefined {
  const form = outcomeForm.safeParse(body ?? {})
  if (!form.success) return undefined
  return {
    outcome: form.data.outcome,
    reasons: form.data.reasons,
    taskVersion: form.data.version,
    rejectionReasons: form.data.rejectionReasons,
    checksConfirmed: form.data.checksConfirmed === 'yes',
  }
}
