/**
 * The rows of what a user feels before any token is cached: cold start (figure 8: importing the
 * library in a fresh process, its time and memory), first token (figure 9: process start → first
 * token) and install footprint (figure 10: the package and its run-time dependencies).
 */
import { count, failed, met, ms, row } from './row.mjs'
import { num, spread, summarize } from './stats.mjs'

/** Issue 17: importing ours takes at most this share of each peer's import time. */
export const COLD_START_SHARE_GOAL = 1 / 5

const mib = (bytes) => `${num(bytes / 2 ** 20)} MiB`
const mb = (bytes) => (bytes >= 1e6 ? `${num(bytes / 1e6)} MB` : `${num(bytes / 1e3)} kB`)
const median = (values) => summarize(values ?? []).median
const signed = (x, format) => `${x >= 0 ? '+' : '−'}${format(Math.abs(x))}`

/**
 * @typedef {(figure: string, lib: string, match?: (r: Record<string, any>) => boolean) => Array<Record<string, any>>} Of
 */

/**
 * Figure 8: the main entry (every library) and ours' `/verify`.
 *
 * @param {Of} of
 * @returns {import('./row.mjs').Row[]}
 * @example coldStartRows(of).map((r) => r.measure)
 */
export function coldStartRows(of) {
  const main = (lib) => of('cold-start', lib, (r) => r.entry === 'main')[0]
  const rows = []
  const importCell = (lib) => {
    const r = main(lib)
    const bad = failed(r)
    if (bad) return bad
    const s = summarize(r.importMs)
    const cpu = r.importCpuMs ? ` (CPU ${ms(median(r.importCpuMs))})` : ''
    return { text: `${spread(s, ms)}${cpu}`, value: s.median }
  }
  const share = (peer) => median(main('ours')?.importMs) / median(main(peer)?.importMs)
  const shares = ['msal', 'identity'].map(share)
  const importGoal = shares.every(Number.isFinite) ? met(shares.every((x) => x <= COLD_START_SHARE_GOAL)) : ''
  rows.push(
    row(
      '8',
      'Cold start: `import()` of the main entry in a fresh process, the import alone (timed in the process)',
      importCell,
      `≤ 1/5 of each peer's: ${importGoal}`,
    ),
  )
  const wallCell = (lib) => {
    const r = main(lib)
    const bad = failed(r)
    if (bad) return bad
    const s = summarize(r.wallMs)
    return { text: `${spread(s, ms)} (a bare node: ${ms(median(r.emptyWallMs))})`, value: s.median }
  }
  rows.push(row('8', 'Cold start: process start → import done', wallCell, ''))
  rows.push(memoryRow(main))
  const verify = of('cold-start', 'ours', (r) => r.entry === 'verify')[0]
  if (verify) {
    const cell = (lib) => {
      if (lib !== 'ours') return { text: '' }
      const bad = failed(verify)
      if (bad) return bad
      const added = median(verify.rss) - median(verify.emptyRss)
      return {
        text: `${spread(summarize(verify.importMs), ms)}; ${ms(median(verify.wallMs))} from process start; RSS ${mib(median(verify.rss))} (${signed(added, mib)})`,
      }
    }
    rows.push(
      row('8', 'Cold start: `import()` of oauth-client-credentials/verify (dist/verify.js)', cell, ''),
    )
  }
  return rows
}

/** Figure 8: RSS and heapUsed after the import, and what they add to a bare node's. */
function memoryRow(main) {
  const cell = (lib) => {
    const r = main(lib)
    const bad = failed(r)
    if (bad) return bad
    const rss = median(r.rss)
    const heap = median(r.heapUsed)
    return {
      text: `RSS ${mib(rss)} (${signed(rss - median(r.emptyRss), mib)}), heap ${mib(heap)} (${signed(heap - median(r.emptyHeapUsed), mib)})`,
      value: rss,
    }
  }
  const ours = main('ours')
  const peers = ['msal', 'identity'].map(main).filter((r) => r?.rss)
  const below = (field) => peers.every((p) => median(ours[field]) < median(p[field]))
  const goal = ours?.rss && peers.length === 2 ? met(below('rss') && below('heapUsed')) : ''
  return row(
    '8',
    'Cold start: memory after the import (after a full GC; in brackets: more than a bare node)',
    cell,
    `below both peers (RSS and heap): ${goal}`,
  )
}

/**
 * Figure 9.
 *
 * @param {Of} of
 * @returns {import('./row.mjs').Row[]}
 */
export function firstTokenRows(of) {
  const one = (lib) => of('first-token', lib)[0]
  const cell = (lib) => {
    const r = one(lib)
    const bad = failed(r)
    if (bad) return bad
    const s = summarize(r.wallMs)
    const cpu = r.processCpuMs ? `; CPU ${ms(median(r.processCpuMs))}` : ''
    return { text: `${spread(s, ms)} (in the process: ${ms(median(r.workMs))}${cpu})`, value: s.median }
  }
  const ours = median(one('ours')?.wallMs)
  const peers = ['msal', 'identity'].map((lib) => median(one(lib)?.wallMs))
  const goal = Number.isFinite(ours) && peers.every(Number.isFinite) ? met(peers.every((p) => ours < p)) : ''
  return [
    row(
      '9',
      'First token: process start → first token from the loopback fake authority (fresh process, new client)',
      cell,
      `ahead of both peers: ${goal}`,
    ),
  ]
}

/**
 * Figure 10.
 *
 * @param {Of} of
 * @returns {import('./row.mjs').Row[]}
 */
export function footprintRows(of) {
  const one = (lib) => of('footprint', lib)[0]
  const total = (lib) => {
    const r = one(lib)
    const bad = failed(r)
    if (bad) return bad
    const tarball = r.own.tarballBytes ? `, npm tarball ${mb(r.own.tarballBytes)}` : ''
    const missing = r.missing?.length ? `; not installed: ${r.missing.join(', ')}` : ''
    return {
      text: `${count(r.packages)} packages, ${count(r.files)} files, ${mb(r.bytes)} (the package itself: ${count(r.own.files)} files, ${mb(r.own.bytes)}${tarball})${missing}`,
      value: r.bytes,
    }
  }
  const largest = (lib) => {
    const r = one(lib)
    if (failed(r)) return { text: '' }
    return {
      text:
        r.deps
          .slice(0, 3)
          .map((d) => `${d.name} ${mb(d.bytes)}`)
          .join(', ') || 'none',
    }
  }
  return [
    row(
      '10',
      'Install footprint: the package and its run-time dependencies, transitively',
      total,
      'reported',
    ),
    {
      ...row('10', 'Install footprint: the largest run-time dependencies', largest, ''),
      vsMsal: '',
      vsIdentity: '',
    },
  ]
}
