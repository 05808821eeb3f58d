/**
 * How bench/rules.ts prints what it measured: each size's table with the
 * old targets, each run's phases beside the floors (f), (w) and (u) with
 * issue 19's targets, and the seconds of every step by caseload.
 */
import type { RunSummary } from '../src/tasks/rule-run.ts'

/** The issue's first targets, for 1,000,000 persons on this 2-core machine. */
const TARGETS = { fullRunSeconds: 5, rerunSeconds: 3, evaluationVersusReference: 2 }

export interface Measured {
  readonly label: string
  readonly seconds: number
  readonly matches?: number
  readonly note?: string
}

export type TimedRun = { readonly seconds: number; readonly result: RunSummary }

/** The five runs of one size, in the order they ran. */
export interface MeasuredRuns {
  readonly full: TimedRun
  readonly again: TimedRun
  readonly changed: TimedRun
  readonly forced: TimedRun
  readonly newDay: TimedRun
}

/** The floors measured in the same run: seconds, and for (u) how many task rows it wrote. */
export interface Floors {
  /** (f): the evaluation, one SELECT over person_facts. */
  readonly f: number
  /** (w): (f) plus writing its tasks and events by one INSERT … SELECT. */
  readonly w: number
  /** (u): the next day's new priorities written by one UPDATE … FROM (bench/rules-refresh-floor.ts). */
  readonly u: { readonly seconds: number; readonly tasks: number }
  /** (f1): (f) over the persons the 1% run evaluates alone. */
  readonly f1: number
  /** (f1 cold): the same over as many persons unchanged and unread since the full run, their pages as cold as can be. */
  readonly f1Cold: number
}

export const number = (n: number) => Math.round(n).toLocaleString('en-GB')

/**
 * Each run's phases beside their floors. The run times its own statements
 * (RunSummary.phases): scope is its lock, choosing full or incremental and
 * listing the changed persons; evaluation and diff are one statement
 * (match: evaluate into rule_run_matches with each match's outcome), except
 * in a run into an empty task table, which evaluates and loads in one
 * statement (recommend) and then builds the secondary indexes (index); the
 * task rows, their index entries and their events are otherwise written by
 * one statement per outcome (recommend, withdraw, refresh), so beside (w)
 * minus (f); record is the run's counts and its log.
 */
export function describePhases(floors: Floors, runs: MeasuredRuns): string {
  const { f, w, u, f1, f1Cold } = floors
  const writeFloorSeconds = Math.max(w - f, 0.001)
  const ratio = (seconds: number, floor: number) => `${seconds.toFixed(2)} s ${(seconds / floor).toFixed(2)}×`
  const labelled: [string, TimedRun][] = [
    ['full from empty', runs.full],
    ['again, unchanged', runs.again],
    ['1% changed', runs.changed],
    ['same day, full', runs.forced],
    ['new day', runs.newDay],
  ]
  const lines = labelled.map(([label, { seconds, result }]) => {
    const p = result.phases
    const written = p.recommend + p.withdraw + p.refresh
    return `  ${label.padEnd(17)} scope ${p.scope.toFixed(2)} s; match ${ratio(p.match, f)} (f); recommend+withdraw+refresh ${ratio(written, writeFloorSeconds)} (w−f); index ${p.index.toFixed(2)} s; record ${p.record.toFixed(2)} s; whole ${ratio(seconds, f)} (f), ${ratio(seconds, w)} (f+w)`
  })
  const { full, changed, forced, newDay } = runs
  const firstLoad = full.result.phases.recommend
  const newDayPhases = newDay.result.phases
  return (
    `Phases (the run's own timings) beside floors f ${f.toFixed(2)} s, w ${w.toFixed(2)} s (w−f ${writeFloorSeconds.toFixed(2)} s), ` +
    `u ${u.seconds.toFixed(2)} s (${number(u.tasks)} task rows re-prioritised):\n${lines.join('\n')}\n` +
    `  full from empty: evaluate and load ${ratio(firstLoad, w)} (w), indexes built after ${full.result.phases.index.toFixed(2)} s; whole ${(full.seconds / w).toFixed(2)}× (f + w) (target ≤ 1.5)\n` +
    `  new day, nothing changed: ${(newDay.seconds / f).toFixed(2)}× (f) (target ≤ 2), ${(newDay.seconds / (f + u.seconds)).toFixed(2)}× (f + u); ` +
    `its refresh ${ratio(newDayPhases.refresh, Math.max(u.seconds, 0.001))} (u) for ${number(newDay.result.refreshed)} rows; match ${ratio(newDayPhases.match, f)} (f)\n` +
    `  same day, forced full: ${(forced.seconds / f).toFixed(2)}× (f)\n` +
    `  1% changed: ${((100 * changed.seconds) / full.seconds).toFixed(1)}% of the full run (target ≤ 3%): ${describeIncremental(changed, f1, f1Cold)}\n`
  )
}

/** Where an incremental run's time went: its phases, the evaluation beside (f1), and what lies outside the phases. */
function describeIncremental(run: TimedRun, f1: number, f1Cold: number): string {
  const p = run.result.phases
  const inPhases = Object.values(p).reduce((total, seconds) => total + seconds, 0)
  const written = p.recommend + p.withdraw + p.refresh
  return (
    `scope ${p.scope.toFixed(3)} s, match ${p.match.toFixed(3)} s = ${(p.match / Math.max(f1, 0.001)).toFixed(2)}× (f1) ${f1.toFixed(3)} s, ${(p.match / Math.max(f1Cold, 0.001)).toFixed(2)}× (f1 cold) ${f1Cold.toFixed(3)} s, ` +
    `writes ${written.toFixed(3)} s, record ${p.record.toFixed(3)} s, outside the phases (compiling, recording the start, committing) ${(run.seconds - inPhases).toFixed(3)} s`
  )
}

/** A run in one line: its scope, counts and phases. */
export function phases(summary: RunSummary): string {
  const p = summary.phases
  return `${summary.scope}, ${number(summary.personsEvaluated)} evaluated, ${number(summary.totals.new)} new, ${number(summary.totals.withdrawn)} withdrawn, ${number(summary.refreshed)} re-prioritised: scope ${p.scope.toFixed(2)}, match ${p.match.toFixed(2)}, recommend ${p.recommend.toFixed(2)}, withdraw ${p.withdraw.toFixed(2)}, refresh ${p.refresh.toFixed(2)}, index ${p.index.toFixed(2)}, record ${p.record.toFixed(2)} s`
}

export function pointsAgreement(
  expected: readonly { task_type: string; points: string }[],
  actual: readonly { task_type: string; points: string }[],
): string {
  const of = (rows: typeof expected) => new Map(rows.map((row) => [row.task_type, row.points]))
  const want = of(expected)
  const got = of(actual)
  const codes = [...new Set([...want.keys(), ...got.keys()])].sort()
  const differences = codes.filter((code) => want.get(code) !== got.get(code))
  if (differences.length === 0) return 'same priority sums'
  return `priority sums DIFFER: ${differences.map((code) => `${code} ${got.get(code)} vs ${want.get(code)}`).join(', ')}`
}

export function agreement(expected: Map<string, number>, actual: Map<string, number>): string {
  const codes = [...new Set([...expected.keys(), ...actual.keys()])].sort()
  const differences = codes.filter((code) => (expected.get(code) ?? 0) !== (actual.get(code) ?? 0))
  if (differences.length === 0) return 'same matches as compiled'
  return `DIFFERS from compiled: ${differences
    .map((code) => `${code} ${actual.get(code) ?? 0} vs ${expected.get(code) ?? 0}`)
    .join(', ')}`
}

export function sum(counts: Map<string, number>): number {
  let total = 0
  for (const n of counts.values()) total += n
  return total
}

/** One size's table, then the first targets' verdicts. */
export function printSize(
  title: string,
  persons: number,
  measured: readonly Measured[],
  importSeconds: number,
): void {
  const rows = measured.map((m) => [
    m.label,
    m.seconds.toFixed(2),
    number(persons / m.seconds),
    m.matches === undefined ? '' : number(m.matches),
    m.note ?? '',
  ])
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(['', 'seconds', 'persons/s', 'matches'][i]!.length, ...rows.map((r) => r[i]!.length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[0]!) : i < 4 ? cell.padStart(widths[i]!) : cell))
      .join('  ')
      .trimEnd()
  process.stdout.write(
    `\n${title} (imported in ${importSeconds.toFixed(1)} s, not counted)\n` +
      `${line(['', 'seconds', 'persons/s', 'matches', ''])}\n${rows.map(line).join('\n')}\n`,
  )
  const get = (label: string) => measured.find((m) => m.label.startsWith(label))?.seconds ?? Number.NaN
  const evaluationRatio = get('evaluation, compiled (matches') / get('reference (a)')
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')
  process.stdout.write(
    `Targets (set for 1,000,000 persons): full run ≤ ${TARGETS.fullRunSeconds} s: ${verdict(get('full run') <= TARGETS.fullRunSeconds)}; ` +
      `unchanged run ≤ ${TARGETS.rerunSeconds} s: ${verdict(get('second run') <= TARGETS.rerunSeconds)}; ` +
      `evaluation within ${TARGETS.evaluationVersusReference}× of (a): ${evaluationRatio.toFixed(2)}× ${verdict(evaluationRatio <= TARGETS.evaluationVersusReference)}\n`,
  )
}

/** Seconds per step at each size, side by side, so growth with the caseload is visible. */
export function printGrowth(
  summaries: readonly { persons: number; profile: string; measured: readonly Measured[] }[],
): void {
  if (summaries.length < 2) return
  const labels = summaries[0]!.measured.map((m) => m.label)
  const headings = ['', ...summaries.map((s) => `${number(s.persons)} ${s.profile}`)]
  const rows = labels.map((label) => [
    label,
    ...summaries.map((s) => `${s.measured.find((m) => m.label === label)?.seconds.toFixed(2) ?? ''} s`),
  ])
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[i]!))).join('  ')
  process.stdout.write(`\nSeconds by caseload\n${line(headings)}\n${rows.map(line).join('\n')}\n`)
}
