/**
 * "The check passes" must mean "the run works": every rule set below is
 * either refused by the check (which every run does first) or run in full on
 * the real database, with its own test cases too. The rule sets sit at the
 * edges of what is allowed (the largest numbers, unusual text, deep nesting,
 * long chains of definitions) and just beyond them.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { stringify } from 'yaml'
import { writeExtract } from '../../src/cases/generate.ts'
import { importExtract } from '../../src/cases/import.ts'
import { UserFacingError } from '../../src/commands/errors.ts'
import { type LiveRuntime, runLiveRules } from '../../src/commands/rules-run.ts'
import { loadConfig } from '../../src/config.ts'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import type { Logger } from '../../src/logger.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import { runRuleTests } from '../../src/rules/testing.ts'
import { openTestDatabase, REFERENCE_DIR, type TestDatabase } from '../support/database.ts'
import { publishRulesIn } from '../support/publication.ts'
import { globalSafeguards, rule, type YamlObject } from '../support/rule-files.ts'
import { FIXTURE_TODAY, manualClock } from '../support/tasks.ts'

const RULE_FILE = 'REPORTING_REVIEW.yaml'

interface Variant {
  readonly name: string
  /** Whether the check should accept it: the test fails if a variant meant to pass is refused, and the other way round. */
  readonly passes: boolean
  /** The rule file's text. */
  readonly text: string
}

/** A variant made by changing the test rule as data. */
function edited(name: string, passes: boolean, edit: (r: YamlObject) => void): Variant {
  const r = rule()
  edit(r)
  return { name, passes, text: stringify(r) }
}

/** A variant made by changing the test rule's text. */
function rewritten(name: string, passes: boolean, edit: (text: string) => string): Variant {
  const text = stringify(rule())
  const changed = edit(text)
  assert.notEqual(changed, text, `${name}: the edit changed nothing`)
  return { name, passes, text: changed }
}

function addCondition(r: YamlObject, parameter: string, value: unknown, condition: YamlObject): void {
  r.parameters[parameter] = { value, description: 'A threshold at the edge of what is allowed.' }
  r.eligibility.all.push(condition)
}

/** Eligibility through `links` definitions, each wrapping the next in `nots` nots. */
function chainOfDefinitions(r: YamlObject, links: number, nots: number): void {
  r.definitions = {}
  for (let i = 0; i < links; i++) {
    let when: YamlObject = { ref: `link${i + 1}` }
    for (let n = 0; n < nots; n++) when = { not: when }
    r.definitions[`link${i}`] = {
      text: `Link ${i}`,
      when: i === links - 1 ? { field: 'harm.harmLevel', operator: 'equals', value: 'HIGH' } : when,
    }
  }
  r.eligibility.all[0] = { ref: 'link0' }
}

const VARIANTS: readonly Variant[] = [
  edited('day windows of 0 and 36,500 days', true, (r) => {
    addCondition(r, 'longest', 36_500, {
      field: 'reporting.nextDates[0]',
      operator: 'within next days',
      parameter: 'longest',
    })
    addCondition(r, 'none', 0, {
      field: 'reporting.lastAttended',
      operator: 'more than days ago',
      parameter: 'none',
    })
    r.eligibility.all.push({
      field: 'reporting.lastAttended',
      operator: 'within last days',
      parameter: 'longest',
    })
  }),
  edited('counts and thresholds at a million', true, (r) => {
    addCondition(r, 'manyBarriers', 1_000_000, {
      count: 'barriers',
      operator: '<=',
      parameter: 'manyBarriers',
    })
    addCondition(r, 'lowest', -1_000_000, {
      field: 'reporting.daysUntilNextReporting',
      operator: 'between',
      low: 'lowest',
      high: 'manyBarriers',
    })
  }),
  edited('dates at the ends of the calendar', true, (r) => {
    addCondition(r, 'earliest', '1000-01-01', {
      field: 'person.dateOfBirth',
      operator: 'after',
      parameter: 'earliest',
    })
    addCondition(r, 'latest', '9999-12-31', {
      field: 'person.dateOfBirth',
      operator: 'before',
      parameter: 'latest',
    })
  }),
  edited('the largest weight and scale, and tiny ones', true, (r) => {
    r.priority[0].weight = 1000
    r.parameters.imminentWithinDays.value = 1_000_000
    r.parameters.tiny = { value: 0.0001, description: 'A very small scale.' }
    r.priority.push({
      name: 'tinyScale',
      text: 'A scale capped almost at once',
      weight: 0.01,
      scale: { field: 'reporting.missedEvents90Days', upTo: 'tiny' },
    })
  }),
  edited('text in many scripts, with quotes, tabs and SQL', true, (r) => {
    r.owner = `Tîm ‘Rheolau’ 👩‍💼 فريق "x" \\ '; drop table tasks; --`.padEnd(200, 'é')
    r.description =
      'Line one\n\tindented line two, with a zero\u200bwidth space and a right-to-left mark\u200f.'
    r.name = 'ルール\u0301 %s %d {{ x }} {% x %}'
    r.eligibility.all[0].text = '<script>alert(1)</script> & &amp;'
  }),
  rewritten('the core tags and anchors', true, (text) =>
    text
      .replace('owner: Test team', 'owner: !!str 12345')
      .replace(
        / {6}- id: highHarm\n {8}field: harm.harmLevel\n {8}operator: equals\n {8}value: HIGH\n/,
        (m) => m.replace('- id: highHarm', '- &high\n        id: highHarm'),
      ),
  ),
  edited('nesting as deep as allowed', true, (r) => {
    let condition: YamlObject = r.eligibility.all[0]
    for (let i = 0; i < 18; i++) condition = { not: { not: condition } }
    r.eligibility.all[0] = { id: 'deep', ...condition }
  }),
  edited('a chain of definitions as long as allowed', true, (r) => chainOfDefinitions(r, 31, 1)),
  edited('test persons at the edges', true, (r) => {
    r.tests.cases.push({
      name: 'An old person with a distant reporting date',
      person: { 'person.age': 200, 'reporting.daysUntilNextReporting': 36_500 },
      expect: 'recommended',
    })
  }),
  // Just beyond what is allowed: the check must refuse each one.
  edited('1e308 days', false, (r) => {
    addCondition(r, 'huge', 1e308, {
      field: 'reporting.nextDates[0]',
      operator: 'within next days',
      parameter: 'huge',
    })
  }),
  edited('36,501 days', false, (r) => {
    addCondition(r, 'huge', 36_501, {
      field: 'reporting.lastAttended',
      operator: 'within last days',
      parameter: 'huge',
    })
  }),
  edited('a count of 2^31', false, (r) => {
    addCondition(r, 'huge', 2 ** 31, { count: 'barriers', operator: '<=', parameter: 'huge' })
  }),
  edited('a NUL in the owner', false, (r) => {
    r.owner = 'Test\u0000team'
  }),
  edited('a weight of 1e300', false, (r) => {
    r.priority[0].weight = 1e300
  }),
  rewritten('a weight of .inf', false, (text) => text.replace('weight: 40', 'weight: .inf')),
  rewritten('an owner tagged !!binary', false, (text) =>
    text.replace('owner: Test team', 'owner: !!binary VGVzdCB0ZWFt'),
  ),
  rewritten('a parameter named __proto__', false, (text) =>
    text.replace('parameters:\n', 'parameters:\n  __proto__:\n    value: 1\n    description: x\n'),
  ),
  edited('a chain of 3,000 definitions', false, (r) => chainOfDefinitions(r, 3000, 1)),
  edited('definitions nesting conditions 100 deep', false, (r) => chainOfDefinitions(r, 25, 4)),
  edited('a test person aged a million', false, (r) => {
    r.tests.cases[0].person = { 'person.age': 1_000_000 }
  }),
]

describe('a rule set the check accepts runs; one it refuses never reaches the database', () => {
  let database: TestDatabase
  let scratch: string
  let runtime: (rulesDir: string) => Promise<LiveRuntime>

  before(async () => {
    database = await openTestDatabase()
    scratch = await mkdtemp(join(tmpdir(), 'ipic-check-run-'))
    const reference = await readReferenceData(REFERENCE_DIR)
    runtime = async (rulesDir) => ({
      config: loadConfig({ IPIC_RULES_DIR: rulesDir, LOG_LEVEL: 'silent' }),
      clock: manualClock(),
      database,
      reference,
      logger: pino({ level: 'silent' }) as unknown as Logger,
    })
    const file = join(scratch, 'extract.ndjson')
    await writeExtract(file, { persons: 150, seed: 11, today: FIXTURE_TODAY as IsoDate, reference })
    const imported = await importExtract(database, { file, full: false, clock: manualClock(), reference })
    assert.equal(imported.rejected, 0)
  })
  after(async () => {
    await database.close()
    await rm(scratch, { recursive: true, force: true })
  })

  for (const variant of VARIANTS) {
    it(`${variant.passes ? 'runs' : 'refuses'} ${variant.name}`, async () => {
      const directory = await mkdtemp(join(scratch, 'rules-'))
      await writeFile(join(directory, 'global-safeguards.yaml'), stringify(globalSafeguards()))
      await writeFile(join(directory, RULE_FILE), variant.text)
      const live = await runtime(directory)
      const runsBefore = await database.db.selectFrom('rule_runs').select('id').execute()
      if (!variant.passes) {
        await assert.rejects(
          runLiveRules(live, 'manual', { full: true }),
          (error: unknown) =>
            error instanceof UserFacingError &&
            error.message.includes(`${RULE_FILE}: `) &&
            !/unexpected/.test(error.message),
        )
        const runsAfter = await database.db.selectFrom('rule_runs').select('id').execute()
        assert.equal(runsAfter.length, runsBefore.length, 'a refused rule set starts no run')
        return
      }
      await publishRulesIn(database.db, directory)
      const summary = await runLiveRules(live, 'manual', { full: true })
      assert.equal(summary.personsEvaluated, 150)
      const run = await database.db
        .selectFrom('rule_runs')
        .select('status')
        .where('id', '=', summary.runId)
        .executeTakeFirstOrThrow()
      assert.equal(run.status, 'COMPLETED')
      // Its own test cases run on the same database, whatever their outcome.
      const ruleSet = await loadRuleSet(directory)
      const results = await runRuleTests(database.db, ruleSet)
      assert.ok(results.length > 0)
    })
  }
})
