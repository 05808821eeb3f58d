/**
 * The transparency record as Markdown (for a document or a pull request to
 * a publication) and as JSON keyed by the standard's attribute names (for
 * comparison with published records, field by field). The HTML form is the
 * page's template (views/transparency/_record.njk).
 */
import type { Block, RecordField, TransparencyRecord } from './record.ts'

export function recordAsMarkdown(record: TransparencyRecord): string {
  const lines = [
    `# ${record.title ?? 'Algorithmic transparency record'}`,
    '',
    ...(record.summary ? [record.summary, ''] : []),
    `Algorithmic Transparency Recording Standard ${record.standardVersion}. Made from the live service on ${record.generatedOn}` +
      (record.ruleSetVersion ? `, rule set version ${record.ruleSetVersion}.` : '.'),
  ]
  for (const section of record.sections) {
    lines.push('', `## ${section.title}`)
    for (const field of section.fields) {
      lines.push('', `### ${field.ref} ${field.name} (\`${field.attribute}\`)`, '', fieldAsMarkdown(field))
    }
  }
  if (record.missing.length > 0) {
    lines.push(
      '',
      '## Not yet provided',
      '',
      'These required fields have not been filled in by the organisation:',
      '',
    )
    lines.push(...record.missing.map((m) => `- ${m.ref} ${m.name} (\`${m.attribute}\`)`))
  }
  return `${lines.join('\n')}\n`
}

export function fieldAsMarkdown(field: RecordField): string {
  return field.blocks.map(blockAsMarkdown).join('\n\n')
}

function blockAsMarkdown(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return escapeMarkdown(block.text)
    case 'list':
      return block.items.map((item) => `- ${escapeMarkdown(item)}`).join('\n')
    case 'link':
      return `[${escapeMarkdown(block.text)}](${block.href})`
    case 'table': {
      const row = (cells: readonly string[]) =>
        `| ${cells.map((c) => escapeMarkdown(c).replace(/\|/g, '\\|')).join(' | ')} |`
      const rule = `|${block.head.map((_, i) => (block.numeric.includes(i) ? ' ---: ' : ' --- ')).join('|')}|`
      return [`*${escapeMarkdown(block.caption)}*`, '', row(block.head), rule, ...block.rows.map(row)].join(
        '\n',
      )
    }
  }
}

/** Text from the reference file is text: markup in it must not become markup in the document. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#]/g, (c) => `\\${c}`)
}

export interface RecordJson {
  readonly standard_version: string
  readonly generated_on: string
  readonly rule_set_version: string | null
  /** Every field but the model specifications, by the standard's attribute name. */
  readonly fields: Readonly<Record<string, string>>
  /** One model specification per rule, by attribute name. */
  readonly models: readonly Readonly<Record<string, string>>[]
  readonly missing: readonly string[]
}

export function recordAsJson(record: TransparencyRecord): RecordJson {
  const byAttribute = (fields: readonly RecordField[]) =>
    Object.fromEntries(fields.map((field) => [field.attribute, fieldAsMarkdown(field)]))
  return {
    standard_version: record.standardVersion,
    generated_on: record.generatedOn,
    rule_set_version: record.ruleSetVersion,
    fields: byAttribute(record.sections.filter((s) => s.kind === 'standard').flatMap((s) => s.fields)),
    models: record.sections.filter((s) => s.kind === 'model').map((s) => byAttribute(s.fields)),
    missing: record.missing.map((m) => m.attribute),
  }
}
