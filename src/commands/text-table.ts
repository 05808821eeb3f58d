/**
 * Plain-text tables for command output: a header, a rule under it, and
 * columns padded to their widest cell. Numbers are right-aligned and grouped
 * by thousands so that columns of counts can be compared at a glance.
 */
export type Cell = string | number

export interface Column {
  readonly header: string
  /** Default: right for numbers, left for text (decided by the header row's column). */
  readonly align?: 'left' | 'right'
}

const grouped = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 })

export function formatCell(cell: Cell): string {
  return typeof cell === 'number' ? grouped.format(cell) : cell
}

export function formatTable(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => columns.map((_, i) => formatCell(row[i] ?? '')))
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...text.map((row) => row[i]!.length)),
  )
  const alignOf = (i: number): 'left' | 'right' =>
    columns[i]?.align ?? (rows.some((row) => typeof row[i] === 'number') ? 'right' : 'left')
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (alignOf(i) === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...text.map(line),
  ].join('\n')
}
