/**
 * The import graph of src/ and the two checks on it: no circle, and no
 * import from a lower layer up to a higher one (test/unit/import-graph.test.ts
 * holds the layer order). Every relative import counts, `import type` and a
 * dynamic `import('…')` included: a type-only circle still ties two modules
 * together, and a module loaded late is still one its importer depends on.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'

/** Each module (a path such as `web/app.ts`, relative to src/) and the modules it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>

/**
 * Top-level statements only (`import` or `export` at the start of a line),
 * so an example in a comment is not taken for an import. Between the
 * keyword and `from` come only names, braces, commas and `*`.
 */
const STATIC_IMPORT = /^(?:import|export)\s+[\w\s{},*$]*?\bfrom\s*['"]([^'"]+)['"]/gm
const SIDE_EFFECT_IMPORT = /^import\s*['"]([^'"]+)['"]/gm
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g
const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*).*$/gm

/** The specifiers a module's source imports, in order of appearance per kind. */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(COMMENT_LINE, '')
  return [STATIC_IMPORT, SIDE_EFFECT_IMPORT, DYNAMIC_IMPORT].flatMap((pattern) =>
    [...code.matchAll(pattern)].map((match) => match[1] as string),
  )
}

/** The module a relative specifier names, relative to src/; undefined for a package or a file outside src/. */
export function resolveImport(importer: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const target = normalize(join(dirname(importer), specifier))
  return target.startsWith('..') ? undefined : target
}

/** Every .ts module under `srcDir` and the modules it imports (what it names, whether or not it exists). */
export function readImportGraph(srcDir: string): ImportGraph {
  const modules = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .sort()
  return new Map(
    modules.map((module) => {
      const source = readFileSync(join(srcDir, module), 'utf8')
      const targets = importSpecifiers(source).flatMap((specifier) => resolveImport(module, specifier) ?? [])
      return [module, [...new Set(targets)]]
    }),
  )
}

/** Imports of a module that is not in the graph: a typing slip, or a specifier this reader misread. */
export function missingModules(graph: ImportGraph): string[] {
  return [...graph].flatMap(([module, targets]) =>
    targets
      .filter((target) => !graph.has(target))
      .map((target) => `${module} imports ${target}, which is not there`),
  )
}

/** The strongly connected components of more than one module, or of one that imports itself (Tarjan's). */
function circularComponents(graph: ImportGraph): string[][] {
  const index = new Map<string, number>()
  const lowest = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []

  const visit = (module: string): void => {
    index.set(module, index.size)
    lowest.set(module, index.get(module) as number)
    stack.push(module)
    onStack.add(module)
    for (const target of graph.get(module) ?? []) {
      if (!graph.has(target)) continue
      if (!index.has(target)) {
        visit(target)
        lowest.set(module, Math.min(lowest.get(module) as number, lowest.get(target) as number))
      } else if (onStack.has(target)) {
        lowest.set(module, Math.min(lowest.get(module) as number, index.get(target) as number))
      }
    }
    if (lowest.get(module) !== index.get(module)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop() as string
      onStack.delete(member)
      component.push(member)
    } while (member !== module)
    if (component.length > 1 || graph.get(module)?.includes(module)) components.push(component.sort())
  }

  for (const module of graph.keys()) if (!index.has(module)) visit(module)
  return components
}

/** One way round a component: from its first module back to itself, through its members only. */
function oneCircle(graph: ImportGraph, component: readonly string[]): string[] {
  const members = new Set(component)
  const start = component[0] as string
  const cameFrom = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const module = queue.shift() as string
    for (const target of graph.get(module) ?? []) {
      if (!members.has(target)) continue
      if (target === start) {
        const path = [module]
        while (path[0] !== start) path.unshift(cameFrom.get(path[0] as string) as string)
        return [...path, start]
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, module)
        queue.push(target)
      }
    }
  }
  return [...component]
}

/** Every import circle, each as the modules one way round it (a → b → a) and the others it takes in. */
export function importCircles(graph: ImportGraph): string[] {
  return circularComponents(graph).map((component) => {
    const circle = oneCircle(graph, component)
    const others = component.filter((module) => !circle.includes(module))
    return `${circle.join(' → ')}${others.length > 0 ? ` (with ${others.join(', ')})` : ''}`
  })
}

/**
 * A level of the layer order. A layer is a folder of src/ or a module at its
 * top, named without `.ts`. Layers of one level may import one another only
 * if `mutual`; all may import the levels below.
 */
export interface Level {
  readonly layers: readonly string[]
  readonly mutual: boolean
}

/** The layer a module belongs to: its folder under src/, or its own name at the top. */
export function layerOf(module: string): string {
  return (module.split('/')[0] as string).replace(/\.ts$/, '')
}

/** Where each layer sits: its level, counted from the top. */
function levelIndex(order: readonly Level[]): Map<string, number> {
  return new Map(order.flatMap((level, position) => level.layers.map((layer) => [layer, position] as const)))
}

/** Why `from` may not import `to`, or undefined when it may. */
function layerProblem(order: readonly Level[], levels: Map<string, number>, from: string, to: string) {
  const fromLevel = levels.get(from)
  const toLevel = levels.get(to)
  if (fromLevel === undefined) return `${from} is in no layer of the order`
  if (toLevel === undefined) return `${to} is in no layer of the order`
  if (toLevel < fromLevel) return `${from} may not import ${to}, a layer above it`
  if (toLevel === fromLevel && from !== to && !order[fromLevel]?.mutual) {
    return `${from} may not import ${to}, a layer beside it`
  }
  return undefined
}

/** Every import that goes up the layer order or sideways where that is not allowed. */
export function layerViolations(graph: ImportGraph, order: readonly Level[]): string[] {
  const levels = levelIndex(order)
  return [...graph].flatMap(([module, targets]) =>
    targets.flatMap((target) => {
      const problem = layerProblem(order, levels, layerOf(module), layerOf(target))
      return problem ? [`${module} imports ${target}: ${problem}`] : []
    }),
  )
}
