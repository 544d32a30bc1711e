/**
 * CPU profiles of one phase of a figure (V8's sampling profiler through `node:inspector`, the same
 * profiler as `node --cpu-prof`, started and stopped around the phase so that filling a cache or
 * starting the process is not in it), and a summary of a profile: self time by function and, for
 * the top functions, by source line.
 */
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { SourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'

/**
 * Starts V8's CPU profiler in this process, sampling every `intervalUs` microseconds.
 *
 * @param {number} intervalUs
 * @returns {Promise<{ stop: (file: string) => Promise<void> }>} `stop` writes the `.cpuprofile` (JSON)
 * @example
 * const profile = await startCpuProfile(50)
 * await work()
 * await profile.stop('/tmp/work.cpuprofile')
 */
export async function startCpuProfile(intervalUs) {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs })
  await session.post('Profiler.start')
  return {
    stop: async (file) => {
      const { profile } = await session.post('Profiler.stop')
      session.disconnect()
      await writeFile(file, JSON.stringify(profile))
    },
  }
}

/**
 * @typedef {object} FunctionCost
 * @property {string} name the function (`(anonymous)` when it has none)
 * @property {string} where `file:line` of its definition (file relative to node_modules or dist; a
 *   built file's line is mapped to its source, `src/cache.ts:138`, through the source map beside it)
 * @property {number} share of all samples, 0..1
 * @property {Array<{ line: string, share: number }>} lines the lines that took the most samples
 */

/**
 * Self time by function, largest first. V8 inlines small functions into their callers, so a
 * lookup that TurboFan inlined (a `Map.prototype.get`, a getter) counts in the caller's lines.
 *
 * @param {{ nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number }, positionTicks?: Array<{ line: number, ticks: number }> }>, samples: number[] }} profile
 * @param {number} [top]
 * @returns {{ samples: number, functions: FunctionCost[] }}
 * @example
 * summarizeCpuProfile(JSON.parse(readFileSync('hits.cpuprofile', 'utf8')), 12).functions[0]
 * // { name: 'get', where: 'lru-cache/dist/esm/index.js:1420', share: 0.31, lines: [...] }
 */
export function summarizeCpuProfile(profile, top = 15) {
  /** @type {Map<number, number>} */
  const hits = new Map()
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1)
  /** @type {Map<string, { name: string, where: string, samples: number, lines: Map<string, number> }>} */
  const byFunction = new Map()
  for (const node of profile.nodes) {
    const samples = hits.get(node.id) ?? 0
    if (samples === 0) continue
    const { functionName, url, lineNumber, columnNumber } = node.callFrame
    // a minified file (lru-cache's) is one line: its column tells the functions apart
    const column = url.includes('.min.') ? `:${columnNumber + 1}` : ''
    const where = url ? `${sourceLine(url, lineNumber + 1)}${column}` : ''
    const key = `${functionName}@${where}`
    let entry = byFunction.get(key)
    if (entry === undefined) {
      entry = { name: functionName || '(anonymous)', where, samples: 0, lines: new Map() }
      byFunction.set(key, entry)
    }
    entry.samples += samples
    for (const { line, ticks } of node.positionTicks ?? []) {
      const at = sourceLine(url, line)
      entry.lines.set(at, (entry.lines.get(at) ?? 0) + ticks)
    }
  }
  const total = profile.samples.length
  const functions = [...byFunction.values()]
    .sort((a, b) => b.samples - a.samples)
    .slice(0, top)
    .map((f) => ({
      name: f.name,
      where: f.where,
      share: f.samples / total,
      lines: [...f.lines]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([line, ticks]) => ({ line, share: ticks / total })),
    }))
  return { samples: total, functions }
}

/** @type {Map<string, { map: SourceMap | undefined, lines: string[] }>} */
const scripts = new Map()

/**
 * `file:line` of a line of a script: through the source map beside a built file (`dist/index.js:218`
 * → `src/cache.ts:138`), else the file's short name and the line. V8 gives the line ticks of code it
 * inlined from another file at that file's line numbers under the caller's script: a line the script
 * does not have is shown as `line N of code inlined from another file`.
 *
 * @param {string} url
 * @param {number} line 1-based
 */
function sourceLine(url, line) {
  let script = scripts.get(url)
  if (script === undefined) {
    const file = url.startsWith('file:') ? fileURLToPath(url) : ''
    const lines = file !== '' && existsSync(file) ? readFileSync(file, 'utf8').split('\n') : []
    const mapped = lines.length > 0 && existsSync(`${file}.map`) && !file.includes('/node_modules/')
    const map = mapped ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : undefined
    script = { map, lines }
    scripts.set(url, script)
  }
  if (script.lines.length > 0 && line > script.lines.length) {
    return `${shortUrl(url)}: line ${line} of code inlined from another file`
  }
  const column = script.lines[line - 1]?.search(/\S/) ?? -1
  const entry = script.map && column >= 0 ? script.map.findEntry(line - 1, column) : undefined
  if (entry && 'originalSource' in entry) {
    return `${entry.originalSource.replace(/^(\.\.\/)+/, '')}:${entry.originalLine + 1}`
  }
  return `${shortUrl(url)}:${line}`
}

/** `file:///…/node_modules/lru-cache/dist/esm/index.js` → `lru-cache/dist/esm/index.js`. */
function shortUrl(url) {
  const modules = url.lastIndexOf('/node_modules/')
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length)
  const dist = url.lastIndexOf('/dist')
  if (dist >= 0) return `oauth-client-credentials${url.slice(dist)}`
  return url.replace(/^file:\/\/.*\/bench\//, 'bench/')
}
