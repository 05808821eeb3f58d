/**
 * What checking one rule file shares between its parts: where its problems
 * go (each with the file's name) and its parameters, with a record of which
 * ones a condition or priority factor used, so an unused one is reported.
 */

import type { Parameter } from './model.ts'
import { formatPath, type Path, type RuleSetProblem } from './problems.ts'
import type { RawGlobalSafeguardsFile, RawRuleFile } from './rule-file-schema.ts'
import { didYouMean } from './suggest.ts'

type RawParameter = NonNullable<(RawRuleFile | RawGlobalSafeguardsFile)['parameters']>[string]

export class FileScope {
  readonly file: string
  readonly #parameters: Readonly<Record<string, RawParameter>>
  readonly #problems: RuleSetProblem[]
  readonly #used = new Set<string>()

  constructor(
    file: string,
    parameters: Readonly<Record<string, RawParameter>> | undefined,
    problems: RuleSetProblem[],
  ) {
    this.file = file
    this.#parameters = parameters ?? {}
    this.#problems = problems
  }

  report(path: Path, message: string): void {
    this.#problems.push({ file: this.file, path: formatPath(path), message })
  }

  parameter(name: string, path: Path): RawParameter | undefined {
    // Own keys only: a name such as toString must not find what every object inherits.
    const parameter = Object.hasOwn(this.#parameters, name) ? this.#parameters[name] : undefined
    if (!parameter) {
      this.report(
        path,
        `the parameter ${name} is not defined under parameters in this file${didYouMean(name, Object.keys(this.#parameters))}`,
      )
      return undefined
    }
    this.#used.add(name)
    return parameter
  }

  /**
   * Marks parameters as used by a condition that could not be resolved for
   * another reason, so one mistake is not reported twice.
   */
  touch(...names: (string | undefined)[]): void {
    for (const name of names)
      if (name !== undefined && Object.hasOwn(this.#parameters, name)) this.#used.add(name)
  }

  parameterList(): Parameter[] {
    return Object.entries(this.#parameters).map(([name, p]) => ({
      name,
      value: p.value,
      description: p.description,
      unit: p.unit,
    }))
  }

  reportUnusedParameters(): void {
    for (const name of Object.keys(this.#parameters)) {
      if (!this.#used.has(name)) {
        this.report(
          ['parameters', name],
          `the parameter ${name} is not used by any condition or priority factor: use it or remove it`,
        )
      }
    }
  }
}
