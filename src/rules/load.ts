/**
 * Loads the rule set from rules/: every YAML file, checked for structure
 * (rule-file-schema.ts) and meaning (validate.ts). Either the whole set is
 * usable and a RuleSet comes back, or a RuleSetError lists every problem
 * with its file and path — an invalid rule never reaches the database.
 *
 * The version is a hash of the files' content, so the same rules always have
 * the same version and any edit gives a new one.
 */
import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { parseYamlText } from '../yaml/parse.ts'
import { readYamlFile } from '../yaml/read-file.ts'
import type { Rule, RuleSet, RuleSetFile } from './model.ts'
import { formatPath, RuleSetError, type RuleSetProblem } from './problems.ts'
import { GLOBAL_SAFEGUARDS_FILE, globalSafeguardsFile, ruleFile } from './rule-file-schema.ts'
import { checkStructure } from './structure.ts'
import { didYouMean } from './suggest.ts'
import { type ValidatedGlobal, validateGlobalSafeguards, validateRule } from './validate.ts'

export { RuleSetError, type RuleSetProblem } from './problems.ts'

export interface LoadOptions {
  /**
   * The task types in the reference data. With a set of codes, a rule for an
   * unknown code is a problem; with a map, whether each is an enforcement
   * task type is checked against the rule's globalSafeguards too.
   */
  readonly taskTypes?: ReadonlySet<string> | ReadonlyMap<string, { readonly enforcement: boolean }>
}

const RULE_FILE = /\.ya?ml$/

export async function loadRuleSet(directory: string, options: LoadOptions = {}): Promise<RuleSet> {
  let names: string[]
  try {
    names = (await readdir(directory)).filter((name) => RULE_FILE.test(name) && !name.startsWith('.'))
  } catch (error) {
    throw new RuleSetError([
      { file: directory, path: '', message: `cannot read the rule directory: ${(error as Error).message}` },
    ])
  }
  const files: RuleSetFile[] = []
  const unreadable: RuleSetProblem[] = []
  for (const name of names.sort()) {
    const read = await readYamlFile(join(directory, name))
    if (read.ok) files.push({ name, content: read.text })
    else unreadable.push({ file: name, path: '', message: read.message })
  }
  return assemble(files, options, unreadable)
}

/** The same as loadRuleSet, from files already in memory (a draft being simulated, a test). */
export function ruleSetFromFiles(files: readonly RuleSetFile[], options: LoadOptions = {}): RuleSet {
  return assemble(files, options, [])
}

/** Checks the files and builds the rule set, adding to the problems found in reading them. */
function assemble(files: readonly RuleSetFile[], options: LoadOptions, problems: RuleSetProblem[]): RuleSet {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  // A rule file that could not be read has already been reported.
  if (problems.length === 0 && !sorted.some((f) => f.name !== GLOBAL_SAFEGUARDS_FILE)) {
    problems.push({ file: '(rule set)', path: '', message: 'there are no rule files' })
  }

  let global: ValidatedGlobal | undefined
  const globalSource = sorted.find((f) => f.name === GLOBAL_SAFEGUARDS_FILE)
  if (globalSource) {
    const parsed = parseYaml(globalSource, problems)
    if (parsed.ok) {
      const checked = checkStructure(globalSource.name, globalSafeguardsFile, parsed.value)
      if ('data' in checked) global = validateGlobalSafeguards(globalSource.name, checked.data, problems)
      else problems.push(...checked.problems)
    }
  }

  const rules: Rule[] = []
  const codes = new Map<string, string>()
  for (const source of sorted) {
    if (source.name === GLOBAL_SAFEGUARDS_FILE) continue
    const parsed = parseYaml(source, problems)
    if (!parsed.ok) continue
    const checked = checkStructure(source.name, ruleFile, parsed.value)
    if (!('data' in checked)) {
      problems.push(...checked.problems)
      continue
    }
    const raw = checked.data
    const report = (path: string, message: string) => problems.push({ file: source.name, path, message })
    const earlier = codes.get(raw.code)
    if (earlier) report('code', `the code ${raw.code} is also used by ${earlier}: one file per task type`)
    else codes.set(raw.code, source.name)
    if (source.name.replace(RULE_FILE, '') !== raw.code) {
      report('code', `the file for ${raw.code} must be named ${raw.code}.yaml`)
    }
    const taskTypes = options.taskTypes
    if (taskTypes && !taskTypes.has(raw.code)) {
      report(
        'code',
        `${raw.code} is not a task type in the reference data${didYouMean(raw.code, taskTypes.keys())}`,
      )
    } else if (taskTypes instanceof Map) {
      const enforcement = (taskTypes.get(raw.code) as { enforcement: boolean }).enforcement
      if (enforcement !== raw.globalSafeguards) {
        report(
          'globalSafeguards',
          enforcement
            ? `${raw.code} is an enforcement task type, so the global safeguards must apply (globalSafeguards: true)`
            : `${raw.code} is not an enforcement task type, so the global safeguards must not apply (globalSafeguards: false)`,
        )
      }
    }
    const rule = validateRule(source.name, raw, global, problems)
    if (rule) rules.push(rule)
  }

  if (problems.length > 0) throw new RuleSetError(problems)
  const order = options.taskTypes ? [...options.taskTypes.keys()] : []
  rules.sort((a, b) => rank(order, a.code) - rank(order, b.code) || (a.code < b.code ? -1 : 1))
  return {
    version: ruleSetVersion(sorted),
    rules,
    globalSafeguards: global?.model,
    files: sorted,
  }
}

function rank(order: readonly string[], code: string): number {
  const index = order.indexOf(code)
  return index < 0 ? order.length : index
}

/** The first 12 hex digits of a SHA-256 over every file's name and content, in name order. */
export function ruleSetVersion(files: readonly RuleSetFile[]): string {
  const hash = createHash('sha256')
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    hash.update(`${file.name}\u0000${file.content}\u0000`)
  }
  return hash.digest('hex').slice(0, 12)
}

function parseYaml(
  source: RuleSetFile,
  problems: RuleSetProblem[],
): { ok: true; value: unknown } | { ok: false } {
  const parsed = parseYamlText(source.content)
  if (parsed.ok) return parsed
  for (const { at, message } of parsed.problems) {
    const path = 'line' in at ? `line ${at.line}, column ${at.column}` : formatPath(at)
    problems.push({ file: source.name, path, message })
  }
  return { ok: false }
}
