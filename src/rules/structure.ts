/**
 * Checks a parsed YAML file against its zod schema and turns zod's issues
 * into problems a rule author can act on.
 *
 * A condition is a union (field test, count, all, any, not, ref), and zod
 * reports a failing union as "none of the branches matched" with every
 * branch's complaints. The key an author wrote says which kind they meant,
 * so we check the condition again with that one branch and report only its
 * complaints, at their exact paths.
 */
import type { z } from 'zod'
import { CONDITION_KINDS, conditionBranches } from './condition-schema.ts'
import { formatPath, type Path, type RuleSetProblem } from './problems.ts'
import { didYouMean } from './suggest.ts'

type Issue = z.core.$ZodIssue

const THRESHOLD_OPERATORS = new Set([
  '<',
  '<=',
  '>',
  '>=',
  'between',
  'within last days',
  'within next days',
  'more than days ago',
])
const COUNT_VALUE_OPERATORS = new Set(['equals', 'not equals', ...THRESHOLD_OPERATORS])

/** Every key the file format knows, for "did you mean" on a misspelt key. */
const KNOWN_KEYS = [
  'code',
  'name',
  'description',
  'owner',
  'policyReferences',
  'changes',
  'parameters',
  'definitions',
  'globalSafeguards',
  'safeguards',
  'eligibility',
  'priority',
  'reportingDate',
  'tests',
  'title',
  'url',
  'date',
  'author',
  'note',
  'value',
  'unit',
  'text',
  'when',
  'id',
  'references',
  'field',
  'operator',
  'parameter',
  'low',
  'high',
  'count',
  'where',
  'all',
  'any',
  'not',
  'ref',
  'weight',
  'scale',
  'upTo',
  'direction',
  'today',
  'typicalPerson',
  'cases',
  'person',
  'expect',
  'decidedBy',
]

export function checkStructure<T extends z.ZodType>(
  file: string,
  schema: T,
  input: unknown,
): { data: z.output<T> } | { problems: RuleSetProblem[] } {
  const result = schema.safeParse(input)
  if (result.success) return { data: result.data }
  const problems: RuleSetProblem[] = []
  collect(result.error.issues, input, [], file, problems)
  return { problems: dedupe(problems) }
}

function collect(
  issues: readonly Issue[],
  root: unknown,
  base: Path,
  file: string,
  out: RuleSetProblem[],
): void {
  for (const issue of issues) {
    const path: Path = [...base, ...(issue.path as (string | number)[])]
    const report = (at: Path, message: string) => out.push({ file, path: formatPath(at), message })

    if (issue.code === 'invalid_union' && issue.errors.length > 0 && isConditionPosition(path)) {
      const value = valueAt(root, path)
      const scope = path.includes('where') ? 'item' : 'person'
      const allowed =
        scope === 'item' ? CONDITION_KINDS.filter((k) => k !== 'count' && k !== 'ref') : CONDITION_KINDS
      if (!isPlainObject(value)) {
        report(
          path,
          value === undefined
            ? 'is missing'
            : `must be a condition: an object with one of ${allowed.join(', ')}`,
        )
        continue
      }
      const kinds = allowed.filter((kind) => kind in value)
      if (kinds.length === 1) {
        const branch = (conditionBranches[scope] as Record<string, z.ZodType>)[
          kinds[0] as string
        ] as z.ZodType
        const again = branch.safeParse(value)
        if (!again.success) collect(again.error.issues, root, path, file, out)
        continue
      }
      if (kinds.length > 1) {
        report(
          path,
          `a condition takes only one of ${allowed.join(', ')}, but this one has ${kinds.join(' and ')}`,
        )
        continue
      }
      const strays = Object.keys(value)
      const hint =
        strays.length > 0 ? ` (found ${strays.map((k) => `${k}${didYouMean(k, allowed)}`).join(', ')})` : ''
      report(path, `must be a condition with one of ${allowed.join(', ')}${hint}`)
      continue
    }

    if (issue.code === 'unrecognized_keys') {
      const owner = valueAt(root, path)
      for (const key of issue.keys) {
        report([...path, key], unknownKeyMessage(key, owner))
      }
      continue
    }

    if (issue.code === 'invalid_type') {
      // zod leaves the input out of the issues it returns, so look at what the file holds there.
      const value = valueAt(root, path)
      report(path, value === undefined ? 'is missing' : typeMessage(issue))
      continue
    }
    report(path, issue.message)
  }
}

/** The schema's own words for a value of the wrong type, or plain ones where it has none. */
function typeMessage(issue: Extract<Issue, { code: 'invalid_type' }>): string {
  if (!issue.message.startsWith('Invalid input')) return issue.message
  return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
  record: 'a mapping of keys to values',
}

function unknownKeyMessage(key: string, owner: unknown): string {
  const operator = isPlainObject(owner) ? owner.operator : undefined
  const isCount = isPlainObject(owner) && 'count' in owner
  if (key === 'value' && typeof operator === 'string') {
    if (THRESHOLD_OPERATORS.has(operator) || (isCount && COUNT_VALUE_OPERATORS.has(operator))) {
      return operator === 'between'
        ? 'thresholds must be named parameters: give low: and high: as parameter names, defined under parameters'
        : 'thresholds must be named parameters: write parameter: with a name defined under parameters'
    }
    return `the operator ${operator} takes no value`
  }
  if ((key === 'parameter' || key === 'low' || key === 'high') && typeof operator === 'string') {
    return `the operator ${operator} does not take ${key}`
  }
  return `is not a recognised key here${didYouMean(key, KNOWN_KEYS)}`
}

/** Where the schema expects a condition: eligibility, when, not, where, or an item of all / any. */
function isConditionPosition(path: Path): boolean {
  const last = path.at(-1)
  if (typeof last === 'number') {
    const list = path.at(-2)
    return list === 'all' || list === 'any'
  }
  return last === 'eligibility' || last === 'when' || last === 'not' || last === 'where'
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string | number, unknown>)[segment]
  }
  return value
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function dedupe(problems: RuleSetProblem[]): RuleSetProblem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
