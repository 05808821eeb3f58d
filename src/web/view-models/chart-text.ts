/**
 * Text in a server-drawn chart: how wide a label will be and how to wrap it
 * onto lines that fit. The server cannot measure text, so widths are
 * estimated from the character classes of a sans-serif face and erred on
 * the wide side: a label given too much room looks fine, one given too
 * little is cut off. The browser test of the dashboard checks the estimate
 * against the real rendering (no label outside its chart).
 */

/** The chart's text size in pixels, at the chart's own (unscaled) size. */
export const FONT_SIZE = 16
/** Distance between the baselines of wrapped lines. */
export const LINE_HEIGHT = 20

/** Widths in ems, generous for GDS Transport and Arial alike. */
const NARROW = /[ijlI.,:;'’|!()[\]\s]/
const MEDIUM_NARROW = /[frt\-–]/
const WIDE = /[mwMW%@]/
const UPPER = /[A-Z]/

function characterEms(character: string): number {
  if (NARROW.test(character)) return 0.34
  if (MEDIUM_NARROW.test(character)) return 0.42
  if (WIDE.test(character)) return 0.95
  if (UPPER.test(character)) return 0.74
  return 0.6
}

/** The estimated width in pixels of `text` at `fontSize`. */
export function textWidth(text: string, fontSize: number = FONT_SIZE): number {
  let ems = 0
  for (const character of text) ems += characterEms(character)
  return Math.ceil(ems * fontSize)
}

/** Breaks a word too long for a line into pieces that fit, at character boundaries. */
function breakWord(word: string, maxWidth: number): string[] {
  const pieces: string[] = []
  let piece = ''
  for (const character of word) {
    if (piece !== '' && textWidth(piece + character) > maxWidth) {
      pieces.push(piece)
      piece = ''
    }
    piece += character
  }
  if (piece !== '') pieces.push(piece)
  return pieces
}

/** `text` in lines of at most `maxWidth` pixels, breaking between words where it can. */
export function wrapText(text: string, maxWidth: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((one) => one !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`
    if (textWidth(candidate) <= maxWidth) {
      line = candidate
      continue
    }
    if (line !== '') lines.push(line)
    const pieces = breakWord(word, maxWidth)
    line = pieces.pop() ?? ''
    lines.push(...pieces)
  }
  if (line !== '') lines.push(line)
  return lines.length > 0 ? lines : ['']
}
