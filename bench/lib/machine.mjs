/**
 * The machine and software a run measured: CPU model and count, memory, OS, Node and package
 * versions, the load average (other work on the machine makes the figures noisy), and the date.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { sep } from 'node:path'

/**
 * A description of this machine and of the versions measured.
 *
 * @returns {Record<string, string>}
 */
export function describeMachine() {
  const cpus = os.cpus()
  const model = cpus[0]?.model?.trim() ?? 'unknown CPU'
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: `${cpus.length} × ${model}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    ours: `oauth-client-credentials ${version('../../package.json')} (${build()})`,
    msal: `@azure/msal-node ${version('../../node_modules/@azure/msal-node/package.json')}`,
    identity: `@azure/identity ${version('../../node_modules/@azure/identity/package.json')}`,
    load: loadAverage(),
  }
}

/** The 1-, 5- and 15-minute load averages, e.g. `1.93 / 2.10 / 1.75`. */
export function loadAverage() {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ')
}

/** Which build is measured: this checkout's (its commit), or another one given with --dist. */
function build() {
  const dist = process.env.BENCH_DIST
  return dist && !dist.includes(`${sep}bench${sep}.tmp${sep}`) ? `build in ${dist}` : commit()
}

/** @param {string} relative */
function version(relative) {
  return JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')).version
}

function commit() {
  try {
    const cwd = new URL('../..', import.meta.url)
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd,
      encoding: 'utf8',
    }).trim()
    return dirty ? `${hash}, src/ modified` : hash
  } catch {
    return 'no git'
  }
}
