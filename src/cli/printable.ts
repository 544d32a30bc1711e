/**
 * Text from outside — a token's claim names and values, the token itself, an authority's error
 * description — made safe to print on a terminal. Control characters (C0, DEL, C1) and format
 * characters (bidi overrides, zero-width characters, line and paragraph separators, lone surrogates)
 * are shown as JSON escapes (`\u001b`, `\r`), never written raw: raw, they clear the screen, forge
 * lines, hide text or open hyperlinks (OSC 8).
 */

/** Every code point that is printed escaped. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu
/** JSON's short escapes. */
const SHORT: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
}

function escapeCodePoint(char: string): string {
  const short = SHORT[char]
  if (short) return short
  let escaped = ''
  for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`
  return escaped
}

/**
 * `text` with every control and format character replaced by its JSON escape; anything else, a valid
 * token included, is unchanged.
 *
 * @example
 * ```ts
 * escapeControls('ok\u001b[2J') // 'ok\\u001b[2J' (the six characters \u001b, not ESC)
 * escapeControls('eyJ0eXAi…')    // unchanged
 * ```
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeCodePoint)
}

/**
 * `JSON.stringify(value, null, indent)` with no control or format character left raw: JSON.stringify
 * escapes C0 controls, this escapes the rest (C1, bidi, zero-width…) the same way, so the JSON parses
 * back to `value` exactly.
 *
 * @example
 * ```ts
 * printableJson({ kid: '\u009b31m' }, 0) // '{"kid":"\\u009b31m"}'
 * ```
 */
export function printableJson(value: unknown, indent = 2): string {
  // the only raw line breaks left in JSON.stringify's output are its own indentation
  return JSON.stringify(value, null, indent).replace(UNSAFE, (char) =>
    char === '\n' ? char : escapeCodePoint(char),
  )
}
