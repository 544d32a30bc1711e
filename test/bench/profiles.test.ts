/**
 * bench/lib/heap-diff.mjs and bench/lib/cpu-profile.mjs (bench/profile.mjs): growth between two heap
 * snapshots by kind of object, and self time by function and line of a CPU profile — on small
 * snapshots and profiles written here in V8's formats.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

interface KindDelta {
  readonly kind: string
  readonly count: number
  readonly bytes: number
}
interface HeapDiffModule {
  diffHeapSnapshots(beforeFile: string, afterFile: string): KindDelta[]
}
interface CpuProfileModule {
  summarizeCpuProfile(
    profile: unknown,
    top?: number,
  ): {
    samples: number
    functions: Array<{
      name: string
      where: string
      share: number
      lines: Array<{ line: string; share: number }>
    }>
  }
}

const bench = (file: string) => new URL(`../../bench/lib/${file}`, import.meta.url).href
const heapDiff: HeapDiffModule = await import(bench('heap-diff.mjs'))
const cpuProfile: CpuProfileModule = await import(bench('cpu-profile.mjs'))

const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
]
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak']

/** A node: [type, name, self size, [edge type, edge name, target node index]…]. */
type Node = [string, string, number, Array<[string, string, number]>?]

/** A heap snapshot in V8's format (the fields bench/lib/heap-diff.mjs reads). */
function snapshot(nodes: Node[]): string {
  const strings: string[] = []
  const id = (s: string) => {
    const at = strings.indexOf(s)
    return at >= 0 ? at : strings.push(s) - 1
  }
  const FIELDS = 5
  return JSON.stringify({
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
        node_types: [NODE_TYPES],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [EDGE_TYPES],
      },
    },
    nodes: nodes.flatMap(([type, name, size, edges = []], i) => [
      NODE_TYPES.indexOf(type),
      id(name),
      i,
      size,
      edges.length,
    ]),
    edges: nodes.flatMap(([, , , edges = []]) =>
      edges.flatMap(([type, name, to]) => [EDGE_TYPES.indexOf(type), id(name), to * FIELDS]),
    ),
    strings,
  })
}

const TOKEN = `eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJhcGkifQ.${'s'.repeat(40)}`
/** One cached token as the bench's objects hold it: a slot, its token object and string, a promise. */
const oneToken = (first: number): Node[] => [
  [
    'object',
    'Object',
    56,
    [
      ['property', 'token', first + 1],
      ['property', 'promise', first + 3],
      ['property', '__proto__', 0],
    ],
  ],
  ['object', 'AccessToken', 88, [['property', 'accessToken', first + 2]]],
  ['string', TOKEN, 616],
  ['object', 'Promise', 48],
  ['concatenated string', '(concatenated string)', 32],
]

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-profiles-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('diffHeapSnapshots', () => {
  it('gives the growth by kind: plain objects by their properties, strings by what they hold', () => {
    const base: Node[] = [
      ['synthetic', '(GC roots)', 0],
      ['object', 'Object', 24],
    ]
    writeFileSync(join(dir, 'before'), snapshot(base))
    writeFileSync(join(dir, 'after'), snapshot([...base, ...oneToken(2), ...oneToken(7)]))
    const growth = heapDiff.diffHeapSnapshots(join(dir, 'before'), join(dir, 'after'))
    const of = (kind: string) => growth.find((k) => k.kind.startsWith(kind))
    expect(of('string: access token')).toEqual({
      kind: 'string: access token (600 chars)',
      count: 2,
      bytes: 1232,
    })
    expect(of('object {promise, token}')).toMatchObject({ count: 2, bytes: 112 })
    expect(of('object AccessToken')).toMatchObject({ count: 2, bytes: 176 })
    expect(of('string: a concatenation node')).toMatchObject({ count: 2, bytes: 64 })
    expect(of('object {}')).toBeUndefined() // the empty object was there before: no growth, no row
    expect(growth[0]?.kind).toBe('string: access token (600 chars)') // largest first
  })
})

describe('summarizeCpuProfile', () => {
  it('sums self samples by function, largest first, with the lines that took them', () => {
    const frame = (functionName: string, lineNumber: number) => ({
      functionName,
      url: 'file:///somewhere/node_modules/lru-cache/dist/esm/index.js',
      lineNumber,
      columnNumber: 0,
    })
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 } },
        {
          id: 2,
          callFrame: frame('get', 9),
          positionTicks: [
            { line: 12, ticks: 3 },
            { line: 11, ticks: 1 },
          ],
        },
        { id: 3, callFrame: frame('moveToTail', 19), positionTicks: [{ line: 21, ticks: 2 }] },
        { id: 4, callFrame: frame('get', 9), positionTicks: [{ line: 12, ticks: 2 }] },
      ],
      samples: [2, 2, 3, 2, 4, 2, 4, 3, 1, 3],
    }
    const { samples, functions } = cpuProfile.summarizeCpuProfile(profile, 2)
    expect(samples).toBe(10)
    expect(functions).toEqual([
      {
        name: 'get',
        where: 'lru-cache/dist/esm/index.js:10',
        share: 0.6,
        lines: [
          { line: 'lru-cache/dist/esm/index.js:12', share: 0.5 },
          { line: 'lru-cache/dist/esm/index.js:11', share: 0.1 },
        ],
      },
      {
        name: 'moveToTail',
        where: 'lru-cache/dist/esm/index.js:20',
        share: 0.3,
        lines: [{ line: 'lru-cache/dist/esm/index.js:21', share: 0.2 }],
      },
    ])
  })

  it("says so when a line tick is past the end of the frame's file (code V8 inlined from another file)", () => {
    const file = join(dir, 'wrapper.mjs')
    writeFileSync(file, 'export const get = (scope) => client.getToken(scope)\n')
    const url = pathToFileURL(file).href
    const callFrame = { functionName: 'get', url, lineNumber: 0, columnNumber: 0 }
    const profile = {
      nodes: [
        {
          id: 1,
          callFrame,
          positionTicks: [
            { line: 220, ticks: 3 },
            { line: 1, ticks: 1 },
          ],
        },
      ],
      samples: [1, 1, 1, 1],
    }
    const [get] = cpuProfile.summarizeCpuProfile(profile).functions
    expect(get?.lines.map((l) => l.line)).toEqual([
      `${url}: line 220 of code inlined from another file`,
      `${url}:1`,
    ])
  })
})
