/**
 * The import graph of `src/`, read from the TypeScript source with a few regular expressions (no
 * compiler): static `import … from`, `export … from`, side-effect `import '…'` and `import('…')`.
 * Relative specifiers resolve to repository paths (`./x.js` → `src/x.ts`, `./dir` → `src/dir/index.ts`);
 * packages stay as written (`undici`, `node:crypto`). Used by test/architecture.test.ts to keep the walls
 * of docs/architecture.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, posix, relative, sep } from 'node:path'

/** One import in a file, as written. */
export interface ImportRef {
  readonly specifier: string
  /** `import type` / `export type` / `type X = import('…')`: erased from the built code. */
  readonly typeOnly: boolean
}

/** One edge of the graph: a repository path (`src/cache.ts`) or a package (`undici`). */
export interface ImportEdge {
  readonly to: string
  readonly typeOnly: boolean
}

/** Every source file (repository path, `/`-separated) with what it imports. */
export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>

/** The package's own name: `oauth-client-credentials[/sub]` resolves into src/ as the tsconfig paths say. */
const SELF = 'oauth-client-credentials'

/** Strings are kept (so `'https://…'` is not a comment); comments are dropped. */
const STRINGS_OR_COMMENTS =
  /'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g
/** `import|export [type] <clause> from '…'` at the start of a line (top-level statements are not indented). */
const STATIC = /^(?:import|export)\s+(type\s+)?[\w$*{}\s,]*?\s*from\s*['"]([^'"\n]+)['"]/gm
const SIDE_EFFECT = /^import\s*['"]([^'"\n]+)['"]/gm
const DYNAMIC = /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g
/** What precedes an `import('…')` used as a type: `type X = import(…)`, `typeof import(…)`. */
const TYPE_POSITION = /(?:\btype\s+[\w$]+(?:<[^>\n]*>)?\s*=|\btypeof)\s*$/

/**
 * The imports of one TypeScript source text, comments ignored, in the order found.
 *
 * @example
 * ```ts
 * parseImports("import type { A } from './a.js'\nexport * from 'b'")
 * // [{ specifier: './a.js', typeOnly: true }, { specifier: 'b', typeOnly: false }]
 * ```
 */
export function parseImports(source: string): ImportRef[] {
  const code = source.replace(STRINGS_OR_COMMENTS, (m) => (m.startsWith('/') ? blank(m) : m))
  const found: Array<ImportRef & { at: number }> = []
  for (const m of code.matchAll(STATIC)) found.push({ at: m.index, specifier: m[2]!, typeOnly: !!m[1] })
  for (const m of code.matchAll(SIDE_EFFECT)) found.push({ at: m.index, specifier: m[1]!, typeOnly: false })
  for (const m of code.matchAll(DYNAMIC)) {
    const lineStart = code.lastIndexOf('\n', m.index) + 1
    const before = code.slice(lineStart, m.index)
    found.push({ at: m.index, specifier: m[1]!, typeOnly: TYPE_POSITION.test(before) })
  }
  return found.sort((a, b) => a.at - b.at).map(({ specifier, typeOnly }) => ({ specifier, typeOnly }))
}

/** A comment replaced by as many newlines as it spans (line starts stay line starts). */
function blank(comment: string): string {
  return comment.replace(/[^\n]/g, '')
}

/**
 * Where `specifier`, imported by the file `from` (a repository path), leads: a repository path for
 * relative and self imports, the specifier itself for packages. Throws when a relative import names no
 * file, so that the graph never silently misses an edge.
 *
 * @example
 * ```ts
 * resolveImport('src/cli/demo.ts', '../testing/index.js', existsSync) // 'src/testing/index.ts'
 * resolveImport('src/cache.ts', 'lru-cache', existsSync)              // 'lru-cache'
 * ```
 */
export function resolveImport(from: string, specifier: string, exists: (path: string) => boolean): string {
  let base: string
  if (specifier.startsWith('.')) base = posix.join(posix.dirname(from), specifier)
  else if (specifier === SELF) base = 'src'
  else if (specifier.startsWith(`${SELF}/`)) base = posix.join('src', specifier.slice(SELF.length + 1))
  else return specifier
  const stem = base.replace(/\.(?:js|ts|mjs|mts)$/, '')
  const candidates = [`${stem}.ts`, `${stem}.mts`, posix.join(base, 'index.ts'), base]
  const found = candidates.find(exists)
  if (found === undefined)
    throw new Error(`${from}: cannot resolve import '${specifier}' (tried ${candidates})`)
  return found
}

/**
 * The import graph of every `.ts` file under `dir` (a repository path such as `src`) of the repository
 * at `root`.
 *
 * @example
 * ```ts
 * const graph = readImportGraph(process.cwd(), 'src')
 * graph.get('src/cache.ts') // [{ to: 'lru-cache', typeOnly: false }, { to: 'src/clock.ts', typeOnly: true }, …]
 * ```
 */
export function readImportGraph(root: string, dir: string): ImportGraph {
  const exists = (path: string) => existsSync(join(root, path))
  const graph = new Map<string, ImportEdge[]>()
  for (const file of sourceFiles(join(root, dir))) {
    const path = relative(root, file).split(sep).join('/')
    const refs = parseImports(readFileSync(file, 'utf8'))
    graph.set(
      path,
      refs.map((ref) => ({ to: resolveImport(path, ref.specifier, exists), typeOnly: ref.typeOnly })),
    )
  }
  return graph
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}
