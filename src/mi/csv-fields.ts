/**
 * CSV fields as csv-stringify writes them (comma-separated, CRLF records):
 * a field is quoted only if it holds a comma, a quote or a line break, and
 * a quote inside is doubled. Any line break: a lone LF or CR too, which
 * csv-stringify leaves bare once given a record delimiter (unless told
 * quote_record_delimiter), though Excel ends the row there. Done here for the MI report's data rows
 * because csv-stringify's general machinery (per-field casting, option
 * lookups, arrays of separators) cost more per row than everything else in
 * the CSV download put together; the unit tests hold the two to the same
 * output.
 */
const NEEDS_QUOTES = /[",\r\n]/

export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export const CSV_RECORD_END = '\r\n'
