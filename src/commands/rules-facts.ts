/**
 * `ipic rules facts --rebuild | --check | --prune`: the person facts table
 * the rules read (docs/decisions/0024-person-facts.md). `--rebuild` replaces
 * every row with a fresh computation from persons and their lists; `--check`
 * lists the persons whose row differs from one, with the columns that
 * differ, and exits 1 when any do; `--prune` removes the versions of the
 * facts history no task names (docs/decisions/0030-facts-history-pruning.md).
 */
import { type FactsDifference, factsDifferences, rebuildAllFacts } from '../db/person-facts.ts'
import { withRuntime } from '../runtime.ts'
import { type PruneResult, pruneFactsHistory, RuleRunUnderWayError } from '../tasks/facts-history-pruning.ts'
import { UserFacingError } from './errors.ts'

export interface FactsOptions {
  readonly rebuild?: boolean
  readonly check?: boolean
  readonly prune?: boolean
}

/** Persons listed one per line before the rest are only counted. */
const LISTED = 1000

export async function rulesFactsCommand(options: FactsOptions): Promise<void> {
  const asked = [options.rebuild, options.check, options.prune].filter((option) => option === true).length
  if (asked !== 1) {
    throw new UserFacingError(
      'say what to do with the person facts: --prune, --rebuild or --check (one of them)',
    )
  }
  await withRuntime(async (runtime) => {
    if (options.prune) {
      const started = performance.now()
      const result = await pruneFactsHistory(runtime.database.db).catch((error: unknown) => {
        throw error instanceof RuleRunUnderWayError ? new UserFacingError(error.message) : error
      })
      process.stdout.write(pruneOutput(result, (performance.now() - started) / 1000))
      return
    }
    if (options.rebuild) {
      const started = performance.now()
      const rows = await rebuildAllFacts(runtime.database.db)
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      process.stdout.write(`Rebuilt the facts of ${count(rows, 'person')} in ${seconds} s.\n`)
      return
    }
    const output = factsCheckOutput(await factsDifferences(runtime.database.db))
    process.stdout.write(output.stdout)
    process.exitCode = output.exitCode
  })
}

/** What `--check` prints, and its exit code: 1 when any person's row differs. */
export function factsCheckOutput(differences: readonly FactsDifference[]): {
  readonly stdout: string
  readonly exitCode: 0 | 1
} {
  if (differences.length === 0) {
    return { stdout: 'Every person’s facts row matches a fresh computation.\n', exitCode: 0 }
  }
  const lines = differences.slice(0, LISTED).map((d) => `  ${d.personId}: ${d.columns.join(', ')}`)
  const more = differences.length - LISTED
  if (more > 0) lines.push(`  … and ${count(more, 'more person')}`)
  return {
    stdout:
      `The facts rows of ${count(differences.length, 'person')} differ from a fresh computation ` +
      `(person ID: columns that differ):\n${lines.join('\n')}\n` +
      'Run "ipic rules facts --rebuild" to mend them.\n',
    exitCode: 1,
  }
}

/** What `--prune` prints: how many versions it removed and kept, and why those were kept. */
export function pruneOutput(result: PruneResult, seconds: number): string {
  return (
    `Removed ${count(result.removed, 'facts version')} that no task names and no person holds as current; ` +
    `kept ${count(result.kept, 'facts version')} (each person’s current one and every one a task names), ` +
    `in ${count(result.batches, 'batch', 'batches')}, ${seconds.toFixed(1)} s.\n`
  )
}

function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? noun : plural}`
}
