/** How a benchmark prints its results: a right-aligned table, and whether each target was met. */

export function verdict(...met: boolean[]): string {
  return met.map((ok) => (ok ? 'met' : 'MISSED')).join(', ')
}

export function printTable(headings: string[], rows: string[][]): void {
  const widths = headings.map((heading, i) =>
    Math.max(heading.length, ...rows.map((row) => row[i]?.length ?? 0)),
  )
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ')
  process.stdout.write(`${line(headings)}\n${rows.map(line).join('\n')}\n`)
}
