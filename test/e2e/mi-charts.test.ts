import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { paths } from '../../src/web/paths.ts'
import { addMiTestUsers, buildMiFixture, JULY_FORM } from '../support/mi.ts'
import { assertAccessible, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

interface ChartGeometry {
  readonly id: string
  readonly chart: Box
  readonly column: Box
  readonly texts: readonly { readonly text: string; readonly box: Box }[]
}

/** Every chart on the page, with its column (the page's main content) and the boxes of its text as drawn. */
async function chartGeometry(page: Page): Promise<ChartGeometry[]> {
  const column = await page.locator('main').boundingBox()
  assert.ok(column)
  const charts: ChartGeometry[] = []
  for (const svg of await page.locator('svg.app-chart').all()) {
    const chart = await svg.boundingBox()
    assert.ok(chart)
    const texts = []
    for (const text of await svg.locator('text').all()) {
      const box = await text.boundingBox()
      assert.ok(box)
      texts.push({ text: (await text.textContent()) ?? '', box })
    }
    const id = (await svg.locator('title').getAttribute('id')) ?? ''
    charts.push({ id, chart, column, texts })
  }
  return charts
}

const within = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5

/** Fails naming the chart and the label unless each chart is of a sensible size, in its column, with every label inside it. */
function assertChartsFit(charts: readonly ChartGeometry[], viewport: number): void {
  assert.equal(charts.length, 5, 'the weekly, status, reasons, time and rules charts')
  for (const { id, chart, column, texts } of charts) {
    assert.ok(chart.height >= 20 && chart.height <= 700, `${id} at ${viewport} px is ${chart.height} px tall`)
    assert.ok(
      within(chart, column),
      `${id} at ${viewport} px runs out of its column: ${JSON.stringify({ chart, column })}`,
    )
    assert.ok(texts.length > 0, `${id} has text`)
    for (const { text, box } of texts) {
      assert.ok(
        within(box, chart),
        `"${text}" of ${id} at ${viewport} px is cut off: ${JSON.stringify({ box, chart })}`,
      )
      // Text at a size a person reads: neither blown up with the chart nor shrunk to a speck.
      assert.ok(
        box.height >= 9 && box.height <= 26,
        `"${text}" of ${id} at ${viewport} px is ${box.height} px tall`,
      )
    }
  }
}

describe('the MI dashboard charts, in a browser', () => {
  let server: RunningServer
  let browser: Browser

  before(async () => {
    server = await startServer({ today: '2026-07-20' })
    await addMiTestUsers(server.database)
    await buildMiFixture(server.database.db)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const width of [1280, 375]) {
    it(`draws every chart at its size with no label cut off, ${width} px wide, accessibly`, async () => {
      const { page, problems, close } = await openPage(browser, { viewport: { width, height: 900 } })
      try {
        await signInThroughPage(page, server.baseUrl, 'mgr')
        await page.goto(`${server.baseUrl}${paths.miDashboard(JULY_FORM)}`)
        const charts = await chartGeometry(page)
        assertChartsFit(charts, width)
        // Each chart is an image named by its title, with the same figures in a table beneath it.
        for (const name of ['Tasks recommended and decided each week', 'Rejection reasons by task type']) {
          assert.equal(await page.getByRole('img', { name }).count(), 1, name)
        }
        assert.equal(await page.getByRole('table', { name: 'Tasks each week' }).count(), 1)
        await assertAccessible(page, `the MI dashboard at ${width} px`)
        assert.deepEqual(problems, [])
      } finally {
        await close()
      }
    })
  }

  it('draws the same charts without JavaScript', async () => {
    const { page, problems, close } = await openPage(browser, { javaScriptEnabled: false })
    try {
      await signInThroughPage(page, server.baseUrl, 'mgr')
      await page.goto(`${server.baseUrl}${paths.miDashboard(JULY_FORM)}`)
      assertChartsFit(await chartGeometry(page), 1280)
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })
})
