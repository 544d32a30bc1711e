/**
 * README "Failure behaviour" shows the fault matrix exactly as the fault-matrix tests check it: the
 * table is rendered from the rows they iterate (test/e2e/matrix/expectations.ts).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderFailureTable } from './matrix/expectations.js'

const README = new URL('../../README.md', import.meta.url)

/** The first table under the "Failure behaviour" heading, before the next heading. */
function failureTable(markdown: string): string | undefined {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => /^#{2,3} Failure behaviour$/.test(line))
  if (start === -1) return undefined
  const body = lines.slice(start + 1)
  const next = body.findIndex((line) => /^#{1,6} /.test(line))
  const section = next === -1 ? body : body.slice(0, next)
  const first = section.findIndex((line) => line.startsWith('|'))
  if (first === -1) return undefined
  const table = section.slice(first)
  const end = table.findIndex((line) => !line.startsWith('|'))
  return (end === -1 ? table : table.slice(0, end)).join('\n')
}

describe('README "Failure behaviour"', () => {
  it('shows the fault matrix table exactly as the fault-matrix tests check it', () => {
    const table = failureTable(readFileSync(README, 'utf8'))
    expect(table, 'README.md has no table under a "## Failure behaviour" heading').toBeDefined()
    expect(table).toBe(renderFailureTable())
  })
})
