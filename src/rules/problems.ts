/**
 * What is wrong with a rule set, said so that a rule author can fix it
 * without reading code: the file, where in it (`eligibility.all[2].field`)
 * and what is wrong.
 */
export interface RuleSetProblem {
  readonly file: string
  readonly path: string
  readonly message: string
}

export type Path = readonly (string | number)[]

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `eligibility.all[2].field`; keys that are not plain names are quoted: `person["reporting.nextDates[0]"]`. */
export function formatPath(path: Path): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`
    else text += `[${JSON.stringify(segment)}]`
  }
  return text
}

export function formatProblem(problem: RuleSetProblem): string {
  return problem.path === ''
    ? `${problem.file}: ${problem.message}`
    : `${problem.file}: ${problem.path}: ${problem.message}`
}

/** A rule set that cannot be used. The message lists every problem, one per line. */
export class RuleSetError extends Error {
  readonly problems: readonly RuleSetProblem[]

  constructor(problems: readonly RuleSetProblem[]) {
    super(problems.map(formatProblem).join('\n'))
    this.name = 'RuleSetError'
    this.problems = problems
  }
}
