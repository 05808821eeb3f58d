/**
 * `ipic rules simulate --rules DIR`: what a draft rule set would recommend
 * over today's data, against the live rule set (the last completed run's),
 * without writing a task: the impact report, as text or JSON.
 */
import { resolve } from 'node:path'
import type { ImpactReport } from '../rules/impact.ts'
import type { RuleSet } from '../rules/model.ts'
import { impactReportOf } from '../rules/publish.ts'
import { type Runtime, withRuntime } from '../runtime.ts'
import { formatImpactReport } from './impact-text.ts'
import { loadRuleSetForCommand } from './rules-run.ts'

export type ReportFormat = 'text' | 'json'

export async function simulateRules(options: { rules: string; format?: ReportFormat }): Promise<void> {
  await withRuntime(async (runtime) => {
    const draftDir = resolve(options.rules)
    const draft = await loadRuleSetForCommand(draftDir, runtime.reference)
    const report = await impactAgainstLive(runtime, draft)
    process.stdout.write(`${formatReport(report, draftDir, options.format ?? 'text')}\n`)
  })
}

export function formatReport(report: ImpactReport, draftDir: string, format: ReportFormat): string {
  return format === 'json'
    ? JSON.stringify({ draftDir, ...report }, null, 2)
    : formatImpactReport(report, { draftDir })
}

/** The impact report of a draft (already loaded and checked) against the live rule set, over today's persons. */
export function impactAgainstLive(
  runtime: Pick<Runtime, 'config' | 'clock' | 'database'>,
  draft: RuleSet,
): Promise<ImpactReport> {
  return impactReportOf(runtime.database.db, draft, {
    clock: runtime.clock,
    settings: runtime.config.ruleImpact,
  })
}

/** The report as `ipic rules simulate` prints it (text): for tests and other commands. */
export async function simulateAgainstLive(
  runtime: Pick<Runtime, 'config' | 'clock' | 'database' | 'reference'>,
  options: { readonly rules: string },
): Promise<string> {
  const draftDir = resolve(options.rules)
  const draft = await loadRuleSetForCommand(draftDir, runtime.reference)
  return formatImpactReport(await impactAgainstLive(runtime, draft), { draftDir })
}
