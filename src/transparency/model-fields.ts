/**
 * The model specification (ATRS 2.4.2) of one rule: the rules are this
 * tool's models. Everything comes from the rule as loaded — its words, its
 * conditions, safeguards and factors in plain English, the fields it reads —
 * and from what people decided on its recommendations.
 */
import { formatLongDate } from '../dates.ts'
import { fieldsReadBy } from '../rules/fields-read.ts'
import type { Condition, Rule } from '../rules/model.ts'
import type { Block } from './blocks.ts'
import { sensitivityOf } from './sensitive-data.ts'
import { oneLine, percent, type ServiceContext } from './service-fields.ts'

const paragraph = (text: string): Block => ({ kind: 'paragraph', text })

/** Blocks for each attribute of the model specification, by attribute. */
export function modelBlocks(rule: Rule, context: ServiceContext): Readonly<Record<string, readonly Block[]>> {
  const latest = rule.changes.at(-1)
  const rates = context.facts.rates.filter((r) => r.taskType === rule.code)
  const maxPoints = rule.priority.reduce((sum, factor) => sum + factor.weight, 0)
  return {
    model_name: [paragraph(rule.name)],
    model_version: [
      paragraph(
        `Rule set version ${context.ruleSet?.version ?? 'unknown'}` +
          (latest
            ? `; this rule last changed on ${formatLongDate(latest.date)}: ${oneLine(latest.note)}`
            : ''),
      ),
    ],
    model_task: [paragraph(oneLine(rule.description))],
    model_input: [
      {
        kind: 'list',
        items: fieldsReadBy(rule).map((field) =>
          sensitivityOf(field.name)?.sensitive ? `${field.label} (sensitive)` : field.label,
        ),
      },
    ],
    model_output: [
      paragraph(
        'A recommendation that the person is suitable for this task, or none. A recommendation carries a priority ' +
          `from 0 to ${maxPoints} points, the date it is tied to, and the reasons: each safeguard and condition with the person’s value.`,
      ),
    ],
    model_architecture: [
      paragraph(
        'A rule written by people: safeguards checked first, then conditions that must all hold, then priority factors.',
      ),
      paragraph('Safeguards (a person any of these describe is not recommended):'),
      { kind: 'list', items: rule.safeguards.map((safeguard) => oneLine(safeguard.text)) },
      paragraph('Conditions (all must hold):'),
      { kind: 'list', items: rule.eligibility.flatMap(conditionLines) },
      paragraph('Priority factors:'),
      {
        kind: 'list',
        items: rule.priority.map((factor) => `${oneLine(factor.text)}: up to ${factor.weight} points`),
      },
    ],
    model_performance: [
      paragraph(
        'A rule is not scored for accuracy: it does exactly what its conditions say, which its test cases check. ' +
          'How often people accepted its recommendations shows how well it matches their judgement:',
      ),
      rates.length > 0
        ? {
            kind: 'table',
            caption: `Decisions on ${rule.name} recommendations`,
            head: ['Version', 'Accepted', 'Rejected', 'Placed on hold', 'Share accepted'],
            rows: rates.map((r) => [
              r.ruleSetVersion,
              r.accepted.toLocaleString('en-GB'),
              r.rejected.toLocaleString('en-GB'),
              r.onHold.toLocaleString('en-GB'),
              percent(r.accepted, r.accepted + r.rejected + r.onHold),
            ]),
            numeric: [1, 2, 3, 4],
          }
        : paragraph('No decisions have been made on its recommendations yet.'),
    ],
    datasets: [paragraph('None: the rule was written from policy, not trained on data.')],
    dataset_purposes: [
      paragraph(
        `No dataset was used to develop the rule. Its ${rule.tests.length} test cases, written by its authors, are run before every change is used.`,
      ),
    ],
  }
}

/** A condition and, indented in words, the parts of a group. */
function conditionLines(condition: Condition): string[] {
  const own = oneLine(condition.text)
  if (condition.kind === 'all' || condition.kind === 'any') {
    const joiner = condition.kind === 'all' ? 'and' : 'or'
    return [`${own}: ${condition.conditions.map((c) => oneLine(c.text)).join(`; ${joiner} `)}`]
  }
  return [own]
}
