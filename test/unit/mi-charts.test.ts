import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { withFlags } from '../../src/mi/dashboard.ts'
import { decisionsOf } from '../../src/web/routes/mi/decisions.ts'
import { textWidth, wrapText } from '../../src/web/view-models/chart-text.ts'
import { equalityTables, groupName } from '../../src/web/view-models/equality-tables.ts'
import {
  BAR_CHART_WIDTH,
  barChartSvg,
  escapeXml,
  groupedColumnChartSvg,
  MAX_CHART_WIDTH,
  niceMaximum,
  stackedBarChartSvg,
} from '../../src/web/view-models/mi-charts.ts'
import { dashboardSections } from '../../src/web/view-models/mi-dashboard.ts'

const text = { id: 'c1', title: 'Acceptance <by> rule', description: 'Share & count' }

/** The chart's own size, from its width and height attributes, which must match its viewBox. */
function size(svg: string): { width: number; height: number } {
  const match =
    /^<svg [^>]*width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)" viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)
  assert.ok(match, 'the chart has a width, a height and a viewBox')
  assert.equal(match[1], match[3])
  assert.equal(match[2], match[4])
  return { width: Number(match[1]), height: Number(match[2]) }
}

/** Each line of text with where it starts and ends, as estimated. */
function labels(svg: string): { text: string; left: number; right: number; y: number }[] {
  return [
    ...svg.matchAll(/<text x="([\d.-]+)" y="([\d.-]+)"(?: text-anchor="(\w+)")?[^>]*>([^<]*)<\/text>/g),
  ].map(([, x, y, anchor, content]) => {
    const width = textWidth(content ?? '')
    const start = Number(x) - (anchor === 'middle' ? width / 2 : anchor === 'end' ? width : 0)
    return { text: content ?? '', left: start, right: start + width, y: Number(y) }
  })
}

function assertLabelsInside(svg: string): void {
  const { width, height } = size(svg)
  for (const label of labels(svg)) {
    assert.ok(
      label.left >= 0 && label.right <= width,
      `"${label.text}" runs from ${label.left} to ${label.right} of ${width}`,
    )
    assert.ok(label.y > 0 && label.y <= height, `"${label.text}" at y ${label.y} of ${height}`)
  }
}

describe('chart text', () => {
  it('wraps a label between words to the width it has, breaking only a word longer than a line', () => {
    const lines = wrapText('Information about the person was incorrect in the source system', 200)
    assert.ok(lines.length > 1)
    assert.equal(lines.join(' '), 'Information about the person was incorrect in the source system')
    for (const line of lines) assert.ok(textWidth(line) <= 200, line)
    const broken = wrapText('Supercalifragilisticexpialidocious', 80)
    assert.equal(broken.join(''), 'Supercalifragilisticexpialidocious')
    for (const line of broken) assert.ok(textWidth(line) <= 80, line)
    assert.deepEqual(wrapText('', 80), [''])
  })

  it('estimates capitals and wide letters wider than narrow ones', () => {
    assert.ok(textWidth('www') > textWidth('AAA'))
    assert.ok(textWidth('AAA') > textWidth('aaa'))
    assert.ok(textWidth('aaa') > textWidth('iii'))
  })
})

describe('SVG charts', () => {
  it('is an image at its own size with its title and description referenced for screen readers', () => {
    const svg = barChartSvg(text, [{ label: 'A', value: 1, valueText: '1' }])
    assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="c1-title c1-desc"/)
    assert.match(svg, /<title id="c1-title">Acceptance &#60;by&#62; rule<\/title>/)
    assert.match(svg, /<desc id="c1-desc">Share &#38; count<\/desc>/)
    assert.match(svg, /<\/svg>$/)
    assert.doesNotMatch(svg, /width="100%"/, 'not stretched to whatever width the page has')
    assert.equal(size(svg).width, BAR_CHART_WIDTH)
  })

  it('draws bars in proportion to their values, each label above its bar and wrapped, escaped', () => {
    const long =
      'Information about the person was incorrect in the source system (Failed-to-report follow-up)'
    const svg = barChartSvg(
      text,
      [
        { label: 'Rule <a>', value: 0.5, valueText: '50%' },
        { label: long, value: 1, valueText: '100%' },
      ],
      { max: 1 },
    )
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((match) => Number(match[1]))
    assert.equal(widths.length, 2)
    assert.equal(widths[0], (widths[1] ?? 0) / 2)
    assert.match(svg, />Rule &#60;a&#62;</)
    assert.match(svg, />50%</)
    assert.doesNotMatch(svg, /<a>/)
    assert.ok(
      labels(svg).filter((label) => long.includes(label.text)).length > 1,
      'the long label is wrapped',
    )
    assertLabelsInside(svg)
  })

  it('draws grouped columns with a legend, in proportion, and says so when there is nothing to draw', () => {
    const svg = groupedColumnChartSvg(
      text,
      ['W1', 'W2'],
      [
        { name: 'Recommended', values: [10, 5] },
        { name: 'Decided', values: [4, 0] },
      ],
    )
    const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)" fill/g)].map((match) => Number(match[1]))
    // Legend swatches (16) then columns, scaled to a maximum of 10 over 200 pixels.
    assert.deepEqual(heights, [16, 16, 200, 80, 100, 0])
    assert.match(svg, />Recommended</)
    assertLabelsInside(svg)
    assert.match(groupedColumnChartSvg(text, [], []), />No data</)
    assert.match(barChartSvg(text, []), />No data</)
    assert.match(stackedBarChartSvg(text, [], []), />No data</)
  })

  it('keeps a year of weeks within the widest chart, naming only as many weeks as fit', () => {
    const weeks = Array.from({ length: 53 }, (_, index) => `${(index % 28) + 1} Jun`)
    const svg = groupedColumnChartSvg(text, weeks, [
      { name: 'Recommended', values: weeks.map((_, index) => index) },
      { name: 'Decided', values: weeks.map(() => 3) },
    ])
    assert.ok(size(svg).width <= MAX_CHART_WIDTH)
    const names = labels(svg).filter((label) => label.text.endsWith('Jun'))
    assert.ok(names.length > 5 && names.length < 53, `${names.length} weeks named`)
    const sorted = names.sort((a, b) => a.left - b.left)
    sorted.slice(1).forEach((label, index) => {
      assert.ok(label.left >= (sorted[index]?.right ?? 0), `"${label.text}" overlaps the week before it`)
    })
    assertLabelsInside(svg)
  })

  it('stacks each category’s series into one bar, wrapping a legend wider than the chart', () => {
    const series = ['Recommended', 'Accepted', 'Rejected', 'On hold', 'Withdrawn'].map((name, index) => ({
      name,
      values: [index + 1, 0],
    }))
    const svg = stackedBarChartSvg(
      text,
      ['Travel-document interview at next reporting event', 'Other'],
      series,
    )
    const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="20"/g)]
    assert.equal(bars.length, 5, 'one segment per non-zero series; none for the empty category')
    assert.ok(
      labels(svg).some((label) => label.text === '15'),
      'the total at the end of the bar',
    )
    assert.ok(
      new Set(
        labels(svg)
          .filter((label) => series.some((one) => one.name === label.text))
          .map((l) => l.y),
      ).size > 1,
    )
    assertLabelsInside(svg)
  })

  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    assert.equal(niceMaximum(0), 1)
    assert.equal(niceMaximum(7), 10)
    assert.equal(niceMaximum(13), 20)
    assert.equal(niceMaximum(420), 500)
    assert.equal(escapeXml(`"'`), '&#34;&#39;')
  })
})

describe('equality tables', () => {
  it('names genders in words and shows a small group without its figures or a flag', () => {
    assert.deepEqual(
      ['F', 'M', 'U', 'X'].map((code) => groupName('gender', code)),
      ['Female', 'Male', 'Unknown', 'Other'],
    )
    assert.equal(groupName('nationality', 'Albania'), 'Albania')
    const table = withFlags(
      'gender',
      [
        { group: 'F', base: 40, count: 10 },
        { group: 'M', base: 50, count: 30 },
        { group: 'X', base: 3, count: 3 },
      ],
      { minimumGroupSize: 10 },
    )
    const [rendered] = equalityTables([table], 'People', 'Recommended')
    assert.deepEqual(
      rendered?.rows.map((row) => row.map((cell) => ('text' in cell ? cell.text : cell.html))),
      [
        [
          'Female',
          '40',
          '10',
          '25.0%',
          '<strong class="govuk-tag govuk-tag--red">Below four-fifths</strong>',
        ],
        [
          'Male',
          '50',
          '30',
          '60.0%',
          '<strong class="govuk-tag govuk-tag--orange">Above five-fourths</strong>',
        ],
        ['Other', 'Not shown: fewer than 10 people'],
      ],
    )
    assert.equal(rendered?.caption, 'Gender (overall 46.2%)', 'the overall rate counts the small group too')
    const few = withFlags('gender', [{ group: 'F', base: 6, count: 6 }], { minimumGroupSize: 10 })
    assert.equal(few.overallRate, null)
    assert.equal(
      equalityTables([few], 'People', 'Recommended')[0]?.caption,
      'Gender (overall not shown: fewer than 10 people in all)',
      'an overall rate of so few would tell the small group’s',
    )
  })
})

describe('the way to the decisions behind a flag', () => {
  it('gives a flagged user’s "Check decisions" a link to their decisions, named for screen readers', () => {
    const flagged = {
      userId: 'u1',
      name: 'Quick Stamp',
      accepted: 40,
      rejected: 0,
      rate: 1,
      medianSecondsToAccept: 12,
    }
    const dashboard = {
      weeks: [],
      statusByType: [],
      reasonsByType: [],
      decisionTimes: [],
      overallMedianSeconds: null,
      rules: [],
      users: [
        { ...flagged, flagged: true },
        { ...flagged, userId: 'u2', name: 'Careful Reader', flagged: false },
      ],
      recommendationRates: [],
      acceptanceRates: [],
      equalityOptions: { minimumGroupSize: 10 },
    }
    const users = dashboardSections(
      dashboard,
      (of) => `/decisions/${'userId' in of ? of.userId : of.ruleVersion}`,
    ).find((section) => section.id === 'users')
    const flags = users?.tables[0]?.rows.map((row) => row.at(-1))
    assert.deepEqual(flags, [
      {
        html:
          '<strong class="govuk-tag govuk-tag--red">Check decisions</strong> <a class="govuk-link" href="/decisions/u1">' +
          'See the decisions<span class="govuk-visually-hidden"> by Quick Stamp</span></a>',
      },
      { text: '' },
    ])
  })

  it('reads whose decisions from the address: a user or a rule version, never both or neither', () => {
    assert.deepEqual(decisionsOf({ user: ' u1 ' }), { userId: 'u1' })
    assert.deepEqual(decisionsOf({ ruleVersion: 'v2' }), { ruleVersion: 'v2' })
    assert.equal(decisionsOf({ user: 'u1', ruleVersion: 'v2' }), undefined)
    assert.equal(decisionsOf({ user: 'u1', ruleVersion: '' }), undefined)
    assert.equal(decisionsOf({ user: ['u1', 'u2'] }), undefined)
    assert.equal(decisionsOf({}), undefined)
    assert.equal(decisionsOf(undefined), undefined)
  })
})
