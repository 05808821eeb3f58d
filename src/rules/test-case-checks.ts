/**
 * A rule file's own test cases, checked and made ready to run: each test
 * person's fields and values against the catalogue, each `decidedBy`
 * against the safeguards and conditions that could decide, and each case's
 * person completed from the file's typical person. A rule that applies the
 * global safeguards runs the global file's cases too, from its own typical
 * person.
 *
 * Turning a test person into rows is test-person.ts; running cases is
 * testing.ts.
 */
import type { IsoDate } from '../dates.ts'
import { unknownFieldProblem, valueProblem } from './field-checks.ts'
import type { ItemField, ListDefinition, PersonField } from './field-types.ts'
import { findField, lists, personFields } from './fields.ts'
import type { FileScope } from './file-scope.ts'
import {
  type Condition,
  DEFAULT_TEST_TODAY,
  type RuleTestCase,
  type Safeguard,
  type TestPerson,
  type TestValue,
  type Tree,
} from './model.ts'
import { formatPath, type Path } from './problems.ts'
import type { RawGlobalSafeguardsFile, RawRuleFile } from './rule-file-schema.ts'
import { didYouMean } from './suggest.ts'
import type { RawTestCase, RawTestPerson } from './test-case-schema.ts'

/** The global safeguards' test cases, checked once and run against every rule that applies them. */
export interface GlobalTestCases {
  readonly file: string
  readonly today: IsoDate | undefined
  readonly cases: readonly RawTestCase[]
  /** Each case's changes to the typical person; undefined where they had problems (already reported). */
  readonly persons: readonly (TestPerson | undefined)[]
}

/** The conditions a rule's test case may name as deciding it. */
export interface Deciders {
  readonly safeguards: readonly Safeguard[]
  readonly eligibility: readonly Condition[]
}

const EMPTY_PERSON: TestPerson = { fields: {}, lists: {} }

export function checkGlobalTestCases(
  tests: RawGlobalSafeguardsFile['tests'],
  safeguardIds: ReadonlySet<string>,
  scope: FileScope,
): GlobalTestCases {
  const persons = tests.cases.map((c, i) => {
    const path: Path = ['tests', 'cases', i]
    if (c.decidedBy !== undefined && !safeguardIds.has(c.decidedBy)) {
      scope.report(
        [...path, 'decidedBy'],
        `${c.decidedBy} is not a global safeguard${didYouMean(c.decidedBy, safeguardIds)}`,
      )
    }
    return checkTestPerson(c.person, scope, [...path, 'person'])
  })
  return { file: scope.file, today: tests.today as IsoDate | undefined, cases: tests.cases, persons }
}

/**
 * The rule's test cases, then the global ones it applies. `deciders` is
 * undefined when some safeguard or condition failed to load: a case naming
 * it would report the same mistake twice.
 */
export function ruleTestCases(
  tests: RawRuleFile['tests'],
  scope: FileScope,
  deciders: Deciders | undefined,
  global: GlobalTestCases | undefined,
): RuleTestCase[] {
  const today = (tests.today as IsoDate | undefined) ?? DEFAULT_TEST_TODAY
  const typical = checkTestPerson(tests.typicalPerson, scope, ['tests', 'typicalPerson']) ?? EMPTY_PERSON
  const known = deciders && conditionIds(deciders.eligibility, new Set(deciders.safeguards.map((s) => s.id)))
  const cases: RuleTestCase[] = tests.cases.map((c, i) => {
    const path: Path = ['tests', 'cases', i]
    if (known && c.decidedBy !== undefined && !known.has(c.decidedBy)) {
      scope.report(
        [...path, 'decidedBy'],
        `${c.decidedBy} is not a safeguard or condition of this rule${didYouMean(c.decidedBy, known)}`,
      )
    }
    const changes = checkTestPerson(c.person, scope, [...path, 'person']) ?? EMPTY_PERSON
    return runnable(c, scope.file, path, today, mergeTestPersons(typical, changes))
  })
  global?.cases.forEach((c, i) => {
    const person = mergeTestPersons(typical, global.persons[i] ?? EMPTY_PERSON)
    cases.push(runnable(c, global.file, ['tests', 'cases', i], global.today ?? today, person))
  })
  return cases
}

/** A case as the rule-test runner takes it: where it is written, its date and its whole person. */
function runnable(
  c: RawTestCase,
  file: string,
  path: Path,
  today: IsoDate,
  person: TestPerson,
): RuleTestCase {
  return {
    name: c.name,
    file,
    path: formatPath(path),
    today,
    person,
    expect: c.expect,
    decidedBy: c.decidedBy,
    priority: c.priority,
  }
}

/** The ids a test case may name as deciding: safeguards and every condition node. */
function conditionIds(conditions: readonly Tree<unknown>[], into: Set<string>): Set<string> {
  for (const c of conditions as readonly Condition[]) {
    into.add(c.id)
    if (c.kind === 'all' || c.kind === 'any') conditionIds(c.conditions, into)
    if (c.kind === 'not') conditionIds([c.condition], into)
  }
  return into
}

/** A test person's fields and lists, or undefined when any of them had a problem (each reported). */
function checkTestPerson(
  raw: RawTestPerson | undefined,
  scope: FileScope,
  path: Path,
): TestPerson | undefined {
  const fields: Record<string, TestValue> = {}
  const listsOut: Record<string, Record<string, TestValue>[]> = {}
  let ok = true
  const bad = (at: Path, message: string) => {
    scope.report(at, message)
    ok = false
  }
  const personColumns = new ColumnsSet(bad)
  for (const [key, value] of Object.entries(raw ?? {})) {
    const at = [...path, key]
    const list = lists.get(key)
    if (list) {
      if (Array.isArray(value)) listsOut[key] = value.map((item, i) => checkItem(item, list, [...at, i], bad))
      else bad(at, `${key} is a list: give a list of ${list.pluralLabel} (or [] for none)`)
      continue
    }
    const field = personFields.get(key)
    if (!field) bad(at, unknownFieldProblem(key, undefined, lists.keys()))
    else if (Array.isArray(value)) bad(at, `${key} is a single value, not a list`)
    else {
      checkValue(value, field, key, at, personColumns, bad)
      fields[key] = value
    }
  }
  return ok ? { fields, lists: listsOut } : undefined
}

function checkItem(
  item: Record<string, TestValue>,
  list: ListDefinition,
  path: Path,
  bad: (at: Path, message: string) => void,
): Record<string, TestValue> {
  const columns = new ColumnsSet(bad)
  for (const [name, value] of Object.entries(item)) {
    const field = list.fields.get(name)
    if (field) checkValue(value, field, name, [...path, name], columns, bad)
    else bad([...path, name], unknownFieldProblem(name, list))
  }
  return item
}

function checkValue(
  value: TestValue,
  field: PersonField | ItemField,
  name: string,
  at: Path,
  columns: ColumnsSet,
  bad: (at: Path, message: string) => void,
): void {
  const problem = valueProblem(value, field, 'test person')
  if (problem) bad(at, problem)
  columns.set(field, name, at)
}

/**
 * The record fields a test person sets. Two names read from one column
 * (person.age and person.dateOfBirth) would leave it unclear which value the
 * test means.
 */
class ColumnsSet {
  readonly #setBy = new Map<string, string>()
  readonly #bad: (at: Path, message: string) => void

  constructor(bad: (at: Path, message: string) => void) {
    this.#bad = bad
  }

  set(field: PersonField | ItemField, name: string, at: Path): void {
    const other = this.#setBy.get(field.source.column)
    if (other) this.#bad(at, `sets both ${other} and ${name}, which are the same record field: give one`)
    this.#setBy.set(field.source.column, name)
  }
}

/** The typical person with a case's changes: a changed field replaces every field read from the same column. */
function mergeTestPersons(typical: TestPerson, changes: TestPerson): TestPerson {
  const columnOf = (name: string) => (findField(name) as PersonField).source.column
  const changedColumns = new Set(Object.keys(changes.fields).map(columnOf))
  const kept = Object.entries(typical.fields).filter(([name]) => !changedColumns.has(columnOf(name)))
  return {
    fields: { ...Object.fromEntries(kept), ...changes.fields },
    lists: { ...typical.lists, ...changes.lists },
  }
}
