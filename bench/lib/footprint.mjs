/**
 * Install footprint (figure 10): the packages a library brings along, found the way Node resolves
 * them (each package's `dependencies` and installed `optionalDependencies`, looked up in the
 * `node_modules` folders from the package's own directory upwards, as npm laid them out), and the
 * files and bytes each one holds (its directory without nested `node_modules`, which hold packages
 * counted on their own). Ours is counted as `npm pack` would publish it.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * @typedef {object} InstalledPackage
 * @property {string} name
 * @property {string} version
 * @property {string} dir
 */

/**
 * Every package `names` need at run time, transitively, each directory once (npm may install two
 * versions of a name: both are counted). Peer dependencies are left out (the user installs them).
 *
 * @param {string} fromDir the directory whose `node_modules` (and its parents') hold `names`
 * @param {string[]} names
 * @returns {{ packages: InstalledPackage[], missing: string[] }} `missing`: required, not installed
 * @example dependencyClosure(process.cwd(), ['undici']).packages.map((p) => p.name) // ['undici']
 */
export function dependencyClosure(fromDir, names) {
  /** @type {Map<string, InstalledPackage>} */
  const found = new Map()
  /** @type {string[]} */
  const missing = []
  /** @type {Array<{ from: string, name: string, optional: boolean }>} */
  const queue = names.map((name) => ({ from: fromDir, name, optional: false }))
  while (queue.length > 0) {
    const { from, name, optional } = /** @type {{ from: string, name: string, optional: boolean }} */ (
      queue.shift()
    )
    const dir = resolvePackageDir(from, name)
    if (dir === undefined) {
      if (!optional) missing.push(`${name} (needed from ${from})`)
      continue
    }
    if (found.has(dir)) continue
    const manifest = readManifest(dir)
    found.set(dir, { name, version: String(manifest.version ?? ''), dir })
    for (const dep of Object.keys(manifest.dependencies ?? {}))
      queue.push({ from: dir, name: dep, optional: false })
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) {
      if (!(dep in (manifest.dependencies ?? {}))) queue.push({ from: dir, name: dep, optional: true })
    }
  }
  return { packages: [...found.values()], missing }
}

/**
 * The directory of package `name` as Node finds it from `from`: `from/node_modules/name`, then each
 * parent's, up to the file system's root.
 *
 * @param {string} from
 * @param {string} name
 * @returns {string | undefined}
 */
export function resolvePackageDir(from, name) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(dir) === dir) return undefined
  }
}

/**
 * Regular files under `dir` and their bytes, leaving out `node_modules` folders (symbolic links are
 * not followed, nor counted).
 *
 * @param {string} dir
 * @returns {{ files: number, bytes: number }}
 * @example countFiles('node_modules/lru-cache') // { files: 22, bytes: 812345 }
 */
export function countFiles(dir) {
  let files = 0
  let bytes = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue
      const inner = countFiles(join(dir, entry.name))
      files += inner.files
      bytes += inner.bytes
    } else if (entry.isFile()) {
      files++
      bytes += lstatSync(join(dir, entry.name)).size
    }
  }
  return { files, bytes }
}

/**
 * What `npm pack` would publish of the package in `rootDir` with its `dist/` taken from `distDir`:
 * the files it lists and their bytes, and the tarball's size. The package is staged in `stageDir`
 * (removed after) so that another build's dist/ can be measured; npm runs no scripts.
 *
 * @param {string} rootDir
 * @param {string} distDir
 * @param {string} stageDir
 * @returns {{ files: number, bytes: number, tarballBytes: number }}
 */
export function packedSize(rootDir, distDir, stageDir) {
  rmSync(stageDir, { recursive: true, force: true })
  mkdirSync(stageDir, { recursive: true })
  const manifest = readManifest(rootDir)
  const copies = ['package.json', ...readdirSync(rootDir).filter((f) => /^(readme|licen[cs]e)/i.test(f))]
  for (const entry of [...copies, ...(manifest.files ?? [])]) {
    const source = entry === 'dist' ? distDir : join(rootDir, entry)
    if (existsSync(source)) cpSync(source, join(stageDir, entry), { recursive: true })
  }
  try {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: stageDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const [packed] = JSON.parse(out)
    return { files: packed.entryCount, bytes: packed.unpackedSize, tarballBytes: packed.size }
  } finally {
    rmSync(stageDir, { recursive: true, force: true })
  }
}

/**
 * @param {string} dir
 * @returns {{ version?: string, files?: string[], dependencies?: Record<string, string>, optionalDependencies?: Record<string, string> }}
 */
function readManifest(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
}
