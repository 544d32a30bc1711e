/**
 * Figure 10: install footprint. The package (ours: what `npm pack` publishes of this build; the peers:
 * their directory as npm installed it) and every package it needs at run time, transitively (its
 * `dependencies` and installed `optionalDependencies`; peer dependencies left out), as laid out in
 * this checkout's node_modules: packages, files and bytes. Prints `{ own, deps: [{ name, version,
 * files, bytes }], packages, files, bytes, missing }`.
 *
 * Usage: node bench/figures/footprint.mjs --lib ours|msal|identity
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from '../lib/args.mjs'
import { emit } from '../lib/child.mjs'
import { countFiles, dependencyClosure, packedSize, resolvePackageDir } from '../lib/footprint.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PACKAGES = { msal: '@azure/msal-node', identity: '@azure/identity' }

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib)

let own
let ownDir
if (lib === 'ours') {
  const dist = process.env.BENCH_DIST ?? join(ROOT, 'dist')
  own = packedSize(ROOT, dist, join(ROOT, 'bench', '.tmp', `pack-${process.pid}`))
  ownDir = ROOT
} else {
  const name = PACKAGES[/** @type {'msal' | 'identity'} */ (lib)]
  if (name === undefined) throw new Error(`unknown library '${lib}' (ours, msal, identity)`)
  ownDir = resolvePackageDir(ROOT, name)
  if (ownDir === undefined) throw new Error(`${name} is not installed`)
  own = {
    ...countFiles(ownDir),
    version: JSON.parse(readFileSync(join(ownDir, 'package.json'), 'utf8')).version,
  }
}
const manifest = JSON.parse(readFileSync(join(ownDir, 'package.json'), 'utf8'))
const optional = Object.keys(manifest.optionalDependencies ?? {})
const { packages, missing } = dependencyClosure(ownDir, Object.keys(manifest.dependencies ?? {}))
const optionalFound = dependencyClosure(ownDir, optional).packages.filter(
  (p) => !packages.some((q) => q.dir === p.dir),
)
const deps = [...packages, ...optionalFound]
  .map((p) => ({ name: p.name, version: p.version, ...countFiles(p.dir) }))
  .sort((a, b) => b.bytes - a.bytes)
emit({
  figure: 'footprint',
  lib,
  own,
  deps,
  packages: 1 + deps.length,
  files: own.files + deps.reduce((s, d) => s + d.files, 0),
  bytes: own.bytes + deps.reduce((s, d) => s + d.bytes, 0),
  missing,
})
