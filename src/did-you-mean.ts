/**
 * "Did you mean …?" for a misspelt option key or CLI flag: the known name closest to what was typed,
 * by edit distance, when it is close enough to be a likely typo (case differences count as nothing).
 */

/**
 * Edit distance between two strings, compared case-insensitively: insertions, deletions, substitutions
 * and swaps of two neighbouring characters (`prot` → `port`) each count as one edit.
 */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  let beforePrevious: number[] = []
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i)
  for (let i = 1; i <= x.length; i++) {
    const current = [i]
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1)
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution)
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        best = Math.min(best, (beforePrevious[j - 2] ?? 0) + 1)
      current[j] = best
    }
    beforePrevious = previous
    previous = current
  }
  return previous[y.length] ?? 0
}

/**
 * The candidate closest to `input`, or `undefined` when none is within a third of the input's length
 * (at least 1, at most 3 edits).
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(input.length / 3)))
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= limit ? best : undefined
}
