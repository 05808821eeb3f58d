/**
 * A rule run's figures per task type and region, put together from what its
 * statements counted (reconcile.ts, reopen.ts): what the run records and
 * prints.
 */
import type { OutcomeCounts, RunCount } from '../rules/run-counts.ts'
import type { CellCount, CellOutcomes } from './reconcile.ts'

/**
 * Combines the per-cell figures. A match classed NEW or MOVED that the insert
 * did not create (a moved person's old task was decided while the run worked)
 * counts as unchanged, so the four counts always add up to the matches plus
 * the withdrawals.
 */
export function tallyCounts(
  outcomes: readonly CellOutcomes[],
  inserted: readonly CellCount[],
  withdrawn: readonly CellCount[],
): RunCount[] {
  const cells = new Map<string, RunCount>()
  const cell = (taskType: string, romRegion: string): RunCount => {
    const key = `${taskType}\u0000${romRegion}`
    let found = cells.get(key)
    if (!found) {
      found = { taskType, romRegion, new: 0, unchanged: 0, withdrawn: 0, suppressed: 0 }
      cells.set(key, found)
    }
    return found
  }
  for (const row of outcomes) {
    const c = cell(row.task_type, row.rom_region)
    c.unchanged += row.unchanged + row.n
    c.suppressed += row.suppressed
  }
  for (const row of inserted) {
    const c = cell(row.task_type, row.rom_region)
    c.new += row.n
    c.unchanged -= row.n
  }
  for (const row of withdrawn) cell(row.task_type, row.rom_region).withdrawn += row.n
  return [...cells.values()].sort(
    (a, b) => a.taskType.localeCompare(b.taskType) || a.romRegion.localeCompare(b.romRegion),
  )
}

export function totalCounts(counts: readonly OutcomeCounts[]): OutcomeCounts {
  const total: OutcomeCounts = { new: 0, unchanged: 0, withdrawn: 0, suppressed: 0 }
  for (const c of counts) {
    total.new += c.new
    total.unchanged += c.unchanged
    total.withdrawn += c.withdrawn
    total.suppressed += c.suppressed
  }
  return total
}
