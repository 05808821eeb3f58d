/**
 * "Did you mean …?" for a misspelt field, parameter or definition name: a
 * rule author should not have to open the catalogue to fix a typo.
 */

/** The closest known name, if one is close enough to be the likely intent. */
export function closest(name: string, known: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase()
  const lastPart = (n: string) => n.toLowerCase().split('.').at(-1) ?? ''
  let best: { name: string; score: number } | undefined
  for (const candidate of known) {
    const lower = candidate.toLowerCase()
    // Right name, wrong case or section ("harmLevel" for "harm.harmLevel") beats any spelling distance.
    const score =
      lower === wanted ? 0 : lastPart(candidate) === lastPart(name) ? 0.5 : editDistance(wanted, lower)
    if (best === undefined || score < best.score) best = { name: candidate, score }
  }
  if (!best) return undefined
  const tolerance = Math.max(2, Math.floor(name.length / 3))
  return best.score <= tolerance ? best.name : undefined
}

/** " (did you mean harm.harmLevel?)" or nothing. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const suggestion = closest(name, known)
  return suggestion ? ` (did you mean ${suggestion}?)` : ''
}

/** Levenshtein distance: edits (insert, delete, substitute) from a to b. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution)
    }
    previous = current
  }
  return previous[b.length] as number
}
