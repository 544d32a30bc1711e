/**
 * The recorded names follow OpenTelemetry's naming rules, and README.md's "Observability" tables list
 * exactly the names the code records: every metric with its kind and unit, every attribute, the span.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ATTRIBUTES, METRICS, SPAN_NAME } from '../../src/opentelemetry/names.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## Observability'), readme.indexOf('## Security'))

/** The rows of the markdown table whose header starts with `| first |`, as cells. */
function tableRows(first: string): string[][] {
  const lines = section.split('\n')
  const start = lines.findIndex((line) => line.startsWith(`| ${first} |`))
  const rows: string[][] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
  }
  return rows
}

const unquote = (cell: string | undefined) => cell?.replace(/^`|`$/g, '')
const metricNames = Object.values(METRICS).map((m) => m.name)
const attributeNames: string[] = Object.values(ATTRIBUTES)

describe("OpenTelemetry's naming rules", () => {
  it('names are lower case, dot-separated namespaces of snake_case words, with no unit or _total in them', () => {
    for (const name of [...metricNames, ...attributeNames]) {
      expect(name).toMatch(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/)
      expect(name).not.toMatch(/_(total|seconds|ms|count)$/)
    }
  })

  it('no name is also the namespace of another, and metrics and attributes share no name', () => {
    const all = [...metricNames, ...attributeNames]
    expect(new Set(all).size).toBe(all.length)
    for (const name of all) expect(all.filter((other) => other.startsWith(`${name}.`))).toEqual([])
  })

  it('durations are in seconds, and counts in annotated units', () => {
    for (const metric of Object.values(METRICS)) {
      expect(metric.unit).toMatch(metric.kind === 'histogram' ? /^s$/ : /^\{[a-z]+\}$/)
    }
  })
})

describe('README "Observability"', () => {
  it('lists every metric with its kind and unit, and no other', () => {
    const rows = tableRows('Metric').map(([name, kind, unit]) => [unquote(name), kind, unquote(unit)])
    expect(rows).toEqual(Object.values(METRICS).map((m) => [m.name, m.kind, m.unit]))
  })

  it('lists every attribute, and no other; the metrics table names only those', () => {
    expect(tableRows('Attribute').map(([name]) => unquote(name))).toEqual(
      expect.arrayContaining(attributeNames),
    )
    expect(tableRows('Attribute')).toHaveLength(attributeNames.length)
    const named = tableRows('Metric').flatMap(([, , , attributes]) => attributes?.match(/`[^`]+`/g) ?? [])
    for (const name of named.map(unquote)) {
      if (name !== 'token.requests') expect(attributeNames).toContain(name)
    }
  })

  it('names the span', () => {
    expect(section).toContain(`\`${SPAN_NAME}\`, kind \`CLIENT\``)
  })
})
