/**
 * A GOV.UK table (govuk-frontend's table component) written as markup in
 * code, for a table too large to go through the `govukTable` macro on every
 * request: with 100 rows of five cells, a review list spent about 2 ms a
 * page in the macro's output and escaping, as much as the rest of the page;
 * this takes a few hundredths. It writes what the macro writes for the
 * parameters it takes, bar whitespace between tags (its test renders both).
 */
import nunjucks from 'nunjucks'

/** A cell holds text, which is escaped, or markup, which is placed as it is. */
type CellContent =
  | { readonly text: string; readonly html?: never }
  | { readonly html: string; readonly text?: never }

/** Attribute names and values, escaped as the macro escapes them. */
type Attributes = Readonly<Record<string, string>>

export type TableCell = CellContent & {
  readonly format?: 'numeric'
  readonly classes?: string
  readonly attributes?: Attributes
}

/** The `govukTable` macro's parameters that this writes (no spanning cells, no row headers). */
export interface Table {
  readonly caption?: string
  readonly captionClasses?: string
  readonly classes?: string
  readonly attributes?: Attributes
  readonly head?: readonly TableCell[]
  readonly rows: readonly (readonly TableCell[])[]
}

// The templates' own `escape` filter, taken through the public API: what `{{ value }}` writes for text.
const escapeFilter = new nunjucks.Environment([]).getFilter('escape') as (text: string) => unknown

/** Text as the templates escape it, for markup built in code (a cell's link, say). */
export function escapeAsTemplates(text: string): string {
  return String(escapeFilter(text))
}

/** `base`, then `more` (a modifier, a component's own classes) if there is any, escaped as the macro escapes them. */
function classNames(base: string, more: string | undefined): string {
  return more ? `${base} ${escapeAsTemplates(more)}` : base
}

function attributesMarkup(attributes: Attributes | undefined): string {
  let markup = ''
  if (attributes) {
    for (const [name, value] of Object.entries(attributes)) {
      markup += ` ${escapeAsTemplates(name)}="${escapeAsTemplates(value)}"`
    }
  }
  return markup
}

/** A header's or a cell's class (`base`, its format's modifier, its own classes) and attributes. */
function cellAttributes(base: string, cell: TableCell): string {
  let names = base
  if (cell.format) names += ` ${base}--${cell.format}`
  if (cell.classes) names += ` ${escapeAsTemplates(cell.classes)}`
  return cell.attributes ? ` class="${names}"${attributesMarkup(cell.attributes)}` : ` class="${names}"`
}

function contentOf(cell: TableCell): string {
  return cell.html ?? escapeAsTemplates(cell.text ?? '')
}

/** The markup of a GOV.UK table, for a template to place as it is (`| safe`). */
export function govukTableMarkup(table: Table): string {
  let html = `<table class="${classNames('govuk-table', table.classes)}"${attributesMarkup(table.attributes)}>\n`
  if (table.caption) {
    const classes = classNames('govuk-table__caption', table.captionClasses)
    html += `<caption class="${classes}">${escapeAsTemplates(table.caption)}</caption>\n`
  }
  if (table.head) {
    html += '<thead class="govuk-table__head">\n<tr class="govuk-table__row">'
    for (const cell of table.head) {
      html += `<th scope="col"${cellAttributes('govuk-table__header', cell)}>${contentOf(cell)}</th>`
    }
    html += '</tr>\n</thead>\n'
  }
  html += '<tbody class="govuk-table__body">\n'
  for (const row of table.rows) {
    html += '<tr class="govuk-table__row">'
    for (const cell of row) {
      html += `<td${cellAttributes('govuk-table__cell', cell)}>${contentOf(cell)}</td>`
    }
    html += '</tr>\n'
  }
  return `${html}</tbody>\n</table>`
}
