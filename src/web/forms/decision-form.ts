/**
 * A decision as the decision pages' form posts it: the task version the
 * caseworker saw (a hidden field), the reasons ticked, the details or note
 * typed and the confirmation box, and the decision the service is asked for.
 */
import { z } from 'zod'
import type { Decision } from '../../tasks/decisions.ts'
import type { DecisionAction } from '../case/sections.ts'
import type { DecisionInput } from '../view-models/decisions.ts'

const text = z.string().optional().default('')
const oneOrMany = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))

/**
 * The posted form. The version is a hidden field: anything but a whole
 * number means the page was tampered with, which is a bad request rather
 * than something the user can fix on the form.
 */
const decisionForm = z.object({
  version: z
    .string()
    .regex(/^[1-9]\d{0,8}$/)
    .transform(Number),
  reasons: oneOrMany,
  details: text,
  note: text,
  acceptNote: text,
  checksConfirmed: z.string().optional(),
  decideAnyway: z.string().optional(),
})

export interface PostedDecision {
  /** The task version the caseworker saw. */
  readonly version: number
  /** What they entered, to show again if the decision is refused. */
  readonly input: DecisionInput
}

/** The posted form; undefined when a hidden field is missing or malformed. */
export function readDecisionForm(body: unknown): PostedDecision | undefined {
  const form = decisionForm.safeParse(body ?? {})
  if (!form.success) return undefined
  return {
    version: form.data.version,
    input: {
      reasons: form.data.reasons,
      details: form.data.details,
      note: form.data.note,
      acceptNote: form.data.acceptNote,
      checksConfirmed: form.data.checksConfirmed === 'yes',
      decideAnyway: form.data.decideAnyway === 'yes',
    },
  }
}

export function decisionFrom(action: DecisionAction, input: DecisionInput): Decision {
  switch (action) {
    case 'accept':
      // The service checks the confirmation again; an unticked box arrives as absent.
      return { status: 'ACCEPTED', checksConfirmed: input.checksConfirmed as true, note: input.acceptNote }
    case 'reject':
      return {
        status: 'REJECTED',
        reasons: input.reasons,
        details: input.details,
        checksConfirmed: input.checksConfirmed as true,
      }
    case 'hold':
      return { status: 'ON_HOLD', note: input.note }
  }
}
