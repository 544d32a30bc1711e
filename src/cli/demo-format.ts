/**
 * How the demo writes times and long lines: instants as ISO 8601 plus a relative time ("in 60 min"),
 * and text wrapped at spaces to fit 100 columns.
 */

/** The demo's line width. */
export const DEMO_WIDTH = 100

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/**
 * `at` relative to `now`: `now`, `in 45 s`, `5 min ago`, `in 3 h`, `in 2 days` (rounded).
 *
 * @example
 * ```ts
 * relativeTime(token.expiresAt, Date.now()) // 'in 60 min'
 * ```
 */
export function relativeTime(at: number, now: number): string {
  const distance = Math.abs(at - now)
  if (distance < SECOND) return 'now'
  const amount =
    distance < 90 * SECOND
      ? `${Math.round(distance / SECOND)} s`
      : distance < 90 * MINUTE
        ? `${Math.round(distance / MINUTE)} min`
        : distance < 36 * HOUR
          ? `${Math.round(distance / HOUR)} h`
          : `${Math.round(distance / DAY)} days`
  return at >= now ? `in ${amount}` : `${amount} ago`
}

/**
 * An instant as ISO 8601 (whole seconds, UTC) followed by the relative time.
 *
 * @example
 * ```ts
 * formatInstant(token.expiresAt, Date.now()) // '2026-12-05T09:57:13Z (in 60 min)'
 * ```
 */
export function formatInstant(at: number, now: number): string {
  return `${isoSeconds(at)} (${relativeTime(at, now)})`
}

/**
 * An instant as ISO 8601 in whole seconds, UTC.
 *
 * @example
 * ```ts
 * isoSeconds(0) // '1970-01-01T00:00:00Z'
 * ```
 */
export function isoSeconds(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * Splits `text` at spaces into lines of at most `width` columns, the first as given, the others
 * prefixed with `indent`; a word longer than a line stays whole.
 *
 * @example
 * ```ts
 * for (const line of wrapText(`   hint ${error.hint}`, { indent: '        ' })) io.out(line)
 * ```
 */
export function wrapText(text: string, options: { width?: number; indent: string }): string[] {
  const width = options.width ?? DEMO_WIDTH
  const lead = /^\s*/.exec(text)?.[0] ?? ''
  const lines: string[] = []
  let line = lead
  for (const word of text.slice(lead.length).split(' ')) {
    const prefix = lines.length === 0 ? lead : options.indent
    if (line !== prefix && line.length + 1 + word.length > width) {
      lines.push(line)
      line = options.indent + word
    } else {
      line = line === prefix ? prefix + word : `${line} ${word}`
    }
  }
  lines.push(line)
  return lines
}
