/**
 * The start-up figures' side of a sample: starts bench/lib/sample.mjs in a fresh `node` process and
 * times it from just before `spawn` to the moment its line arrives (what a user waits for: process
 * start, Node's own start-up, the work), and pairs samples with empty ones run right before or after,
 * so that Node's start-up can be taken out and the machine's drift cancels.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SAMPLE = fileURLToPath(new URL('sample.mjs', import.meta.url))

/**
 * @typedef {object} Sample
 * @property {number} wallMs from just before spawn to the sample's line
 * @property {number} sinceOriginMs the work done, in ms since the process's `performance.timeOrigin`
 * @property {number} workMs the work alone, timed inside the process
 * @property {number} workCpuMs the CPU time (user + system, every thread) of the work alone
 * @property {number} processCpuMs the process's CPU time from its start to the work done
 * @property {number} rss bytes, after the work and a full GC
 * @property {number} heapUsed bytes, after the work and a full GC
 * @property {string} [clientId]
 * @property {number} [tokenLength]
 */

/**
 * Runs one sample in a fresh process. The compile cache is off (`NODE_COMPILE_CACHE` removed), as
 * for a user who did not turn it on.
 *
 * @param {string[]} args `empty`, `import <specifier>` or `token <lib> <scope>`
 * @param {number} [timeoutS]
 * @returns {Promise<Sample>}
 * @example const { wallMs, rss } = await freshSample(['import', '@azure/identity'])
 */
export function freshSample(args, timeoutS = 60) {
  const env = { ...process.env }
  delete env.NODE_COMPILE_CACHE
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, ['--expose-gc', SAMPLE, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let wallMs = 0
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk
      if (wallMs === 0 && stdout.includes('\n')) wallMs = performance.now() - t0
    })
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000)
    child.on('close', (code) => {
      clearTimeout(timer)
      try {
        resolve({ ...JSON.parse(stdout.trim().split('\n')[0] ?? ''), wallMs })
      } catch {
        reject(new Error(`sample ${args.join(' ')}: exit ${code}: ${(stderr || stdout).trim().slice(-400)}`))
      }
    })
  })
}

/**
 * `samples` pairs of (empty, `args`) samples, the order within a pair alternating, after `warm`
 * discarded pairs (they warm the file cache).
 *
 * @param {string[]} args
 * @param {number} samples
 * @param {number} [warm]
 * @returns {Promise<{ empty: Sample[], work: Sample[] }>}
 * @example const { empty, work } = await pairedSamples(['import', '@azure/msal-node'], 9)
 */
export async function pairedSamples(args, samples, warm = 1) {
  for (let i = 0; i < warm; i++) {
    await freshSample(['empty'])
    await freshSample(args)
  }
  /** @type {Sample[]} */
  const empty = []
  /** @type {Sample[]} */
  const work = []
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      empty.push(await freshSample(['empty']))
      work.push(await freshSample(args))
    } else {
      work.push(await freshSample(args))
      empty.push(await freshSample(['empty']))
    }
  }
  return { empty, work }
}
