/**
 * `ipic rules run`: evaluate the live rule set (IPIC_RULES_DIR) over every
 * current person and update the recommended tasks. Also the helpers that run
 * the rules after an import and at start-up.
 */
import type { ReferenceData } from '../db/reference-data.ts'
import { type LiveRules, ruleTaskTypes } from '../rules/live-rules.ts'
import { loadRuleSet, RuleSetError } from '../rules/load.ts'
import type { RuleSet } from '../rules/model.ts'
import { RuleSetNotPublishedError } from '../rules/publication.ts'
import { type Runtime, withRuntime } from '../runtime.ts'
import { markInterruptedRuns } from '../tasks/interrupted-runs.ts'
import { type RunSummary, type RunTrigger, runRules } from '../tasks/rule-run.ts'
import { ImportRunningError } from '../tasks/run-lock.ts'
import { UserFacingError } from './errors.ts'
import { formatTable } from './text-table.ts'

/** Loads a rule set, turning every problem in it into one message for the terminal. */
export async function loadRuleSetForCommand(directory: string, reference: ReferenceData): Promise<RuleSet> {
  try {
    return await loadRuleSet(directory, { taskTypes: ruleTaskTypes(reference) })
  } catch (error) {
    throw forTerminal(directory, error)
  }
}

/** The live rule set the service loaded at start; with problems, one message naming them all for the terminal. */
export function ruleSetInForce(rules: LiveRules, directory: string): RuleSet {
  try {
    return rules.ruleSet()
  } catch (error) {
    throw forTerminal(directory, error)
  }
}

function forTerminal(directory: string, error: unknown): unknown {
  if (!(error instanceof RuleSetError)) return error
  const count = error.problems.length
  return new UserFacingError(
    `the rule set in ${directory} has ${count} problem${count === 1 ? '' : 's'}:\n${error.message
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n')}`,
  )
}

/** What a run needs of the runtime. */
export type LiveRuntime = Pick<Runtime, 'config' | 'clock' | 'database' | 'reference' | 'logger'>

/**
 * Runs the live rule set: what `ipic rules run`, the import and start-up all
 * do. A process that loaded the rule set already (the service, at start)
 * passes it, so that its runs use the version it shows; others load it now.
 */
export async function runLiveRules(
  runtime: LiveRuntime,
  trigger: RunTrigger,
  options: { readonly full?: boolean; readonly ruleSet?: RuleSet } = {},
): Promise<RunSummary> {
  const ruleSet = options.ruleSet ?? (await loadRuleSetForCommand(runtime.config.rulesDir, runtime.reference))
  // A long-lived process (the service) may outlive another that died mid-run since it started.
  const interrupted = await markInterruptedRuns(runtime.database.db, runtime.clock)
  if (interrupted.length > 0) {
    runtime.logger.warn({ runIds: interrupted }, 'rule runs interrupted by a stop recorded as failed')
  }
  return runRules(runtime.database.db, {
    ruleSet,
    clock: runtime.clock,
    trigger,
    logger: runtime.logger,
    full: options.full === true,
  }).catch((error: unknown) => {
    throw error instanceof RuleSetNotPublishedError ? notPublished(error, runtime.config.rulesDir) : error
  })
}

/** The refusal of an unpublished rule set, with the command that publishes it. */
export function notPublished(error: RuleSetNotPublishedError, directory: string): UserFacingError {
  return new UserFacingError(
    `${error.message}: see what it would change with "ipic rules simulate --rules ${directory}", ` +
      `then publish it with "ipic rules publish ${directory} --notes '<what changed and why>'"`,
  )
}

/** `--full`: after hand edits to the case data that bypassed the importer, which incremental runs would not see. */
export async function runRulesCommand(options: { readonly full?: boolean } = {}): Promise<void> {
  await withRuntime(async (runtime) => {
    const summary = await runLiveRules(runtime, 'manual', options).catch((error: unknown) => {
      throw error instanceof ImportRunningError ? new UserFacingError(error.message) : error
    })
    process.stdout.write(`${formatRunSummary(summary)}\n`)
  })
}

/** The run's figures for the terminal: one line per task type and region, then the totals. */
export function formatRunSummary(summary: RunSummary): string {
  const seconds = (summary.finishedAt.getTime() - summary.startedAt.getTime()) / 1000
  const heading =
    `Rule run ${summary.runId} (${summary.trigger}) with rule set ${summary.ruleSetVersion}: ` +
    `${summary.personsEvaluated.toLocaleString('en-GB')} persons evaluated in ${seconds.toFixed(1)} s` +
    // A full run is the usual case; an incremental one says why it evaluated so few.
    `${summary.scope === 'incremental' ? ` (${summary.scopeReason})` : ''}.`
  if (summary.counts.length === 0) return `${heading}\nNo person matches any rule and no task was open.`
  const { totals } = summary
  const table = formatTable(
    [
      { header: 'Task type' },
      { header: 'Region' },
      { header: 'New' },
      { header: 'Unchanged' },
      { header: 'Withdrawn' },
      { header: 'Suppressed' },
    ],
    [
      ...summary.counts.map((c) => [c.taskType, c.romRegion, c.new, c.unchanged, c.withdrawn, c.suppressed]),
      ['Total', '', totals.new, totals.unchanged, totals.withdrawn, totals.suppressed],
    ],
  )
  const refreshed =
    summary.refreshed > 0
      ? `\n${summary.refreshed.toLocaleString('en-GB')} recommended tasks took a new priority or reporting date.`
      : ''
  return `${heading}\n\n${table}${refreshed}`
}
