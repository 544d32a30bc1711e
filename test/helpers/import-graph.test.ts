import { describe, expect, it } from 'vitest'
import { parseImports, resolveImport } from './import-graph.js'

describe('parseImports', () => {
  it('finds static imports and re-exports, across lines, and marks import type / export type', () => {
    const source = [
      "import { readFile } from 'node:fs/promises'",
      "import type { Dispatcher } from 'undici'",
      'import {',
      '  type Clock,',
      '  systemClock,',
      "} from './clock.js'",
      "import * as z from 'zod'",
      "import lru, { LRUCache } from 'lru-cache'",
      "import './side-effect.js'",
      "export * from './all.js'",
      "export * as ns from './ns.js'",
      "export type { A, B } from './types.js'",
      'export {',
      '  AuthorityError,',
      '  type AuthorityErrorInfo,',
      "} from './errors.js'",
    ].join('\n')
    expect(parseImports(source)).toEqual([
      { specifier: 'node:fs/promises', typeOnly: false },
      { specifier: 'undici', typeOnly: true },
      { specifier: './clock.js', typeOnly: false },
      { specifier: 'zod', typeOnly: false },
      { specifier: 'lru-cache', typeOnly: false },
      { specifier: './side-effect.js', typeOnly: false },
      { specifier: './all.js', typeOnly: false },
      { specifier: './ns.js', typeOnly: false },
      { specifier: './types.js', typeOnly: true },
      { specifier: './errors.js', typeOnly: false },
    ])
  })

  it('finds dynamic imports, as types when they name a type', () => {
    const source = [
      "type TokenStore = import('./store.js').TokenStore",
      "let mod: typeof import('./typeof.js')",
      'async function load() {',
      "  return await import('./lazy.js')",
      '}',
    ].join('\n')
    expect(parseImports(source)).toEqual([
      { specifier: './store.js', typeOnly: true },
      { specifier: './typeof.js', typeOnly: true },
      { specifier: './lazy.js', typeOnly: false },
    ])
  })

  it('ignores imports inside comments and TSDoc examples, and keeps strings that hold //', () => {
    const source = [
      '/**',
      ' * @example',
      ' * ```ts',
      " * import { Agent } from 'undici'",
      ' * ```',
      ' */',
      "// import { TokenClient } from './client.js'",
      "/* await import('./hidden.js') */",
      '/*',
      "import { old } from './old.js'",
      '*/',
      "const url = 'https://login.microsoftonline.com'; const lazy = () => import('./after.js') // a comment",
      "import { real } from './real.js'",
    ].join('\n')
    expect(parseImports(source)).toEqual([
      { specifier: './after.js', typeOnly: false },
      { specifier: './real.js', typeOnly: false },
    ])
  })

  it('does not take an export declaration for the start of an import', () => {
    const source = "export function f(): void {}\nexport const x = 1\nimport { y } from './y.js'"
    expect(parseImports(source)).toEqual([{ specifier: './y.js', typeOnly: false }])
  })
})

describe('resolveImport', () => {
  const files = new Set(['src/cache.ts', 'src/testing/index.ts', 'src/redis/index.ts', 'src/index.ts'])
  const exists = (path: string) => files.has(path)

  it('resolves relative .js specifiers to the .ts source', () => {
    expect(resolveImport('src/store.ts', './cache.js', exists)).toBe('src/cache.ts')
    expect(resolveImport('src/cli/demo.ts', '../testing/index.js', exists)).toBe('src/testing/index.ts')
  })

  it('resolves a folder to its index.ts and the package name to src/', () => {
    expect(resolveImport('src/cli/demo.ts', '../testing', exists)).toBe('src/testing/index.ts')
    expect(resolveImport('src/cli/demo.ts', 'oauth-client-credentials', exists)).toBe('src/index.ts')
    expect(resolveImport('src/cli/x.ts', 'oauth-client-credentials/redis', exists)).toBe('src/redis/index.ts')
  })

  it('keeps packages as written', () => {
    expect(resolveImport('src/cache.ts', 'lru-cache', exists)).toBe('lru-cache')
    expect(resolveImport('src/x.ts', 'node:crypto', exists)).toBe('node:crypto')
  })

  it('throws for a relative import that names no file, naming the importer', () => {
    expect(() => resolveImport('src/cache.ts', './gone.js', exists)).toThrow(
      /src\/cache\.ts: cannot resolve import '\.\/gone\.js'/,
    )
  })
})
