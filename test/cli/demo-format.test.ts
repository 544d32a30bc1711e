import { expect, it } from 'vitest'
import { formatInstant, relativeTime, wrapText } from '../../src/cli/demo-format.js'

const NOW = Date.parse('2026-12-05T09:00:00.000Z')
const SECOND = 1000
const MINUTE = 60 * SECOND

it.each([
  [0, 'now'],
  [400, 'now'],
  [45 * SECOND, 'in 45 s'],
  [-45 * SECOND, '45 s ago'],
  [3599 * SECOND, 'in 60 min'],
  [55 * MINUTE, 'in 55 min'],
  [-5 * MINUTE, '5 min ago'],
  [3 * 60 * MINUTE, 'in 3 h'],
  [3 * 24 * 60 * MINUTE, 'in 3 days'],
])('relativeTime(now %s ms) is %s', (offset, expected) => {
  expect(relativeTime(NOW + offset, NOW)).toBe(expected)
})

it('formats an instant as ISO 8601 without milliseconds, then relative', () => {
  expect(formatInstant(NOW + 3599 * SECOND + 34, NOW)).toBe('2026-12-05T09:59:59Z (in 60 min)')
})

it('wraps at spaces within the width, indenting the following lines', () => {
  const text =
    'Bearer error="insufficient_scope", error_description="this resource requires one of the roles ReadOnly, Admin"'
  const lines = wrapText(text, { width: 60, indent: '      ' })
  expect(lines.every((line) => line.length <= 60)).toBe(true)
  expect(lines.slice(1).every((line) => line.startsWith('      '))).toBe(true)
  expect(lines.map((line) => line.trim()).join(' ')).toBe(text)
})

it('keeps a word longer than the width whole, on its own line', () => {
  const word = 'x'.repeat(30)
  expect(wrapText(`a ${word} b`, { width: 20, indent: '  ' })).toEqual(['a', `  ${word}`, '  b'])
})
