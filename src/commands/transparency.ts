/**
 * `ipic transparency [--format markdown|json|html]`: the transparency
 * record of this installation, made from its live data and the reference
 * file, on standard output. Exits 1, naming each one, when the reference
 * file has problems or a required field is still empty: a record with gaps
 * is printed for review but is not ready to publish.
 */
import { join } from 'node:path'
import nunjucks from 'nunjucks'
import { formatLongDate } from '../dates.ts'
import { LiveRules } from '../rules/live-rules.ts'
import { withRuntime } from '../runtime.ts'
import { TRANSPARENCY_FILE } from '../transparency/organisation-file.ts'
import type { TransparencyRecord } from '../transparency/record.ts'
import { type RecordResult, Transparency } from '../transparency/service.ts'
import { recordAsJson, recordAsMarkdown } from '../transparency/text-formats.ts'
import { SERVICE_NAME, TEMPLATE_SEARCH_PATH } from '../web/templates/views.ts'

export const TRANSPARENCY_FORMATS = ['markdown', 'json', 'html'] as const
export type TransparencyFormat = (typeof TRANSPARENCY_FORMATS)[number]

export async function transparencyCommand(options: { format: TransparencyFormat }): Promise<void> {
  await withRuntime(async ({ config, clock, database, reference }) => {
    const transparency = new Transparency({
      db: database.db,
      clock,
      referenceDir: config.referenceDir,
      rules: await LiveRules.load(database.db, config.rulesDir, reference),
      reference,
      auditRetentionDays: config.audit.retentionDays,
      factsMaxAgeMs: 0,
    })
    const output = transparencyOutput(await transparency.record(), options.format, {
      file: join(config.referenceDir, TRANSPARENCY_FILE),
    })
    process.stdout.write(output.stdout)
    process.stderr.write(output.stderr)
    process.exitCode = output.exitCode
  })
}

/**
 * What the command prints and how it exits: the record on standard output;
 * the file's problems, or the fields with no answer yet, on standard error
 * with exit code 1.
 */
export function transparencyOutput(
  result: RecordResult,
  format: TransparencyFormat,
  where: { readonly file: string },
): { readonly stdout: string; readonly stderr: string; readonly exitCode: 0 | 1 } {
  if (!result.ok) {
    const problems = result.problems.map((problem) => `  ${problem}`).join('\n')
    return { stdout: '', stderr: `${result.path} has problems:\n${problems}\n`, exitCode: 1 }
  }
  const { record } = result
  const stdout = formatRecord(record, format)
  if (record.missing.length === 0) return { stdout, stderr: '', exitCode: 0 }
  const fields = record.missing.map((m) => `  ${m.attribute} (${m.ref} ${m.name})`).join('\n')
  const stderr = `The record is not complete. These required fields have no answer yet (the organisation's are written in ${where.file}):\n${fields}\n`
  return { stdout, stderr, exitCode: 1 }
}

export function formatRecord(record: TransparencyRecord, format: TransparencyFormat): string {
  switch (format) {
    case 'markdown':
      return recordAsMarkdown(record)
    case 'json':
      return `${JSON.stringify(recordAsJson(record), null, 2)}\n`
    case 'html': {
      const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_SEARCH_PATH), {
        autoescape: true,
      })
      env.addGlobal('serviceName', SERVICE_NAME)
      return env.render('transparency/document.njk', {
        record,
        generatedOn: formatLongDate(record.generatedOn),
      })
    }
  }
}
