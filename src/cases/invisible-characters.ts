/**
 * Characters an extract's text must not carry: control characters (C0, DEL,
 * C1), the controls that reorder text (U+202E shows what follows it
 * backwards) and invisible ones (zero-width spaces and joiners, the soft
 * hyphen, the byte-order mark). In a name they hide or disguise what a
 * caseworker reads, and every page and MI download would pass them on; a
 * name that truly needs one is rare enough to be corrected at source.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/

const EVERY_INVISIBLE = new RegExp(INVISIBLE.source, 'g')

export function hasInvisibleCharacter(value: string): boolean {
  return INVISIBLE.test(value)
}

/** U+202E */
function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}

/** What is wrong with a value that has one: which character, and where. */
export function invisibleCharacterProblem(value: string): string {
  const at = value.search(INVISIBLE)
  return `contains an invisible or control character (${codePoint(value.charAt(at))}, character ${at + 1}), which is not allowed`
}

/** The value with each such character written as its \u escape, so that quoting it in a message shows it rather than obeying it. */
export function escapeInvisible(value: string): string {
  return value.replace(EVERY_INVISIBLE, (character) => `\\u${codePoint(character).slice(2).toLowerCase()}`)
}
