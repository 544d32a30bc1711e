/**
 * bench/lib/footprint.mjs (figure 10): the run-time dependency closure is found as Node resolves it
 * (nested versions, deduplicated directories, optional dependencies that are not installed, cycles),
 * and files are counted without nested node_modules — in a scratch node_modules tree.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

interface InstalledPackage {
  readonly name: string
  readonly version: string
  readonly dir: string
}
interface FootprintModule {
  dependencyClosure(fromDir: string, names: string[]): { packages: InstalledPackage[]; missing: string[] }
  countFiles(dir: string): { files: number; bytes: number }
}

const footprint: FootprintModule = await import(
  new URL('../../bench/lib/footprint.mjs', import.meta.url).href
)

let root: string

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), text)
}

function manifest(path: string, fields: Record<string, unknown>): void {
  write(join(path, 'package.json'), JSON.stringify(fields))
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bench-footprint-'))
  manifest('node_modules/a', { version: '1.0.0', dependencies: { c: '^2' } })
  manifest('node_modules/a/node_modules/c', { version: '2.0.0' })
  manifest('node_modules/c', { version: '1.0.0', dependencies: { b: '*' } })
  manifest('node_modules/b', {
    version: '3.0.0',
    dependencies: { c: '^1', a: '*', 'not-installed': '*' },
    optionalDependencies: { 'optional-present': '*', 'optional-absent': '*' },
    peerDependencies: { peer: '*' },
  })
  manifest('node_modules/optional-present', { version: '0.1.0' })
  manifest('node_modules/peer', { version: '9.0.0' })
})

afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('dependencyClosure', () => {
  it('finds every package once per directory, nested versions where npm put them, through cycles', () => {
    const { packages } = footprint.dependencyClosure(root, ['a', 'b'])
    const found = packages.map((p) => `${p.name}@${p.version}`).sort()
    expect(found).toEqual(['a@1.0.0', 'b@3.0.0', 'c@1.0.0', 'c@2.0.0', 'optional-present@0.1.0'])
    const nested = packages.find((p) => p.version === '2.0.0')
    expect(nested?.dir).toBe(join(root, 'node_modules', 'a', 'node_modules', 'c'))
  })

  it('reports a required dependency that is not installed, not an optional one; leaves peers out', () => {
    const { packages, missing } = footprint.dependencyClosure(root, ['b'])
    expect(missing).toEqual([`not-installed (needed from ${join(root, 'node_modules', 'b')})`])
    expect(packages.map((p) => p.name)).not.toContain('peer')
    expect(packages.map((p) => p.name)).not.toContain('optional-absent')
  })
})

describe('countFiles', () => {
  it('counts regular files and their bytes, leaving nested node_modules out', () => {
    write('node_modules/b/index.js', '0123456789')
    write('node_modules/b/lib/x.js', '01234')
    write('node_modules/b/node_modules/inner/index.js', 'not counted')
    const manifestBytes = JSON.stringify({
      version: '3.0.0',
      dependencies: { c: '^1', a: '*', 'not-installed': '*' },
      optionalDependencies: { 'optional-present': '*', 'optional-absent': '*' },
      peerDependencies: { peer: '*' },
    }).length
    expect(footprint.countFiles(join(root, 'node_modules', 'b'))).toEqual({
      files: 3,
      bytes: 15 + manifestBytes,
    })
  })
})
