/**
 * The orchestrator's side: the shared environment (fake authority, API, CA and client certificate
 * files in a temp directory) and running one figure as a child process that prints one JSON line.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { distUrl } from './clients.mjs'
import { startFakeAuthority } from './fake-authority.mjs'

const FIGURES_DIR = fileURLToPath(new URL('../figures/', import.meta.url))

/**
 * @typedef {object} Environment
 * @property {string} authority the fake token endpoint's origin (https)
 * @property {string} api the loopback API's origin (http)
 * @property {string} dir the temp directory (CA, client certificate)
 * @property {Record<string, string>} env what every child gets in its environment
 * @property {() => Promise<void>} close
 */

/**
 * Starts the fake authority and API and writes the CA and the shared client certificate.
 *
 * @returns {Promise<Environment>}
 */
export async function startEnvironment() {
  const testing = await import(distUrl('testing.js'))
  const [fake, clientCert] = await Promise.all([
    startFakeAuthority(testing),
    testing.generateCertificate({ commonName: 'bench-daemon' }),
  ])
  const dir = await mkdtemp(join(tmpdir(), 'oauth-client-credentials-bench-'))
  const caFile = join(dir, 'ca.pem')
  const certFile = join(dir, 'client-cert.json')
  await writeFile(caFile, fake.caPem)
  await writeFile(
    certFile,
    JSON.stringify({
      certificatePem: clientCert.certificatePem,
      privateKeyPem: clientCert.privateKeyPem,
      thumbprintSha256Hex: createHash('sha256').update(clientCert.der).digest('hex'),
    }),
  )
  return {
    authority: fake.url,
    api: fake.apiUrl,
    dir,
    env: {
      NODE_EXTRA_CA_CERTS: caFile,
      BENCH_AUTHORITY: fake.url,
      BENCH_API: fake.apiUrl,
      BENCH_CERT: certFile,
    },
    close: async () => {
      await fake.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Runs `bench/figures/{figure}.mjs` with `args` in a fresh `node --expose-gc` and returns the JSON of
 * its last stdout line. A child that runs past `timeoutS` is killed (its own pid) and reported as
 * `{ timedOut: true }`; one that fails is reported as `{ error }`.
 *
 * @param {Environment} environment
 * @param {string} figure
 * @param {Record<string, string | number>} args
 * @param {{ timeoutS?: number, nodeArgs?: string[] }} [options]
 * @returns {Promise<Record<string, any>>}
 */
export function runChild(environment, figure, args, options = {}) {
  const argv = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)])
  const script = join(FIGURES_DIR, `${figure}.mjs`)
  const nodeArgs = ['--expose-gc', ...(options.nodeArgs ?? [])]
  const timeoutS = options.timeoutS ?? 300
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...argv], {
      env: { ...process.env, ...environment.env, AZURE_LOG_LEVEL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk
    })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutS * 1000)
    child.on('close', (code) => {
      clearTimeout(timer)
      const line = stdout.trim().split('\n').at(-1) ?? ''
      if (timedOut) return resolve({ figure, ...args, timedOut: true, timeoutS })
      try {
        resolve(JSON.parse(line))
      } catch {
        resolve({ figure, ...args, error: `exit ${code}: ${(stderr || stdout).trim().slice(-600)}` })
      }
    })
  })
}
