/**
 * The shape of src/'s imports: no circles, and every import points down the
 * layer order (docs/decisions/0000-architecture.md). The checker itself is
 * tested first, on small graphs made up here, so a check that could never
 * fail does not pass unnoticed.
 */
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { describe, it } from 'node:test'
import {
  type ImportGraph,
  importCircles,
  importSpecifiers,
  type Level,
  layerViolations,
  missingModules,
  readImportGraph,
  resolveImport,
} from '../support/import-graph.ts'

/**
 * From the top down: the entry points and composition roots, then web →
 * review → tasks → rules → cases · mi → access → audit → db → config → clock, then
 * the leaf modules anyone may use. cases and mi are one level but do not
 * import each other.
 */
const LAYER_ORDER: readonly Level[] = [
  { layers: ['cli', 'commands', 'runtime', 'services'], mutual: true },
  { layers: ['web'], mutual: false },
  { layers: ['events'], mutual: false },
  { layers: ['transparency'], mutual: false },
  { layers: ['review'], mutual: false },
  { layers: ['tasks'], mutual: false },
  { layers: ['rules'], mutual: false },
  { layers: ['cases', 'mi'], mutual: false },
  { layers: ['access'], mutual: false },
  { layers: ['audit'], mutual: false },
  { layers: ['jobs'], mutual: false },
  { layers: ['db'], mutual: false },
  { layers: ['config'], mutual: false },
  { layers: ['clock'], mutual: false },
  { layers: ['dates', 'hidden-characters', 'logger', 'yaml'], mutual: true },
]

const SRC = resolve(import.meta.dirname, '../../src')

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges))

describe('the import graph checker', () => {
  it('reads static, type-only, re-exported, side-effect and dynamic imports, not those in comments', () => {
    const source = [
      '/**',
      " * import { hidden } from './in-a-comment.ts'",
      " * const late = await import('./also-in-a-comment.ts')",
      ' */',
      "import { a } from './a.ts'",
      "import type { B } from '../b/b.ts'",
      'import {',
      '  c,',
      '  type C,',
      "} from './c.ts'",
      "export { d } from './d.ts'",
      "export * from './e.ts'",
      "import './f.ts'",
      "import { z } from 'zod'",
      "// const g = await import('./commented-out.ts')",
      'export const h = async () => {',
      "  const { run } = await import('./h.ts')",
      '}',
    ].join('\n')
    assert.deepEqual(importSpecifiers(source), [
      './a.ts',
      '../b/b.ts',
      './c.ts',
      './d.ts',
      './e.ts',
      'zod',
      './f.ts',
      './h.ts',
    ])
  })

  it('resolves relative imports within src/ and leaves packages and files outside it alone', () => {
    assert.equal(resolveImport('web/routes/case.ts', '../../access/roles.ts'), 'access/roles.ts')
    assert.equal(resolveImport('config.ts', './clock.ts'), 'clock.ts')
    assert.equal(resolveImport('web/info.ts', '../../package.json'), undefined)
    assert.equal(resolveImport('web/app.ts', 'fastify'), undefined)
  })

  it('names the modules of every circle, type-only ones too', () => {
    const graph = graphOf({
      'rules/outline.ts': ['rules/explanation.ts'],
      'rules/explanation.ts': ['rules/outline.ts', 'dates.ts'],
      'cases/a.ts': ['cases/b.ts'],
      'cases/b.ts': ['cases/c.ts'],
      'cases/c.ts': ['cases/a.ts'],
      'dates.ts': [],
    })
    assert.deepEqual(importCircles(graph).sort(), [
      'cases/a.ts → cases/b.ts → cases/c.ts → cases/a.ts',
      'rules/explanation.ts → rules/outline.ts → rules/explanation.ts',
    ])
    assert.deepEqual(importCircles(graphOf({ 'a.ts': ['dates.ts'], 'dates.ts': [] })), [])
  })

  it('refuses an upward import, a sideways one between cases and mi, and a module in no layer', () => {
    const graph = graphOf({
      'web/app.ts': ['review/lists.ts', 'dates.ts'],
      'review/lists.ts': ['web/paths.ts', 'db/connect.ts'],
      'web/paths.ts': [],
      'db/connect.ts': ['config.ts', 'commands/serve.ts'],
      'config.ts': ['clock.ts'],
      'clock.ts': ['dates.ts'],
      'dates.ts': ['logger.ts'],
      'logger.ts': [],
      'mi/report.ts': ['cases/values.ts'],
      'cases/values.ts': [],
      'commands/serve.ts': ['web/app.ts', 'runtime.ts'],
      'runtime.ts': [],
      'extra/thing.ts': ['dates.ts'],
    })
    assert.deepEqual(layerViolations(graph, LAYER_ORDER), [
      'review/lists.ts imports web/paths.ts: review may not import web, a layer above it',
      'db/connect.ts imports commands/serve.ts: db may not import commands, a layer above it',
      'mi/report.ts imports cases/values.ts: mi may not import cases, a layer beside it',
      'extra/thing.ts imports dates.ts: extra is in no layer of the order',
    ])
  })

  it('names an import of a module that is not there', () => {
    assert.deepEqual(missingModules(graphOf({ 'web/app.ts': ['web/gone.ts'] })), [
      'web/app.ts imports web/gone.ts, which is not there',
    ])
  })
})

describe("src/'s imports", () => {
  const graph = readImportGraph(SRC)

  it('reads the whole of src/', () => {
    assert.ok(graph.size > 100, `only ${graph.size} modules read`)
    assert.ok(graph.get('cli.ts')?.includes('commands/serve.ts'), 'the dynamic imports are read')
    assert.deepEqual(missingModules(graph), [])
  })

  it('form no circle', () => {
    const circles = importCircles(graph)
    assert.deepEqual(circles, [], `import circles:\n${circles.join('\n')}`)
  })

  it('point only down the layer order', () => {
    const violations = layerViolations(graph, LAYER_ORDER)
    assert.deepEqual(violations, [], `imports against the layer order:\n${violations.join('\n')}`)
  })
})
