/**
 * bench/RESULTS.md's rendering (bench/lib/markdown.mjs, bench/lib/rows*.mjs): a run keeps the
 * hand-written part of the file, and the rows of issue 17's figures mark their goals met or missed
 * from the children's results (ours ÷ a bare Map.get, heap per token, cold start, first token).
 */
import { describe, expect, it } from 'vitest'

interface Row {
  readonly figure: string
  readonly measure: string
  readonly ours: string
  readonly msal: string
  readonly identity: string
  readonly goal: string
}
type Result = Record<string, unknown>
interface Settings {
  readonly sizes: number[]
  readonly oursOnlySizes: number[]
}
interface RowsModule {
  buildRows(results: Result[], settings: Settings): Row[]
}
interface MarkdownModule {
  readonly KEPT_MARKER: string
  keptSection(markdown: string): string
  renderResults(input: Record<string, unknown>): string
}

const bench = (file: string) => new URL(`../../bench/lib/${file}`, import.meta.url).href
const rows: RowsModule = await import(bench('rows.mjs'))
const markdown: MarkdownModule = await import(bench('markdown.mjs'))
const settings: Settings = { sizes: [1000], oursOnlySizes: [] }

const find = (all: Row[], text: string) => all.find((r) => r.measure.includes(text))

describe('RESULTS.md', () => {
  it('keeps what follows the marker of the file it replaces, and only that', () => {
    const old = `# Benchmark results\n\n| old | table |\n\n${markdown.KEPT_MARKER}\n\n## Where the time and bytes go\n\nnotes\n`
    const kept = markdown.keptSection(old)
    expect(kept).toBe(`${markdown.KEPT_MARKER}\n\n## Where the time and bytes go\n\nnotes`)
    expect(markdown.keptSection('# no marker here')).toBe('')
    const machine = {
      date: 'd',
      cpu: 'c',
      memory: 'm',
      os: 'o',
      node: 'n',
      ours: 'x',
      msal: 'y',
      identity: 'z',
      load: 'l',
    }
    const fresh = markdown.renderResults({
      rows: [],
      machine,
      loadEnd: 'l',
      elapsedS: 1,
      quick: false,
      chartFile: 'c.svg',
      kept,
    })
    expect(fresh.endsWith(`${kept}\n`)).toBe(true)
    expect(fresh).not.toContain('| old | table |')
  })
})

describe('rows of issue 17', () => {
  it('cache hit ÷ bare Map.get: the median of the per-repetition ratios against ×1.2', () => {
    const hit = (nsPerOp: number[]) => ({
      figure: 'cache-hit',
      lib: 'ours',
      n: 1000,
      nsPerOp,
      nsPerOpHot: [100],
      nsPerOpMap: [100, 200, 300],
    })
    const within = find(rows.buildRows([hit([110, 230, 900])], settings), 'bare Map.get')
    expect(within?.ours).toMatch(/^×1\.15 /) // ratios 1.1, 1.15, 3: median 1.15
    expect(within?.goal).toBe('≤ ×1.2: **met**')
    const over = find(rows.buildRows([hit([130, 250, 360])], settings), 'bare Map.get')
    expect(over?.goal).toBe('≤ ×1.2: **missed**')
  })

  it('heap per token: ≤ 1.2 KB at 1,000 tokens, ≤ 1.0 KB at 10,000, a row per size', () => {
    const heap = (n: number, bytesPerToken: number) => ({ figure: 'heap', lib: 'ours', n, bytesPerToken })
    const all = rows.buildRows([heap(1000, 1.1 * 1024), heap(10_000, 1.1 * 1024)], settings)
    expect(find(all, '1,000 tokens')?.goal).toBe('≤ 1.2 KB: **met**')
    expect(find(all, '10,000 tokens')?.goal).toBe('≤ 1.0 KB: **missed**')
  })

  it('cold start: ours at most 1/5 of each peer, memory below both; first token ahead of both', () => {
    const cold = (lib: string, importMs: number, rss: number, heapUsed = rss / 8) => ({
      figure: 'cold-start',
      lib,
      entry: 'main',
      importMs: [importMs],
      wallMs: [importMs + 50],
      rss: [rss],
      heapUsed: [heapUsed],
      emptyWallMs: [50],
      emptyRss: [40e6],
      emptyHeapUsed: [4e6],
    })
    const first = (lib: string, wallMs: number) => ({
      figure: 'first-token',
      lib,
      wallMs: [wallMs],
      workMs: [wallMs - 50],
    })
    const fast = rows.buildRows(
      [
        cold('ours', 20, 50e6),
        cold('msal', 100, 80e6),
        cold('identity', 200, 90e6),
        first('ours', 100),
        first('msal', 400),
        first('identity', 500),
      ],
      settings,
    )
    expect(find(fast, 'the import alone')?.goal).toBe("≤ 1/5 of each peer's: **met**")
    expect(find(fast, 'memory after the import')?.goal).toBe('below both peers (RSS and heap): **met**')
    expect(find(fast, 'First token')?.goal).toBe('ahead of both peers: **met**')
    const slow = rows.buildRows(
      [
        cold('ours', 21, 50e6, 20e6),
        cold('msal', 100, 80e6),
        cold('identity', 200, 90e6),
        first('ours', 450),
        first('msal', 400),
        first('identity', 500),
      ],
      settings,
    )
    expect(find(slow, 'the import alone')?.goal).toBe("≤ 1/5 of each peer's: **missed**")
    expect(find(slow, 'memory after the import')?.goal).toBe('below both peers (RSS and heap): **missed**')
    expect(find(slow, 'First token')?.goal).toBe('ahead of both peers: **missed**')
  })
})
