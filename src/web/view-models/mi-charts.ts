/**
 * Charts as SVG, drawn on the server: they need no JavaScript and print as
 * they look. Each is an image with a title and a description for screen
 * readers (role="img"), and the page puts the same figures in a table
 * beneath it, so the chart is never the only way to read them.
 *
 * Each chart is laid out at its own size in pixels (width and height as
 * well as the viewBox), fitted to its labels: the page shows it at that size
 * and only ever shrinks it to fit a narrow column (application.css), so a
 * chart with few bars is not blown up to the width of the page. Labels are
 * wrapped to the room they have (chart-text.ts) rather than running off
 * the edge.
 */
import { FONT_SIZE, LINE_HEIGHT, textWidth, wrapText } from './chart-text.ts'

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

/**
 * The widest a chart is laid out, and a bar chart's width: narrow enough that
 * a phone, shrinking it to its column, keeps the text readable.
 */
export const MAX_CHART_WIDTH = 480
export const BAR_CHART_WIDTH = MAX_CHART_WIDTH

const TEXT = `class="app-chart__text" font-family="GDS Transport, arial, sans-serif" font-size="${FONT_SIZE}" fill="#0b0c0c"`

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

function opening(text: ChartText, width: number, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" aria-labelledby="${text.id}-title ${text.id}-desc">` +
    `<title id="${text.id}-title">${escapeXml(text.title)}</title>` +
    `<desc id="${text.id}-desc">${escapeXml(text.description)}</desc>`
  )
}

/** One line of text with its baseline at y. */
function label(x: number, y: number, content: string, anchor: 'start' | 'middle' | 'end' = 'start'): string {
  const anchorAttribute = anchor === 'start' ? '' : ` text-anchor="${anchor}"`
  return `<text x="${round(x)}" y="${round(y)}"${anchorAttribute} ${TEXT}>${escapeXml(content)}</text>`
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10)
}

/** A round top for the axis: 1, 2, 5 × a power of ten, at least `max`. */
export function niceMaximum(max: number): number {
  if (max <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power
  return 10 * power
}

/** An axis value as written beside the axis: whole numbers plainly, fractions to two significant figures. */
function axisNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(2)))
}

/**
 * Horizontal bars, one per label. Each label sits on its own line(s) above
 * its bar, wrapped to the chart's width, and the value is written at the
 * end of the bar: no label competes with the bars for width.
 */
export function barChartSvg(text: ChartText, bars: readonly Bar[], options: { max?: number } = {}): string {
  const width = BAR_CHART_WIDTH
  const barHeight = 20
  const gap = 14
  const valueRoom = Math.max(0, ...bars.map((bar) => textWidth(bar.valueText))) + 8
  const plotWidth = width - valueRoom
  const max = options.max ?? niceMaximum(Math.max(0, ...bars.map((bar) => bar.value)))
  const parts: string[] = []
  let y = 0
  for (const bar of bars) {
    for (const line of wrapText(bar.label, width)) {
      y += LINE_HEIGHT
      parts.push(label(0, y - 5, line))
    }
    const length = max > 0 ? Math.min(plotWidth, Math.max(0, (bar.value / max) * plotWidth)) : 0
    y += 4
    parts.push(
      `<rect x="0" y="${y}" width="${round(length)}" height="${barHeight}" fill="${SERIES_COLOURS[0]}"/>`,
      label(length + 6, y + barHeight - 5, bar.valueText),
    )
    y += barHeight + gap
  }
  if (bars.length === 0) {
    y = LINE_HEIGHT + 10
    parts.push(label(0, LINE_HEIGHT, 'No data'))
  }
  return `${opening(text, width, y)}${parts.join('')}</svg>`
}

/**
 * One horizontal bar per category, split into a segment per series (e.g.
 * status), with a legend above and each category's name on its own line(s)
 * above its bar. Segments are not labelled: the table beneath gives each
 * count, and the bar's total is written at its end.
 */
export function stackedBarChartSvg(
  text: ChartText,
  categories: readonly string[],
  series: readonly Series[],
): string {
  const width = BAR_CHART_WIDTH
  const barHeight = 20
  const gap = 14
  const totals = categories.map((_, index) => series.reduce((sum, one) => sum + (one.values[index] ?? 0), 0))
  const valueRoom = Math.max(0, ...totals.map((total) => textWidth(String(total)))) + 8
  const plotWidth = width - valueRoom
  const max = niceMaximum(Math.max(0, ...totals))
  const parts: string[] = []
  let y = legend(series, width, parts)
  categories.forEach((category, index) => {
    for (const line of wrapText(category, width)) {
      y += LINE_HEIGHT
      parts.push(label(0, y - 5, line))
    }
    y += 4
    let x = 0
    series.forEach((one, seriesIndex) => {
      const length = ((one.values[index] ?? 0) / max) * plotWidth
      if (length <= 0) return
      parts.push(
        `<rect x="${round(x)}" y="${y}" width="${round(length)}" height="${barHeight}" ` +
          `fill="${SERIES_COLOURS[seriesIndex % SERIES_COLOURS.length]}"/>`,
      )
      x += length
    })
    parts.push(label(x + 6, y + barHeight - 5, String(totals[index] ?? 0)))
    y += barHeight + gap
  })
  if (categories.length === 0) {
    y += LINE_HEIGHT + 10
    parts.push(label(0, y - 10, 'No data'))
  }
  return `${opening(text, width, y)}${parts.join('')}</svg>`
}

/** The legend's swatches and names, wrapped onto as many rows as the width needs; returns its height. */
function legend(series: readonly Series[], width: number, parts: string[]): number {
  let x = 0
  let row = 0
  series.forEach((one, index) => {
    const itemWidth = 22 + textWidth(one.name) + 20
    if (x > 0 && x + itemWidth > width) {
      x = 0
      row += 1
    }
    const top = row * (LINE_HEIGHT + 6)
    parts.push(
      `<rect x="${x}" y="${top + 3}" width="16" height="16" fill="${SERIES_COLOURS[index % SERIES_COLOURS.length]}"/>`,
      label(x + 22, top + 17, one.name),
    )
    x += itemWidth
  })
  return series.length > 0 ? (row + 1) * (LINE_HEIGHT + 6) + 10 : 0
}

/**
 * Columns grouped by category (e.g. week), one colour per series, with a
 * legend above and each category's name wrapped beneath its group. With
 * more categories than fit the widest chart, the groups narrow and only
 * every few categories is named (the table beneath names them all).
 */
export function groupedColumnChartSvg(
  text: ChartText,
  categories: readonly string[],
  series: readonly Series[],
): string {
  const max = niceMaximum(Math.max(0, ...series.flatMap((one) => one.values)))
  const axisLabels = [max, max / 2, 0].map(axisNumber)
  const left = Math.max(...axisLabels.map((one) => textWidth(one))) + 10
  const seriesCount = Math.max(1, series.length)
  const longestWord = Math.max(
    0,
    ...categories.flatMap((one) => one.split(/\s+/).map((word) => textWidth(word))),
  )
  const wantedGroup = Math.max(seriesCount * 16 + 16, Math.min(longestWord + 12, 140))
  const room = MAX_CHART_WIDTH - left - 4
  const groupWidth =
    Math.max(1, categories.length) * wantedGroup > room ? room / Math.max(1, categories.length) : wantedGroup
  // Name every category when names fit their group, else every `every`-th, each then given the room of `every` groups.
  const every =
    groupWidth >= wantedGroup ? 1 : Math.ceil(Math.min(wantedGroup, longestWord + 12) / groupWidth)
  const width = Math.max(200, Math.ceil(left + Math.max(1, categories.length) * groupWidth + 4))
  const parts: string[] = []
  const top = legend(series, width, parts) + 10
  const plotHeight = 200
  const base = top + plotHeight
  // Axis: the maximum, its half and zero, each with a faint line across the plot.
  axisLabels.forEach((value, index) => {
    const y = top + (index * plotHeight) / 2
    parts.push(
      `<line x1="${left}" y1="${y}" x2="${width}" y2="${y}" stroke="${index === 2 ? '#0b0c0c' : '#b1b4b6'}"/>`,
      label(left - 6, y + 5, value, 'end'),
    )
  })
  const inner = Math.max(1, groupWidth - Math.min(16, groupWidth / 4))
  const columnWidth = inner / seriesCount
  let labelLines = 0
  categories.forEach((category, categoryIndex) => {
    const groupX = left + categoryIndex * groupWidth + (groupWidth - inner) / 2
    series.forEach((one, seriesIndex) => {
      const value = one.values[categoryIndex] ?? 0
      const height = (value / max) * plotHeight
      parts.push(
        `<rect x="${round(groupX + seriesIndex * columnWidth)}" y="${round(base - height)}" ` +
          `width="${round(Math.max(1, columnWidth - 1))}" height="${round(height)}" ` +
          `fill="${SERIES_COLOURS[seriesIndex % SERIES_COLOURS.length]}"/>`,
      )
    })
    if (categoryIndex % every !== 0) return
    const centre = left + (categoryIndex + 0.5) * groupWidth
    // A label wider than its group is centred on it: keep it from running past either edge of the chart.
    const room = Math.min(groupWidth * every - 6, 2 * centre, 2 * (width - centre))
    const lines = wrapText(category, room)
    labelLines = Math.max(labelLines, lines.length)
    lines.forEach((line, lineIndex) => {
      parts.push(label(centre, base + (lineIndex + 1) * LINE_HEIGHT, line, 'middle'))
    })
  })
  if (categories.length === 0) parts.push(label(left + 10, top + plotHeight / 2, 'No data'))
  const height = base + labelLines * LINE_HEIGHT + 8
  return `${opening(text, width, height)}${parts.join('')}</svg>`
}
