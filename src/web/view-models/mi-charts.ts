/**
 * Charts as SVG, drawn on the server: they need no JavaScript and print as
 * they look. Each is an image with a title and a description for screen
 * readers (role="img"), and the page puts the same figures in a table
 * beneath it, so the chart is never the only way to read them.
 */

export interface Bar {
  readonly label: string
  readonly value: number
  /** How the value is written at the end of its bar, e.g. "67%". */
  readonly valueText: string
}

export interface Series {
  readonly name: string
  readonly values: readonly number[]
}

export interface ChartText {
  /** Unique on the page: the title and description are referenced by ID. */
  readonly id: string
  readonly title: string
  readonly description: string
}

/** GOV.UK colours, in an order where neighbours differ in lightness as well as hue. */
export const SERIES_COLOURS = ['#1d70b8', '#f47738', '#00703c', '#4c2c92', '#d4351c', '#505a5f'] as const

const FONT = 'font-family="GDS Transport, arial, sans-serif" font-size="14"'

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

function opening(text: ChartText, width: number, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" viewBox="0 0 ${width} ${height}" ` +
    `width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="${text.id}-title ${text.id}-desc">` +
    `<title id="${text.id}-title">${escapeXml(text.title)}</title>` +
    `<desc id="${text.id}-desc">${escapeXml(text.description)}</desc>`
  )
}

/** A round top for the axis: 1, 2, 5 × a power of ten, at least `max`. */
export function niceMaximum(max: number): number {
  if (max <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power
  return 10 * power
}

/** Horizontal bars, one per label, with the value written at the end of each. */
export function barChartSvg(text: ChartText, bars: readonly Bar[], options: { max?: number } = {}): string {
  const labelWidth = 260
  const plotWidth = 400
  const rowHeight = 28
  const width = labelWidth + plotWidth + 80
  const height = Math.max(1, bars.length) * rowHeight + 10
  const max = options.max ?? niceMaximum(Math.max(0, ...bars.map((bar) => bar.value)))
  const rows = bars.map((bar, index) => {
    const y = 5 + index * rowHeight
    const length = max > 0 ? Math.max(0, (bar.value / max) * plotWidth) : 0
    return (
      `<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end" ${FONT}>${escapeXml(bar.label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 4}" width="${length.toFixed(1)}" height="${rowHeight - 8}" fill="${SERIES_COLOURS[0]}"/>` +
      `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 18}" ${FONT}>${escapeXml(bar.valueText)}</text>`
    )
  })
  const empty = bars.length === 0 ? `<text x="${labelWidth}" y="20" ${FONT}>No data</text>` : ''
  return `${opening(text, width, height)}${rows.join('')}${empty}</svg>`
}

/** Columns grouped by category (e.g. week), one colour per series, with a legend. */
export function groupedColumnChartSvg(
  text: ChartText,
  categories: readonly string[],
  series: readonly Series[],
): string {
  const left = 50
  const top = 30
  const plotHeight = 200
  const groupWidth = Math.max(40, series.length * 18 + 16)
  const width = left + Math.max(1, categories.length) * groupWidth + 20
  const height = top + plotHeight + 50
  const max = niceMaximum(Math.max(0, ...series.flatMap((one) => one.values)))
  const barWidth = (groupWidth - 16) / Math.max(1, series.length)
  const parts: string[] = [opening(text, width, height)]
  // Legend across the top.
  series.forEach((one, index) => {
    const x = left + index * 160
    parts.push(
      `<rect x="${x}" y="4" width="14" height="14" fill="${SERIES_COLOURS[index % SERIES_COLOURS.length]}"/>`,
      `<text x="${x + 20}" y="16" ${FONT}>${escapeXml(one.name)}</text>`,
    )
  })
  // Axis: zero and the maximum.
  parts.push(
    `<line x1="${left}" y1="${top + plotHeight}" x2="${width - 10}" y2="${top + plotHeight}" stroke="#0b0c0c"/>`,
    `<text x="${left - 6}" y="${top + plotHeight + 4}" text-anchor="end" ${FONT}>0</text>`,
    `<text x="${left - 6}" y="${top + 10}" text-anchor="end" ${FONT}>${max}</text>`,
  )
  categories.forEach((category, categoryIndex) => {
    const groupX = left + categoryIndex * groupWidth + 8
    series.forEach((one, seriesIndex) => {
      const value = one.values[categoryIndex] ?? 0
      const barHeight = (value / max) * plotHeight
      parts.push(
        `<rect x="${(groupX + seriesIndex * barWidth).toFixed(1)}" y="${(top + plotHeight - barHeight).toFixed(1)}" ` +
          `width="${(barWidth - 2).toFixed(1)}" height="${barHeight.toFixed(1)}" ` +
          `fill="${SERIES_COLOURS[seriesIndex % SERIES_COLOURS.length]}"/>`,
      )
    })
    parts.push(
      `<text x="${(groupX + (groupWidth - 16) / 2).toFixed(1)}" y="${top + plotHeight + 20}" text-anchor="middle" ${FONT}>` +
        `${escapeXml(category)}</text>`,
    )
  })
  if (categories.length === 0) parts.push(`<text x="${left + 10}" y="${top + 100}" ${FONT}>No data</text>`)
  parts.push('</svg>')
  return parts.join('')
}
