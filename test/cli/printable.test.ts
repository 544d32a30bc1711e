import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeControls, printableJson } from '../../src/cli/printable.js'

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u

describe('escapeControls', () => {
  it.each([
    ['ESC [ 2 J (clear screen)', '\u001b[2J', '\\u001b[2J'],
    ['an OSC 8 hyperlink', '\u001b]8;;http://127.0.0.1/\u0007x', '\\u001b]8;;http://127.0.0.1/\\u0007x'],
    ['CR, tab and line feed', 'a\rb\tc\nd', 'a\\rb\\tc\\nd'],
    ['BEL and DEL', '\u0007\u007f', '\\u0007\\u007f'],
    ['the C1 control sequence introducer', '\u009b31m', '\\u009b31m'],
    ['bidi overrides and zero-width characters', '\u202eabc\u2066\u200b', '\\u202eabc\\u2066\\u200b'],
    ['line and paragraph separators', '\u2028\u2029', '\\u2028\\u2029'],
    ['an astral format character, as its surrogate pair', '\u{e0001}', '\\udb40\\udc01'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
  ])('escapes %s', (_name, raw, shown) => {
    expect(escapeControls(raw)).toBe(shown)
  })

  it('leaves tokens, URLs and other scripts as they are', () => {
    const token = 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2ln-_~+/='
    for (const text of [token, 'api://myapis/mywebapi', 'Zoë Ångström 東京 ✓', 'a "quoted" \\ backslash']) {
      expect(escapeControls(text)).toBe(text)
    }
  })

  it('never leaves a control or format character raw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeControls(text)).not.toMatch(UNSAFE)
      }),
    )
  })
})

describe('printableJson', () => {
  it('escapes what JSON.stringify leaves raw, keeping its indentation', () => {
    const value = { kid: '\u009b31m', nested: { bidi: '\u202e' } }
    expect(printableJson(value)).toBe(
      '{\n  "kid": "\\u009b31m",\n  "nested": {\n    "bidi": "\\u202e"\n  }\n}',
    )
    expect(printableJson(value, 0)).toBe('{"kid":"\\u009b31m","nested":{"bidi":"\\u202e"}}')
  })

  it('prints JSON that reads back to the same value, with no raw control or format character', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })), (value) => {
        const printed = printableJson(value)
        expect(printed.replaceAll('\n', '')).not.toMatch(UNSAFE)
        expect(JSON.parse(printed)).toEqual(value)
      }),
    )
  })
})
