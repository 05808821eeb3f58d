/**
 * Characters that have no place in text a person types into a form: the C0
 * control characters and DEL (tab, carriage return and line feed excepted
 * where the field takes several lines), and unpaired surrogates.
 *
 * They arrive only by pasting from another program or by someone probing.
 * A NUL is the one that matters most: PostgreSQL text cannot hold it and
 * refuses the whole statement, so the user would lose what they typed to
 * an error page. An unpaired surrogate has no UTF-8 form, with the same
 * result. The others would be stored, but nobody reading a case or an MI
 * report could see them.
 */

/** A one-line input, or a textarea, where line breaks and tabs are ordinary. */
export type TextShape = 'one-line' | 'multi-line'

// biome-ignore-start lint/suspicious/noControlCharactersInRegex: control characters are what they look for
const ONE_LINE = /[\u0000-\u001f\u007f]/
const MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
// biome-ignore-end lint/suspicious/noControlCharactersInRegex: control characters are what they look for

export function hasHiddenCharacters(text: string, shape: TextShape): boolean {
  return !text.isWellFormed() || (shape === 'one-line' ? ONE_LINE : MULTI_LINE).test(text)
}
