/**
 * What a completed rule run counts per task type and region: the run
 * (src/tasks/rule-run.ts) stores them in rule_runs.counts, and the rules
 * page (overview.ts) reads them back.
 */

export interface OutcomeCounts {
  /** Matches that became RECOMMENDED tasks. */
  new: number
  /** Matches that already had an open task (RECOMMENDED or ON_HOLD). */
  unchanged: number
  /** RECOMMENDED tasks whose person no longer matches. */
  withdrawn: number
  /** Matches not recommended because the last decision came after the person's data last changed. */
  suppressed: number
}

export interface RunCount extends OutcomeCounts {
  readonly taskType: string
  readonly romRegion: string
}
