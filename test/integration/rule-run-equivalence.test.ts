/**
 * Issue 19 item 7: whichever way the rule runs went (incremental where it
 * could, on a new day, forced full), the open tasks they leave are the ones a
 * fresh database leaves when it imports the same caseload and runs once from
 * an empty task table on the same day. A property over generated caseloads
 * and every kind of change the importer accepts (changes in
 * test/support/changing-caseload.ts), each extract imported and followed by
 * a run; compared after every run, so an earlier run's mistake cannot hide
 * behind a later full run that mends it.
 *
 * Caseworkers' decisions are outside the property: a fresh database has none
 * to compare with. The example after it shows that a decided task stays
 * decided, and suppresses its match, through each kind of run alike.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { type Kysely, sql } from 'kysely'
import type { CaseRecordInput } from '../../src/cases/extract.ts'
import { importExtract } from '../../src/cases/import.ts'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import type { Tables } from '../../src/db/tables.ts'
import type { RecommendationExplanation } from '../../src/rules/explanation-json.ts'
import { ruleTaskTypes } from '../../src/rules/live-rules.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import { explanationForTask, isUnavailable } from '../../src/rules/stored-explanation.ts'
import { type Decision, decideTask } from '../../src/tasks/decisions.ts'
import { type RunSummary, runRules } from '../../src/tasks/rule-run.ts'
import { addCaseworker, CASEWORKER } from '../support/caseworker.ts'
import { ChangingCaseload, type ExtractPlan, extractPlan } from '../support/changing-caseload.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { checkProperty } from '../support/hostile-values.ts'
import { ndjson } from '../support/import-harness.ts'
import { publishForTest } from '../support/publication.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

const reference = await readReferenceData(REFERENCE_DIR)
const ruleSet = await loadRuleSet(RULES_DIR, { taskTypes: ruleTaskTypes(reference) })

/** Persons in the first extract, and how many more later extracts may bring. */
const CASELOAD = { persons: 16, newcomers: 6, profile: 'stress' } as const

/**
 * How the run after an extract goes: on the same day (incremental, since the
 * last run was that day with the same rules), on a later day (the clock moved
 * on by `days`: conditions on "today" move with it), or forced full.
 */
const runKind = fc.oneof(
  { arbitrary: fc.constant({ kind: 'same-day' as const }), weight: 3 },
  {
    arbitrary: fc.record({ kind: fc.constant('new-day' as const), days: fc.constantFrom(1, 6, 40, 190) }),
    weight: 1,
  },
  { arbitrary: fc.constant({ kind: 'full' as const }), weight: 1 },
)
type RunKind = typeof runKind extends fc.Arbitrary<infer K> ? K : never
const SAME_DAY: RunKind = { kind: 'same-day' }

interface OpenTask {
  person_id: string
  task_type: string
  rom_region: string
  status: string
  priority: number
  reporting_date: string | null
  rule_set_version: string
  explanation: unknown
  facts_version: string | null
  evaluated_on: string | null
  /** Whether the task was evaluated on the facts the person has now. */
  on_current_facts: boolean
}

async function openTasks(db: Kysely<Tables>): Promise<OpenTask[]> {
  const { rows } = await sql<OpenTask>`
    select t.person_id, t.task_type, t.rom_region, t.status, t.priority, t.reporting_date::text as reporting_date,
      t.rule_set_version, t.explanation, t.facts_version::text as facts_version, t.evaluated_on::text as evaluated_on,
      t.facts_version is not distinct from f.facts_version as on_current_facts
    from tasks t left join person_facts f using (person_id)
    where t.status in ('RECOMMENDED', 'ON_HOLD')
    order by t.person_id, t.task_type`.execute(db)
  return rows
}

/** What a caseworker's list shows of a task: what the two databases must agree on exactly. */
const listed = ({ person_id, task_type, rom_region, status, priority, reporting_date }: OpenTask) => ({
  person_id,
  task_type,
  rom_region,
  status,
  priority,
  reporting_date,
})

async function explanationOf(db: Kysely<Tables>, task: OpenTask): Promise<RecommendationExplanation> {
  const explanation = await explanationForTask(db, {
    explanation: task.explanation,
    ruleSetVersion: task.rule_set_version,
    ruleCode: task.task_type,
    factsVersion: task.facts_version,
    evaluatedOn: task.evaluated_on as IsoDate | null,
  })
  assert.ok(
    explanation !== undefined && !isUnavailable(explanation),
    `${task.person_id} ${task.task_type}: no explanation (${JSON.stringify(explanation)})`,
  )
  return explanation
}

/** When the person's data last changed is when an import saw it change: the two databases' histories differ. */
const withoutChangeTime = ({ dataChangedAt: _, ...explanation }: RecommendationExplanation) => explanation

describe('rule runs of every kind', () => {
  let database: TestDatabase
  let fromEmpty: TestDatabase
  let folder: string
  let extracts = 0
  before(async () => {
    database = await openTestDatabase()
    fromEmpty = await openTestDatabase()
    folder = await mkdtemp(join(tmpdir(), 'ipic-equivalence-'))
  })
  after(async () => {
    await database?.close()
    await fromEmpty?.close()
    await rm(folder, { recursive: true, force: true })
  })

  async function importInto(
    target: TestDatabase,
    lines: readonly CaseRecordInput[],
    full: boolean,
    clock: ManualClock,
  ): Promise<void> {
    const file = join(folder, `extract-${++extracts}.ndjson`)
    await writeFile(file, ndjson(lines))
    const summary = await importExtract(target, {
      file,
      full,
      clock,
      reference,
      absenceLimit: { maxPercent: 100, allowMore: true },
    })
    assert.equal(summary.rejected, 0, `${file}: ${summary.rejectsFile}`)
  }

  async function startCaseload(seed: number, clock: ManualClock): Promise<ChangingCaseload> {
    await database.reset()
    await publishForTest(database.db, ruleSet)
    const caseload = ChangingCaseload.generate(reference, { ...CASELOAD, seed })
    await importInto(database, caseload.firstExtract(), true, clock)
    clock.advance(MINUTE)
    await runRules(database.db, { ruleSet, clock, trigger: 'import' })
    return caseload
  }

  /** How many tasks were compared in full, and how many only as proofs (see compareWithRunFromEmpty). */
  const compared = { inFull: 0, asProofs: 0 }

  /** Imports these persons into the other database, emptied, and runs once there from no tasks. */
  async function runFromEmpty(records: readonly CaseRecordInput[], clock: ManualClock): Promise<void> {
    await fromEmpty.reset()
    await publishForTest(fromEmpty.db, ruleSet)
    await importInto(fromEmpty, records, true, clock)
    await runRules(fromEmpty.db, { ruleSet, clock, trigger: 'manual' })
  }

  /**
   * Compares the open tasks with those of the run from empty (runFromEmpty,
   * over what the service holds, on the same day). They must agree in all
   * a list shows. Their explanations must each be a proof of the task (the
   * rule matched, with that priority and reporting date). A task evaluated on
   * the person's current facts today must give the very explanation the run
   * from empty gives. One whose priority and reporting date have not moved
   * since an earlier day or an earlier version of the person's facts keeps
   * the facts and day it was recommended on, so it explains the values as
   * they were then (docs/decisions/0026-explanations-on-demand.md), which a
   * run from empty cannot show: it is checked as a proof only.
   */
  async function compareWithRunFromEmpty(clock: ManualClock, when: string) {
    const kept = await openTasks(database.db)
    const expected = await openTasks(fromEmpty.db)
    assert.deepEqual(kept.map(listed), expected.map(listed), `${when}: the open tasks`)
    for (const [i, task] of kept.entries()) {
      const explanation = await explanationOf(database.db, task)
      const who = `${when}: ${task.person_id} ${task.task_type}`
      assert.equal(explanation.rule.code, task.task_type, who)
      assert.equal(explanation.priority.score, task.priority, `${who}: priority`)
      assert.equal(explanation.reportingDate.value, task.reporting_date, `${who}: reporting date`)
      if (task.on_current_facts && task.evaluated_on === clock.today()) {
        const fromNothing = await explanationOf(fromEmpty.db, expected[i]!)
        assert.deepEqual(
          withoutChangeTime(explanation),
          withoutChangeTime(fromNothing),
          `${who}: explanation`,
        )
        compared.inFull++
      } else compared.asProofs++
    }
  }

  async function importAndRun(
    lines: readonly CaseRecordInput[] | undefined,
    full: boolean,
    run: RunKind,
    clock: ManualClock,
  ): Promise<RunSummary> {
    if (lines) await importInto(database, lines, full, clock)
    clock.advance(MINUTE)
    const summary = await runRules(database.db, {
      ruleSet,
      clock,
      trigger: 'import',
      full: run.kind === 'full',
    })
    if (run.kind === 'same-day') assert.equal(summary.scope, 'incremental', summary.scopeReason)
    return summary
  }

  it('leave the open tasks and their explanations a run from empty leaves', async () => {
    const written = { incremental: 0, full: 0 }
    await checkProperty(
      'runs of every kind equal a run from empty',
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.record({ extract: extractPlan(CASELOAD.persons + CASELOAD.newcomers), run: runKind }), {
          minLength: 2,
          maxLength: 5,
        }),
        async (seed, steps) => {
          const clock = manualClock()
          const caseload = await startCaseload(seed, clock)
          for (const [n, step] of steps.entries()) {
            clock.advance(step.run.kind === 'new-day' ? step.run.days * DAY : MINUTE)
            const lines = caseload.nextExtract(step.extract)
            // The run from empty does not wait for the other: they share nothing but the day.
            const [summary] = await Promise.all([
              importAndRun(lines, step.extract.full, step.run, clock),
              runFromEmpty(caseload.presentRecords(), manualClock(clock.now())),
            ])
            written[summary.scope === 'incremental' ? 'incremental' : 'full'] +=
              summary.totals.new + summary.totals.withdrawn + summary.refreshed
            await compareWithRunFromEmpty(clock, `after extract ${n + 1} and a ${step.run.kind} run`)
          }
        },
      ),
      8,
    )
    console.log(
      `tasks compared in full: ${compared.inFull}, as proofs only: ${compared.asProofs}; ` +
        `tasks written by incremental runs: ${written.incremental}, by full runs: ${written.full}`,
    )
    // The cases tried went down every path, not only the easy ones.
    assert.ok(compared.inFull > 0 && compared.asProofs > 0, JSON.stringify(compared))
    assert.ok(written.incremental > 0 && written.full > 0, JSON.stringify(written))
  })

  it('keep a decided task decided, and its match suppressed, through incremental, new-day and full runs', async () => {
    const clock = manualClock()
    const caseload = await startCaseload(11, clock)
    await addCaseworker(database.db)
    const [accepted, rejected, held] = await recommendedToThreePersons()
    clock.advance(MINUTE)
    await decide(accepted, { status: 'ACCEPTED', checksConfirmed: true }, clock)
    await decide(
      rejected,
      { status: 'REJECTED', reasons: ['OTHER'], details: 'Not now', checksConfirmed: true },
      clock,
    )
    await decide(held, { status: 'ON_HOLD', note: null }, clock)
    const pairs = [accepted, rejected, held]
    const decided = await tasksOf(pairs)
    const slots = pairs.map((task) => caseload.slotOf(task.person_id))
    const other = caseload.presentRecords().find((r) => !pairs.some((task) => task.person_id === r.personId))!
    const someoneElse = caseload.slotOf(other.personId)

    const steps: { extract: ExtractPlan; run: RunKind; suppressed: number }[] = [
      // They leave (a full extract without them) and come back unchanged: incremental runs evaluate them both times.
      {
        extract: { full: true, changes: slots.map((slot) => ({ slot, kind: 'left-out', donor: 0 })) },
        run: SAME_DAY,
        suppressed: 0,
      },
      {
        extract: { full: false, changes: slots.map((slot) => ({ slot, kind: 'unchanged', donor: 0 })) },
        run: SAME_DAY,
        suppressed: 2,
      },
      {
        extract: { full: false, changes: [{ slot: someoneElse, kind: 'data', donor: 0 }] },
        run: { kind: 'new-day', days: 1 },
        suppressed: 2,
      },
      {
        extract: { full: false, changes: [{ slot: someoneElse, kind: 'lists', donor: 1 }] },
        run: { kind: 'full' },
        suppressed: 2,
      },
    ]
    for (const [n, step] of steps.entries()) {
      clock.advance(step.run.kind === 'new-day' ? step.run.days * DAY : MINUTE)
      const summary = await importAndRun(
        caseload.nextExtract(step.extract),
        step.extract.full,
        step.run,
        clock,
      )
      const when = `after run ${n + 1} (${step.run.kind}, ${summary.scope})`
      // Each decided task is as the decision left it, and the only task of its person and type.
      assert.deepEqual(await tasksOf(pairs), decided, when)
      // The accepted and rejected persons still match: suppressed, whenever the run evaluates them.
      assert.equal(summary.totals.suppressed, step.suppressed, when)
    }
  })

  /** A RECOMMENDED task of each of three persons in the caseworker's regions. */
  async function recommendedToThreePersons(): Promise<[OpenTask, OpenTask, OpenTask]> {
    const chosen: OpenTask[] = []
    for (const task of await openTasks(database.db)) {
      if (!CASEWORKER.regions.codes.includes(task.rom_region)) continue
      if (chosen.some((other) => other.person_id === task.person_id)) continue
      chosen.push(task)
    }
    assert.ok(
      chosen.length >= 3,
      'the caseload recommends tasks to three persons in the caseworker’s regions',
    )
    return [chosen[0]!, chosen[1]!, chosen[2]!]
  }

  async function decide(task: OpenTask, decision: Decision, clock: ManualClock): Promise<void> {
    const { id } = await database.db
      .selectFrom('tasks')
      .select('id')
      .where('person_id', '=', task.person_id)
      .where('task_type', '=', task.task_type)
      .where('status', '=', 'RECOMMENDED')
      .executeTakeFirstOrThrow()
    const result = await decideTask(database.db, {
      taskId: id,
      expectedVersion: 1,
      decision,
      user: CASEWORKER,
      clock,
    })
    assert.equal(result.kind, 'decided')
  }

  /** Every task of these persons and task types, decided or not. */
  async function tasksOf(pairs: readonly OpenTask[]) {
    const all = await database.db.selectFrom('tasks').selectAll().orderBy('id').execute()
    return all.filter((task) =>
      pairs.some((p) => p.person_id === task.person_id && p.task_type === task.task_type),
    )
  }
})
