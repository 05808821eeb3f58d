/**
 * Where a line's UTF-8 goes wrong, so a rejects file can point at the byte.
 * Only called for a line the decoder has already refused, so it is written
 * for clarity rather than speed. Follows the WHATWG decoder: overlong forms,
 * surrogates and code points above U+10FFFF are all invalid.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const lead = bytes[i] as number
    if (lead < 0x80) {
      i++
      continue
    }
    let needed: number
    let lower = 0x80
    let upper = 0xbf
    if (lead >= 0xc2 && lead <= 0xdf) needed = 1
    else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2
      if (lead === 0xe0) lower = 0xa0
      if (lead === 0xed) upper = 0x9f
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3
      if (lead === 0xf0) lower = 0x90
      if (lead === 0xf4) upper = 0x8f
    } else return i
    for (let k = 1; k <= needed; k++) {
      const next = bytes[i + k]
      if (next === undefined) return i
      const low = k === 1 ? lower : 0x80
      const high = k === 1 ? upper : 0xbf
      if (next < low || next > high) return i
    }
    i += needed + 1
  }
  return -1
}
