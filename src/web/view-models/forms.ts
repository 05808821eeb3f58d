/**
 * Form errors in the shapes the GOV.UK macros take: a list for the error
 * summary (each linking to its field) and a message per field. Routes collect
 * problems as `{ field, message }`; templates never assemble either shape.
 */

export interface FormProblem {
  /** The form field's name, as posted. */
  readonly field: string
  readonly message: string
}

export interface ErrorSummaryItem {
  readonly text: string
  readonly href: string
}

export interface FormErrors {
  /** For `govukErrorSummary({ errorList })`; empty when the form is fine. The layout's "Error: " title prefix keys off it. */
  readonly errors: readonly ErrorSummaryItem[]
  /** For each field's `errorMessage`; absent when the field is fine. */
  readonly fieldErrors: Readonly<Record<string, { readonly text: string }>>
}

export const NO_FORM_ERRORS: FormErrors = { errors: [], fieldErrors: {} }

/** Problems the domain reported as codes, each put into words by its function in messages.ts. */
export function inWords<Problem extends { readonly field: string }>(
  problems: readonly Problem[],
  words: (problem: Problem) => string,
): FormProblem[] {
  return problems.map((problem) => ({ field: problem.field, message: words(problem) }))
}

/**
 * @param fieldIds the HTML id of each field's input, where it differs from the
 *   field's name, so that the summary's links move focus to the right input.
 */
export function formErrors(
  problems: readonly FormProblem[],
  fieldIds: Readonly<Record<string, string>> = {},
): FormErrors {
  const fieldErrors: Record<string, { text: string }> = {}
  const errors: ErrorSummaryItem[] = []
  for (const problem of problems) {
    // One message per field: the first is the one to fix first.
    if (fieldErrors[problem.field]) continue
    fieldErrors[problem.field] = { text: problem.message }
    errors.push({ text: problem.message, href: `#${fieldIds[problem.field] ?? problem.field}` })
  }
  return { errors, fieldErrors }
}
