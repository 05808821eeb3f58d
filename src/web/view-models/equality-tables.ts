/**
 * The dashboard's equality monitoring tables (src/mi/dashboard.ts): each
 * group in words ("Female", not "F"), with its rate and how it compares with
 * the overall rate, or, for a group under the minimum size, only its name
 * and why its figures are not shown.
 */
import { GENDER } from '../../cases/values.ts'
import type { EqualityTable, GroupRate } from '../../mi/dashboard.ts'
import { type Cell, type DashboardTable, percent } from './dashboard-parts.ts'

const DIMENSION_NAMES: Record<EqualityTable['dimension'], string> = {
  nationality: 'Nationality',
  gender: 'Gender',
  ageBand: 'Age band',
}

/** Nationalities and age bands are stored in words already; gender is a code of the extract. */
export function groupName(dimension: EqualityTable['dimension'], group: string): string {
  if (dimension !== 'gender') return group
  return (GENDER.labels as Record<string, string>)[group] ?? group
}

function flagTag(text: string, colour: 'red' | 'orange'): Cell {
  return { html: `<strong class="govuk-tag govuk-tag--${colour}">${text}</strong>` }
}

function groupFlag(flag: 'low' | 'high' | undefined): Cell {
  if (flag === 'low') return flagTag('Below four-fifths', 'red')
  if (flag === 'high') return flagTag('Above five-fourths', 'orange')
  return { text: '' }
}

const num = (value: number): Cell => ({ text: String(value), format: 'numeric' })

function groupRow(table: EqualityTable, group: GroupRate, baseName: string): Cell[] {
  const name = { text: groupName(table.dimension, group.group) }
  if (group.suppressed) {
    return [
      name,
      { text: `Not shown: fewer than ${table.minimumGroupSize} ${baseName.toLowerCase()}`, colspan: 4 },
    ]
  }
  return [
    name,
    num(group.base),
    num(group.count),
    { text: percent(group.rate), format: 'numeric' },
    groupFlag(group.flag),
  ]
}

/** "overall 46.2%", or why it is not shown. */
function overallWords(table: EqualityTable, baseName: string): string {
  if (table.overallSuppressed) {
    return `overall not shown: fewer than ${table.minimumGroupSize} ${baseName.toLowerCase()} in all`
  }
  return `overall ${percent(table.overallRate)}`
}

export function equalityTables(
  tables: readonly EqualityTable[],
  baseName: string,
  countName: string,
): DashboardTable[] {
  return tables.map((table) => ({
    caption: `${DIMENSION_NAMES[table.dimension]} (${overallWords(table, baseName)})`,
    head: [
      { text: DIMENSION_NAMES[table.dimension] },
      { text: baseName, format: 'numeric' },
      { text: countName, format: 'numeric' },
      { text: 'Rate', format: 'numeric' },
      { text: 'Compared with overall' },
    ],
    rows: table.groups.map((group) => groupRow(table, group, baseName)),
  }))
}
