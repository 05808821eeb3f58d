/**
 * `ipic rules simulate --rules DIR`: what a draft rule set would recommend
 * over the live data, against the live rule set, without writing a task.
 */
import { resolve } from 'node:path'
import { compileRuleSet } from '../rules/compile.ts'
import { compareRuleSets, type Simulation } from '../rules/simulate.ts'
import { type Runtime, withRuntime } from '../runtime.ts'
import { loadRuleSetForCommand } from './rules-run.ts'
import { formatTable } from './text-table.ts'

export async function simulateRules(options: { rules: string }): Promise<void> {
  await withRuntime(async (runtime) => {
    process.stdout.write(`${await simulateAgainstLive(runtime, options)}\n`)
  })
}

/** Loads both rule sets, compares them over the live data and returns the report. */
export async function simulateAgainstLive(
  runtime: Pick<Runtime, 'config' | 'clock' | 'database' | 'reference'>,
  options: { readonly rules: string },
): Promise<string> {
  const { config, clock, database, reference } = runtime
  const draftDir = resolve(options.rules)
  // The draft first: its problems are what the author came for.
  const draft = await loadRuleSetForCommand(draftDir, reference)
  const live = await loadRuleSetForCommand(config.rulesDir, reference)
  const today = clock.today()
  const simulation = await compareRuleSets(database.db, {
    live: compileRuleSet(live, { today }),
    draft: compileRuleSet(draft, { today }),
  })
  return formatSimulation(simulation, { draftDir, liveDir: config.rulesDir, today })
}

export function formatSimulation(
  simulation: Simulation,
  where: { readonly draftDir: string; readonly liveDir: string; readonly today: string },
): string {
  const heading = [
    `Draft rule set ${simulation.draftVersion} (${where.draftDir})`,
    `against the live rule set ${simulation.liveVersion} (${where.liveDir}),`,
    `over the current persons on ${where.today}. Nothing has been written.`,
  ].join('\n')
  const same =
    simulation.draftVersion === simulation.liveVersion ? '\nThe draft is identical to the live rule set.' : ''
  if (simulation.rows.length === 0) return `${heading}${same}\n\nNeither rule set matches anyone.`
  const { totals } = simulation
  const table = formatTable(
    [
      { header: 'Task type' },
      { header: 'Region' },
      { header: 'Live' },
      { header: 'Draft' },
      { header: 'Added' },
      { header: 'Removed' },
    ],
    [
      ...simulation.rows.map((r) => [r.taskType, r.romRegion, r.live, r.draft, r.added, r.removed]),
      ['Total', '', totals.live, totals.draft, totals.added, totals.removed],
    ],
  )
  return (
    `${heading}${same}\n\n${table}\n\n` +
    'Live and Draft: persons each rule set would recommend for the task (before open tasks and\n' +
    'earlier decisions are taken into account). Added: recommended by the draft only. Removed: by the live rule set only.'
  )
}
