/**
 * Parses the text of a hand-edited YAML file (a rule file, reference data)
 * into plain data, refusing whatever could not safely reach the database or
 * the code that reads it, each with where it is in the file:
 *   - control characters in the text (PostgreSQL stores no NUL; the others
 *     are invisible mistakes), and in any text value or key written with an
 *     escape ("\0");
 *   - tags other than the core schema's (`!!binary` would give bytes,
 *     `!!timestamp` a Date, `!foo` is meaningless);
 *   - aliases repeated so often that expanding them would exhaust memory
 *     (the "billion laughs");
 *   - numbers that are not finite (`.inf`, `.nan`, `1e999`);
 *   - the keys `__proto__`, `constructor` and `prototype`, which would
 *     reach into JavaScript objects' prototypes;
 *   - nesting deeper than any real file needs, which the code that walks the
 *     data (and the SQL compiled from rules) would not survive.
 * What the data means is for the caller's schema to check.
 */
import { type Document, isMap, isPair, isSeq, parseDocument, visit } from 'yaml'

export type YamlPath = readonly (string | number)[]

export interface YamlProblem {
  /** The keys and list positions leading to the problem; a line and column when the text does not parse. */
  readonly at: YamlPath | { readonly line: number; readonly column: number }
  readonly message: string
}

export type ParsedYaml =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problems: YamlProblem[] }

/** How often one file may use its anchors (`*name`): plenty for sharing a few conditions. */
export const YAML_MAX_ALIASES = 100
/** Real rule files nest conditions a handful of levels deep. */
export const YAML_MAX_DEPTH = 40

/** Control characters (C0, DEL, C1) other than tab, line feed and carriage return. */
const CONTROL_CHARACTER = /(?![\t\n\r])\p{Cc}/u
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
const CORE_TAG = /^tag:yaml\.org,2002:(str|int|float|bool|null|map|seq)$/
/** What a key stands for under these parents, so the message can say "parameter name". */
const KEY_WORDS: Readonly<Record<string, string>> = {
  parameters: 'a parameter name',
  definitions: 'a definition name',
}

export function parseYamlText(text: string): ParsedYaml {
  const control = firstControlCharacter(text)
  if (control) return { ok: false, problems: [control] }

  const document = parseDocument(text, {
    schema: 'core',
    // The core schema would otherwise still turn !!binary into bytes and !!timestamp into a Date.
    resolveKnownTags: false,
    uniqueKeys: true,
    prettyErrors: true,
  })
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const position = error.linePos?.[0]
        return {
          at: position ? { line: position.line, column: position.col } : [],
          message: `is not valid YAML: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
        }
      }),
    }
  }
  const tags = unsupportedTags(document)
  if (tags.length > 0) return { ok: false, problems: tags }

  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: YAML_MAX_ALIASES })
  } catch (error) {
    // yaml refuses an alias bomb, or an alias to an anchor it does not know, by throwing.
    return {
      ok: false,
      problems: [
        {
          at: [],
          message: /excessive alias count/i.test((error as Error).message)
            ? `uses its anchors (*name) so often that expanding them would take too much memory`
            : `is not valid YAML: ${(error as Error).message}`,
        },
      ],
    }
  }
  const problems: YamlProblem[] = []
  checkValue(value, [], problems)
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value }
}

function firstControlCharacter(text: string): YamlProblem | undefined {
  const match = CONTROL_CHARACTER.exec(text)
  if (!match) return undefined
  const before = text.slice(0, match.index)
  const line = before.split('\n').length
  const column = match.index - before.lastIndexOf('\n')
  return { at: { line, column }, message: `contains a control character (${codePoint(match[0])}): remove it` }
}

/** Explicit tags other than the core schema's, at the key path of the value that carries one. */
function unsupportedTags(document: Document): YamlProblem[] {
  const problems: YamlProblem[] = []
  visit(document, (_key, node, ancestors) => {
    const tag = (node as { tag?: string } | null)?.tag
    if (tag === undefined || CORE_TAG.test(tag)) return
    problems.push({
      at: keyPath([...ancestors, node]),
      message: `uses the tag ${tag.replace('tag:yaml.org,2002:', '!!')}, which is not supported: write plain text, a number, true or false, a list or a mapping`,
    })
  })
  return problems
}

function keyPath(chain: readonly unknown[]): YamlPath {
  const path: (string | number)[] = []
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1]
    const child = chain[i]
    if (isSeq(parent)) path.push(parent.items.indexOf(child as never))
    else if (isMap(parent) && isPair(child))
      path.push(String((child.key as { value?: unknown })?.value ?? child.key))
  }
  return path
}

function checkValue(value: unknown, path: YamlPath, problems: YamlProblem[]): void {
  if (path.length > YAML_MAX_DEPTH) {
    problems.push({ at: path, message: `is nested more than ${YAML_MAX_DEPTH} levels deep` })
    return
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) problems.push({ at: path, message: 'is not a number (.nan)' })
    else if (!Number.isFinite(value)) problems.push({ at: path, message: 'is not a finite number' })
  } else if (typeof value === 'string') {
    const problem = textProblem(value)
    if (problem) problems.push({ at: path, message: problem })
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      checkValue(item, [...path, i], problems)
    })
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = [...path, key]
      if (FORBIDDEN_KEYS.has(key)) {
        const parent = path.at(-1)
        const what = (typeof parent === 'string' && KEY_WORDS[parent]) || 'a key'
        problems.push({ at, message: `${key} is not allowed as ${what}` })
        continue
      }
      const problem = textProblem(key)
      if (problem) problems.push({ at, message: `the key ${problem}` })
      checkValue(item, at, problems)
    }
  }
}

function textProblem(text: string): string | undefined {
  const control = CONTROL_CHARACTER.exec(text)
  if (control) return `must not contain control characters (it contains ${codePoint(control[0])})`
  if (!text.isWellFormed()) return 'contains a broken character (half of a surrogate pair): retype it'
  return undefined
}

function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}
