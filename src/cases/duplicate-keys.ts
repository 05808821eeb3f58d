/**
 * A key twice in one object of a record. JSON.parse keeps the last of them
 * without a word, so `{"romRegion": "LSE", …, "romRegion": "NW"}` would be
 * read as one thing by the importer and as another by whatever else reads the
 * line (a person, or the source system's own tools). Such a record is
 * rejected rather than guessed at.
 *
 * Every line is checked, so the check must cost next to nothing on the
 * ordinary line with no repeats. Each key in JSON text ends with a quote
 * followed (after any spaces) by a colon, so counting those in the text
 * counts every key written; counting the keys of the parsed value counts
 * those kept. When the two agree, nothing was dropped. They can differ
 * only when a key was repeated, or when a string value itself holds `"` then
 * `:` (rare); only then is the text walked key by key to find the repeat.
 */

/** Where the first repeated key is, as a path into the record, or null if none is. */
export function firstRepeatedKey(text: string, value: object): (string | number)[] | null {
  if (keysWritten(text) === keysKept(value)) return null
  return findRepeatedKey(text)
}

const QUOTE = 0x22
const COLON = 0x3a

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09
}

/** Colons whose previous character other than white space is a quote: every key, and a few look-alikes in strings. */
function keysWritten(text: string): number {
  let count = 0
  for (let colon = text.indexOf(':'); colon !== -1; colon = text.indexOf(':', colon + 1)) {
    let before = colon - 1
    while (before >= 0 && isJsonSpace(text.charCodeAt(before))) before--
    if (text.charCodeAt(before) === QUOTE) count++
  }
  return count
}

function keysKept(value: object): number {
  let count = 0
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null) count += keysKept(item)
    return count
  }
  for (const key in value) {
    count++
    const inner = (value as Record<string, unknown>)[key]
    if (typeof inner === 'object' && inner !== null) count += keysKept(inner)
  }
  return count
}

/** An object (with the keys seen so far and the latest) or a list (with the position reached), outermost first. */
type Frame = { readonly keys: Set<string>; at: string } | { readonly keys: null; at: number }

/** Walks text that JSON.parse has already accepted, so it need not check the grammar. */
function findRepeatedKey(text: string): (string | number)[] | null {
  const frames: Frame[] = []
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) {
      const end = endOfString(text, i)
      let next = end + 1
      while (next < text.length && isJsonSpace(text.charCodeAt(next))) next++
      const frame = frames[frames.length - 1]
      if (text.charCodeAt(next) === COLON && frame?.keys) {
        // Decoded, so that "a" and "\u0061" are the same key, as they are to JSON.parse.
        const key = JSON.parse(text.slice(i, end + 1)) as string
        if (frame.keys.has(key)) return [...frames.slice(0, -1).map((f) => f.at), key]
        frame.keys.add(key)
        frame.at = key
      }
      i = end
    } else if (code === 0x7b) frames.push({ keys: new Set(), at: '' })
    else if (code === 0x5b) frames.push({ keys: null, at: 0 })
    else if (code === 0x7d || code === 0x5d) frames.pop()
    else if (code === 0x2c) {
      const frame = frames[frames.length - 1]
      if (frame && frame.keys === null) frame.at++
    }
  }
  return null
}

/** The index of the quote that closes the string opening at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x5c) i++
    else if (code === QUOTE) return i
  }
  return text.length - 1
}
