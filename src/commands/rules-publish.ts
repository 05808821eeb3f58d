/**
 * `ipic rules publish DIR --notes "…" [--by USER]`: checks the rule set and
 * runs its tests, reports its impact against the live rule set, and stores
 * it as published, so that rule runs may use it. Refused, with every reason
 * and nothing stored, when the rule set has problems, a test fails, the
 * notes are missing or the publisher is not a rule author.
 */
import { resolve } from 'node:path'
import { formatTimeOnDate } from '../review/time-words.ts'
import type { Publication } from '../rules/publication.ts'
import { publishRuleSet } from '../rules/publish.ts'
import { withRuntime } from '../runtime.ts'
import { UserFacingError } from './errors.ts'
import { formatImpactReport } from './impact-text.ts'
import { operatingSystemAccount } from './operating-system-account.ts'
import { loadRuleSetForCommand } from './rules-run.ts'
import { describeResult } from './rules-test.ts'

export interface PublishOptions {
  readonly notes?: string
  readonly by?: string
}

export async function publishRulesCommand(directory: string, options: PublishOptions): Promise<void> {
  await withRuntime(async (runtime) => {
    const draftDir = resolve(directory)
    const ruleSet = await loadRuleSetForCommand(draftDir, runtime.reference).catch((error: unknown) => {
      throw error instanceof UserFacingError
        ? new UserFacingError(`${error.message}\nNothing was published.`)
        : error
    })
    const outcome = await publishRuleSet(runtime.database.db, {
      ruleSet,
      notes: options.notes,
      by: options.by,
      from: `ipic rules publish run by the account ${operatingSystemAccount()}`,
      clock: runtime.clock,
      settings: runtime.config.ruleImpact,
    })
    switch (outcome.kind) {
      case 'refused': {
        for (const result of outcome.failedTests) process.stderr.write(describeResult(result))
        const problems = outcome.problems.map((problem) => `  ${problem}`).join('\n')
        throw new UserFacingError(
          `rule set ${ruleSet.version} was not published:\n${problems}\nNothing was stored.`,
        )
      }
      case 'already':
        process.stdout.write(`${alreadyPublished(outcome.publication)}\n`)
        return
      case 'published': {
        const { publication } = outcome
        process.stdout.write(`${formatImpactReport(publication.impact, { draftDir })}\n\n`)
        process.stdout.write(
          `Published rule set ${publication.version} at ${formatTimeOnDate(publication.publishedAt)} ` +
            `${publisherWords(publication)}. Rule runs may now use it.\n`,
        )
      }
    }
  })
}

function alreadyPublished(publication: Publication): string {
  const when = formatTimeOnDate(publication.publishedAt)
  if (publication.basis === 'before-records') {
    return `Rule set ${publication.version} ran before publication records began (first run at ${when}), so it may run already. Nothing was stored.`
  }
  return (
    `Rule set ${publication.version} was already published at ${when} ${publisherWords(publication)}, ` +
    `with the notes "${publication.notes}". Nothing was stored: a version is published once.`
  )
}

function publisherWords(publication: Extract<Publication, { basis: 'published' }>): string {
  const by = publication.publishedBy
  return by
    ? `for ${by.name} (${by.id}) through ${publication.publishedFrom}`
    : `through ${publication.publishedFrom}`
}
