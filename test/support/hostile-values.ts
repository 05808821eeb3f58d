/**
 * Hostile values for the property tests: what someone probing the forms, the
 * URLs or an extract would type. Each value is a JavaScript string (which may
 * hold lone surrogates) and is sent percent-encoded as WTF-8, so a lone
 * surrogate reaches the service as the bytes of invalid UTF-8, the way a
 * hand-made request carries them.
 *
 * Runs are seeded and modest by default so the suite stays quick; set
 * IPIC_PROPERTY_RUNS to try more cases and IPIC_PROPERTY_SEED to replay one.
 */
import fc from 'fast-check'

/** Markup that must never come back unescaped: each opens a tag a browser would act on. */
export const MARKUP = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg/onload=alert(1)>",
  '</textarea><b hostile>bold</b>',
  '<a href="javascript:alert(1)">link</a>',
  '<iframe src=//example.org></iframe>',
] as const

/** The raw tag openings of MARKUP: any of these in a response body means markup got through. */
export const MARKUP_SIGNS = [
  '<script>alert',
  '<img src=x',
  '<svg/onload',
  '<b hostile',
  '<a href="javascript:',
  '<iframe',
] as const

const SQL = [
  "' OR '1'='1",
  "'; drop table tasks; --",
  '1; select pg_sleep(0)',
  "\\'; --",
  '$1',
  '%',
  '_',
] as const

/** Text a spreadsheet would run as a formula when it opens the file. */
export const FORMULA_LEADS = ['=', '+', '-', '@', '\t', '\r'] as const
export const FORMULAS = [
  '=HYPERLINK("http://example.org","x")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
] as const

const ODD_NUMBERS = [
  '1e309',
  '-1e309',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '9007199254740993',
  '1.5',
  '-1',
  '0',
  '٣',
] as const
const ODD_DATES = [
  '31/02/2024',
  '2024-02-31',
  '2023-02-29',
  '00/00/0000',
  '32',
  '13',
  '99999',
  '1900-01-01',
  '9999-12-31',
] as const
const CONTROL = ['\u0000', '\u0007', '\u001b[31m', '\r\n', '\u202e', '\u200b', '\ufeff', '\u2028'] as const
const LONE_SURROGATES = ['\ud800', '\udfff', 'a\ud83d', '\ude00b'] as const
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'] as const

/** One hostile piece: markup, SQL, control characters, a lone surrogate, an odd number or date, or random text. */
const piece: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...MARKUP),
  fc.constantFrom(...SQL),
  fc.constantFrom(...FORMULAS),
  fc.constantFrom(...ODD_NUMBERS),
  fc.constantFrom(...ODD_DATES),
  fc.constantFrom(...CONTROL),
  fc.constantFrom(...LONE_SURROGATES),
  fc.constantFrom(...NAMES),
  fc.constant(''),
  fc.constant(' '),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
)

/** A hostile value: one piece, a few joined, or one made huge. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: piece },
  { weight: 2, arbitrary: fc.array(piece, { minLength: 2, maxLength: 4 }).map((parts) => parts.join('')) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(piece, fc.integer({ min: 200, max: 20_000 }))
      .map(([p, n]) => (p || 'x').repeat(Math.ceil(n / Math.max(1, p.length)))),
  },
)

/** One value or several (a field given more than once: the wrong type where one is expected). */
export const hostileField: fc.Arbitrary<string | string[]> = fc.oneof(
  { weight: 5, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.array(hostileText, { minLength: 2, maxLength: 3 }) },
)

/** Percent-encodes text as WTF-8: a lone surrogate becomes its three bytes, which are not valid UTF-8. */
export function encodeHostile(text: string): string {
  let out = ''
  for (const symbol of text) {
    const code = symbol.codePointAt(0)!
    if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}`
      out += `%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}`
      out += `%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`
    } else out += encodeURIComponent(symbol)
  }
  return out
}

/** name=value&… from fields, hostile values encoded as encodeHostile does. */
export function encodeFields(fields: Readonly<Record<string, string | readonly string[]>>): string {
  return Object.entries(fields)
    .flatMap(([name, value]) =>
      (typeof value === 'string' ? [value] : value).map(
        (one) => `${encodeHostile(name)}=${encodeHostile(one)}`,
      ),
    )
    .join('&')
}

/** How many cases each property tries, and from which seed: small and fixed unless the environment says. */
export function propertyRuns(defaultRuns: number): { numRuns: number; seed: number } {
  const runs = Number(process.env.IPIC_PROPERTY_RUNS)
  const seed = Number(process.env.IPIC_PROPERTY_SEED)
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    seed: Number.isInteger(seed) ? seed : 17_07,
  }
}

/** Checks a property and prints how many cases it tried, one line per property. */
export async function checkProperty<T>(
  name: string,
  property: fc.IAsyncPropertyWithHooks<T> | fc.IAsyncProperty<T>,
  defaultRuns: number,
): Promise<void> {
  const parameters = propertyRuns(defaultRuns)
  const details = await fc.check(property, parameters)
  console.log(`property "${name}": ${details.numRuns} cases tried (seed ${parameters.seed})`)
  if (details.failed) throw failure(name, details)
}

/** Same, for a synchronous property. */
export function checkSyncProperty<T>(name: string, property: fc.IProperty<T>, defaultRuns: number): void {
  const parameters = propertyRuns(defaultRuns)
  const details = fc.check(property, parameters)
  console.log(`property "${name}": ${details.numRuns} cases tried (seed ${parameters.seed})`)
  if (details.failed) throw failure(name, details)
}

/** The report of a failed property with the assertion that failed, which fast-check's report leaves out. */
function failure<T>(name: string, details: fc.RunDetails<T>): Error {
  const cause =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
  return new Error(
    `${fc.defaultReportMessage(details) ?? `property "${name}" failed`}\nWhat failed: ${cause}`,
  )
}
