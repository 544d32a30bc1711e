import { describe, expect, it } from 'vitest'
import type { ImportEdge, ImportGraph } from './import-graph.js'
import { checkWalls, describeViolation, matchesPattern, type Wall } from './walls.js'

/** A graph from `'a.ts': ['b.ts', 'type:c']` lists (`type:` marks an `import type`). */
function graphOf(lists: Record<string, string[]>): ImportGraph {
  const edge = (to: string): ImportEdge =>
    to.startsWith('type:') ? { to: to.slice(5), typeOnly: true } : { to, typeOnly: false }
  return new Map(Object.entries(lists).map(([file, tos]) => [file, tos.map(edge)]))
}

const cacheWall: Wall = {
  kind: 'never-reaches',
  name: 'cache ↛ HTTP',
  from: ['src/cache.ts', 'src/store.ts'],
  forbidden: ['undici', 'src/transport.ts'],
}

describe('matchesPattern', () => {
  it('matches ** across folders, * within one, anything else exactly', () => {
    expect(matchesPattern('src/testing/**', 'src/testing/http/server.ts')).toBe(true)
    expect(matchesPattern('src/testing/**', 'src/testing.ts')).toBe(false)
    expect(matchesPattern('src/*.ts', 'src/cache.ts')).toBe(true)
    expect(matchesPattern('src/*.ts', 'src/testing/index.ts')).toBe(false)
    expect(matchesPattern('node:**', 'node:fs/promises')).toBe(true)
    expect(matchesPattern('src/cache.ts', 'src/cacheXts')).toBe(false)
    expect(matchesPattern('redis', 'src/redis/index.ts')).toBe(false)
  })
})

describe('checkWalls', () => {
  it('reports the shortest import chain to each forbidden node', () => {
    const graph = graphOf({
      'src/cache.ts': ['src/a.ts', 'src/b.ts'],
      'src/a.ts': ['src/c.ts'],
      'src/b.ts': ['src/transport.ts'],
      'src/c.ts': ['src/transport.ts', 'undici'],
      'src/transport.ts': ['undici'],
    })
    const found = checkWalls(graph, [{ ...cacheWall, from: ['src/cache.ts'] }]).violations
    expect(found.map(describeViolation)).toEqual([
      'cache ↛ HTTP: src/cache.ts → src/b.ts → src/transport.ts',
      'cache ↛ HTTP: src/cache.ts → src/a.ts → src/c.ts → undici',
    ])
  })

  it('follows import type edges too', () => {
    const graph = graphOf({ 'src/store.ts': ['type:src/options.ts'], 'src/options.ts': ['type:undici'] })
    expect(checkWalls(graph, [cacheWall]).violations.map((v) => v.chain)).toEqual([
      ['src/store.ts', 'src/options.ts', 'undici'],
    ])
  })

  it('excuses a type-only exception while the import is type-only, and not once it loads code', () => {
    const wall: Wall = {
      ...cacheWall,
      exceptions: [{ from: 'src/options.ts', to: 'undici', typeOnly: true, why: 'a type' }],
    }
    const typeOnly = graphOf({ 'src/store.ts': ['src/options.ts'], 'src/options.ts': ['type:undici'] })
    expect(checkWalls(typeOnly, [wall])).toEqual({ violations: [], unusedExceptions: [], emptyWalls: [] })
    const value = graphOf({ 'src/store.ts': ['src/options.ts'], 'src/options.ts': ['undici'] })
    expect(checkWalls(value, [wall]).violations.map(describeViolation)).toEqual([
      'cache ↛ HTTP: src/store.ts → src/options.ts → undici',
    ])
  })

  it('still finds another way to a forbidden node past an excused import', () => {
    const wall: Wall = {
      ...cacheWall,
      exceptions: [{ from: 'src/options.ts', to: 'undici', typeOnly: true, why: 'a type' }],
    }
    const graph = graphOf({
      'src/store.ts': ['src/options.ts', 'src/z.ts'],
      'src/options.ts': ['type:undici'],
      'src/z.ts': ['undici'],
    })
    expect(checkWalls(graph, [wall]).violations.map((v) => v.chain)).toEqual([
      ['src/store.ts', 'src/z.ts', 'undici'],
    ])
  })

  it('reports direct imports outside an imports-only list', () => {
    const wall: Wall = {
      kind: 'imports-only',
      name: 'authority ↛ client',
      from: ['src/testing/**'],
      allowed: ['src/testing/**', 'node:**', 'jose'],
    }
    const graph = graphOf({
      'src/testing/a.ts': ['node:crypto', 'src/testing/b.ts', 'jose'],
      'src/testing/b.ts': ['src/scope.ts', 'zod'],
      'src/scope.ts': ['src/authority.ts'],
    })
    expect(checkWalls(graph, [wall]).violations.map(describeViolation)).toEqual([
      'authority ↛ client: src/testing/b.ts → src/scope.ts',
      'authority ↛ client: src/testing/b.ts → zod',
    ])
  })

  it('reports exceptions that excuse nothing and walls that guard no file', () => {
    const wall: Wall = {
      ...cacheWall,
      from: ['src/moved.ts'],
      exceptions: [{ from: 'src/options.ts', to: 'undici', typeOnly: true, why: 'a type' }],
    }
    const report = checkWalls(graphOf({ 'src/cache.ts': [] }), [wall])
    expect(report.emptyWalls).toEqual(['cache ↛ HTTP'])
    expect(report.unusedExceptions).toEqual(['cache ↛ HTTP: src/options.ts → undici'])
  })
})
