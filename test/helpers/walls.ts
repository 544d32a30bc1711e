/**
 * Walls between the layers of src/ (docs/architecture.md), checked against an import graph. Rules are
 * written as path patterns, so that moving files changes the rule lists and nothing else:
 * - `**` matches anything, `/` included (`src/testing/**`, `node:**`);
 * - `*` matches anything but `/` (`src/*.ts`);
 * - anything else matches itself (`src/cache.ts`, `undici`).
 */
import type { ImportEdge, ImportGraph } from './import-graph.js'

/**
 * An import that would break a wall and is tolerated, with the reason: the edge into a forbidden (or not
 * allowed) node is ignored. With `typeOnly`, only while it stays an `import type`.
 */
export interface WallException {
  readonly from: string
  readonly to: string
  readonly typeOnly: boolean
  readonly why: string
}

interface WallBase {
  readonly name: string
  /** The files behind the wall (patterns). */
  readonly from: readonly string[]
  readonly exceptions?: readonly WallException[]
}

/** None of the `from` files reaches a `forbidden` node, directly or through any chain of imports. */
export interface NeverReachesWall extends WallBase {
  readonly kind: 'never-reaches'
  readonly forbidden: readonly string[]
}

/** The `from` files import nothing but `allowed` nodes (the direct imports of each file). */
export interface ImportsOnlyWall extends WallBase {
  readonly kind: 'imports-only'
  readonly allowed: readonly string[]
}

export type Wall = NeverReachesWall | ImportsOnlyWall

/** A wall broken: the chain of imports from a file behind it to what it may not reach. */
export interface Violation {
  readonly wall: string
  readonly chain: readonly string[]
}

/** What {@link checkWalls} found. */
export interface WallReport {
  readonly violations: readonly Violation[]
  /** Exceptions that excused nothing (stale: remove them). */
  readonly unusedExceptions: readonly string[]
  /** Walls whose `from` patterns match no file of the graph (a file moved: update the rule). */
  readonly emptyWalls: readonly string[]
}

/**
 * Whether the path or package `id` matches `pattern`.
 *
 * @example
 * ```ts
 * matchesPattern('src/testing/**', 'src/testing/http/server.ts') // true
 * matchesPattern('src/*.ts', 'src/testing/index.ts')             // false
 * ```
 */
export function matchesPattern(pattern: string, id: string): boolean {
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('')
  return new RegExp(`^${source}$`).test(id)
}

function matchesAny(patterns: readonly string[], id: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, id))
}

/**
 * Every wall broken in `graph`, each with the import chain that breaks it; stale exceptions; walls that
 * guard no file.
 *
 * @example
 * ```ts
 * const graph = new Map([['src/cache.ts', [{ to: 'undici', typeOnly: false }]]])
 * checkWalls(graph, [{ kind: 'never-reaches', name: 'cache ↛ HTTP', from: ['src/cache.ts'], forbidden: ['undici'] }])
 * // { violations: [{ wall: 'cache ↛ HTTP', chain: ['src/cache.ts', 'undici'] }], … }
 * ```
 */
export function checkWalls(graph: ImportGraph, walls: readonly Wall[]): WallReport {
  const violations: Violation[] = []
  const unusedExceptions: string[] = []
  const emptyWalls: string[] = []
  for (const wall of walls) {
    const starts = [...graph.keys()].filter((file) => matchesAny(wall.from, file)).sort()
    if (starts.length === 0) emptyWalls.push(wall.name)
    const used = new Set<WallException>()
    const excused = (from: string, edge: ImportEdge) => {
      const exception = wall.exceptions?.find((e) => isExcused(e, from, edge))
      if (exception) used.add(exception)
      return exception !== undefined
    }
    for (const start of starts) {
      const chains =
        wall.kind === 'imports-only'
          ? strayImports(graph, start, wall.allowed, excused)
          : forbiddenChains(graph, start, wall.forbidden, excused)
      for (const chain of chains) violations.push({ wall: wall.name, chain })
    }
    for (const e of wall.exceptions ?? []) {
      if (!used.has(e)) unusedExceptions.push(`${wall.name}: ${e.from} → ${e.to}`)
    }
  }
  return { violations, unusedExceptions, emptyWalls }
}

type Excused = (from: string, edge: ImportEdge) => boolean

function isExcused(exception: WallException, from: string, edge: ImportEdge): boolean {
  return (
    matchesPattern(exception.from, from) &&
    matchesPattern(exception.to, edge.to) &&
    (!exception.typeOnly || edge.typeOnly)
  )
}

function strayImports(graph: ImportGraph, file: string, allowed: readonly string[], excused: Excused) {
  return (graph.get(file) ?? [])
    .filter((edge) => !matchesAny(allowed, edge.to) && !excused(file, edge))
    .map((edge) => [file, edge.to])
}

/** The shortest chain from `start` to each forbidden node it reaches (breadth first). */
function forbiddenChains(graph: ImportGraph, start: string, forbidden: readonly string[], excused: Excused) {
  const parent = new Map<string, string | undefined>([[start, undefined]])
  const queue = [start]
  const chains: string[][] = []
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const edge of graph.get(node) ?? []) {
      if (parent.has(edge.to)) continue
      const isForbidden = matchesAny(forbidden, edge.to)
      if (isForbidden && excused(node, edge)) continue
      parent.set(edge.to, node)
      if (isForbidden) chains.push(chainTo(parent, edge.to))
      else queue.push(edge.to)
    }
  }
  return chains
}

function chainTo(parent: ReadonlyMap<string, string | undefined>, end: string): string[] {
  const chain = [end]
  for (let node = parent.get(end); node !== undefined; node = parent.get(node)) chain.unshift(node)
  return chain
}

/**
 * A violation as one line: the wall, then the chain of imports.
 *
 * @example
 * ```ts
 * describeViolation({ wall: 'cache ↛ HTTP', chain: ['src/cache.ts', 'src/store.ts', 'undici'] })
 * // 'cache ↛ HTTP: src/cache.ts → src/store.ts → undici'
 * ```
 */
export function describeViolation(violation: Violation): string {
  return `${violation.wall}: ${violation.chain.join(' → ')}`
}
