/**
 * The walls of docs/architecture.md, enforced on the import graph of src/. The rules are path patterns
 * (see test/helpers/walls.ts): when files move, only the lists below change.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { type ImportGraph, readImportGraph } from './helpers/import-graph.js'
import { checkWalls, describeViolation, matchesPattern, type Wall } from './helpers/walls.js'

/** The cache and what it keeps: tokens, resolved requests, the fleet store protocol. */
const CACHE = ['src/cache.ts', 'src/store.ts', 'src/target.ts', 'src/token.ts', 'src/cache/**']
/** HTTP: undici, the transport, the token request and its answer, and the attach layer. */
const HTTP = [
  'undici',
  'src/transport.ts',
  'src/response.ts',
  'src/token-request.ts',
  'src/client.ts',
  'src/attach/**',
]
/** The local authority (oauth-client-credentials/testing). */
const LOCAL_AUTHORITY = ['src/testing/**']
/** What the local authority may import: Node, jose, zod and its own files, never the client's code. */
const LOCAL_AUTHORITY_MAY_IMPORT = [
  'src/testing/**',
  'node:**',
  'jose',
  'zod',
  // the Node version guard every entry loads first: no protocol code
  'src/node-guard.ts',
  'src/node-version.ts',
  // the validation toolkit (a zod schema in, one error naming the field out; the shared small
  // schemas): no protocol code
  'src/validation/parse.ts',
  'src/validation/schemas.ts',
]
/** The main entry (oauth-client-credentials). */
const MAIN_ENTRY = ['src/index.ts']
/** The other entries and their optional peers, which the main entry never loads. */
const OTHER_ENTRIES = [
  'src/testing/**',
  'src/verify/**',
  'src/cli/**',
  'src/redis/**',
  'src/opentelemetry/**',
  'redis',
  '@opentelemetry/**',
]

const WALLS: readonly Wall[] = [
  {
    kind: 'never-reaches',
    name: 'the cache knows nothing of HTTP',
    from: CACHE,
    forbidden: HTTP,
    exceptions: [
      {
        from: 'src/options.ts',
        to: 'undici',
        typeOnly: true,
        why: 'options.ts (reached through store.ts and target.ts) names the type of its dispatcher schema; erased from the build',
      },
      {
        from: 'src/option-types.ts',
        to: 'undici',
        typeOnly: true,
        why: 'option-types.ts (reached through store.ts and target.ts) names the type of the http.dispatcher option; erased from the build',
      },
    ],
  },
  {
    kind: 'never-reaches',
    name: 'the transport knows nothing of the cache',
    from: ['src/transport.ts'],
    forbidden: [...CACHE, 'lru-cache'],
  },
  {
    kind: 'imports-only',
    name: "the local authority shares no code with the client's protocol code",
    from: LOCAL_AUTHORITY,
    allowed: LOCAL_AUTHORITY_MAY_IMPORT,
  },
  {
    kind: 'never-reaches',
    name: 'the main entry never reaches testing, verify, cli, redis or opentelemetry',
    from: MAIN_ENTRY,
    forbidden: OTHER_ENTRIES,
  },
]

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const graph = readImportGraph(ROOT, 'src')

describe('the walls of docs/architecture.md hold in src/', () => {
  const report = checkWalls(graph, WALLS)

  it.each(WALLS.map((wall) => [wall.name]))('%s', (name) => {
    const broken = report.violations.filter((v) => v.wall === name).map(describeViolation)
    expect(broken, 'import chains that break the wall').toEqual([])
  })

  it('has no wall that guards no file and no exception that excuses nothing', () => {
    expect(report.emptyWalls, 'walls whose from patterns match no file: update them').toEqual([])
    expect(report.unusedExceptions, 'exceptions no longer needed: remove them').toEqual([])
  })

  it('reads a graph that holds the files the walls talk about', () => {
    expect(graph.get('src/index.ts')?.length).toBeGreaterThan(5)
    expect(graph.get('src/cache.ts')?.map((e) => e.to)).toContain('src/store.ts')
    expect(graph.get('src/options.ts')).toContainEqual({ to: 'undici', typeOnly: true })
  })
})

/** A concrete node that `pattern` matches: `src/testing/**` → `src/testing/x/y.ts`. */
function exampleOf(pattern: string): string {
  const example = pattern.replace(/\*\*/g, 'x/y.ts').replace(/\*/g, 'x')
  expect(matchesPattern(pattern, example)).toBe(true)
  return example
}

/** `graph` plus one edge from `from` through a new file to `to`. */
function withBridge(base: ImportGraph, from: string, to: string): ImportGraph {
  const bridged = new Map(base)
  bridged.set(from, [...(base.get(from) ?? []), { to: 'src/bridge.ts', typeOnly: false }])
  bridged.set('src/bridge.ts', [{ to, typeOnly: false }])
  return bridged
}

describe('each wall fails when broken', () => {
  it.each(WALLS.map((wall) => [wall.name, wall]))('%s', (name, wall) => {
    const start = [...graph.keys()].find((file) => wall.from.some((p) => matchesPattern(p, file)))!
    const bad =
      wall.kind === 'never-reaches'
        ? withBridge(graph, start, exampleOf(wall.forbidden[0]!))
        : new Map([...graph, [start, [{ to: 'left-pad', typeOnly: false }]]])
    const broken = checkWalls(bad, [wall]).violations.map(describeViolation)
    const chain =
      wall.kind === 'never-reaches'
        ? `${start} → src/bridge.ts → ${exampleOf(wall.forbidden[0]!)}`
        : `${start} → left-pad`
    expect(broken).toContain(`${name}: ${chain}`)
  })
})
