/**
 * Figure 4: forced certificate acquisitions, one after another: ms per token, client assertion
 * signing and the request included. Every library signs with the same RSA-2048 key and certificate
 * (written by the orchestrator). Ours: `getToken(scope, { forceRefresh: true })`; msal-node:
 * `acquireTokenByClientCredential({ scopes, skipCache: true })`; @azure/identity has no way to skip
 * its cache, so every call asks for a new scope (a fresh credential per repetition keeps its cache
 * small). Also counts distinct client assertions seen by the endpoint, and times a bare RSA-PSS
 * signature on this machine for reference.
 *
 * Usage: node bench/figures/certificate.mjs --lib ours|msal|identity [--n 200] [--reps 5] [--warm 20]
 */
import { constants, createPrivateKey, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { numberArg, parseArgs } from '../lib/args.mjs'
import { emit, endpointStats, scopeOf, settings } from '../lib/child.mjs'
import { createClient } from '../lib/clients.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib)
const n = numberArg(args, 'n', 200)
const reps = numberArg(args, 'reps', 5)
const warm = numberArg(args, 'warm', 20)

/** @type {number[]} */
const msPerToken = []
let requests = 0
let assertions = 0
let client = await createClient(lib, { credential: 'certificate' })
await acquire(warm, 'warm')
for (let r = 0; r < reps; r++) {
  if (lib === 'identity') client = await createClient(lib, { credential: 'certificate' })
  const before = await endpointStats(client.clientId)
  const start = performance.now()
  await acquire(n, `r${r}-`)
  msPerToken.push((performance.now() - start) / n)
  const after = await endpointStats(client.clientId)
  requests += after.token - before.token
  assertions += after.assertions - before.assertions
}
emit({ figure: 'certificate', lib, n, msPerToken, requests, assertions, signMs: signatureMs() })
process.exit(0)

/**
 * `count` token acquisitions that go to the endpoint, one after another.
 *
 * @param {number} count
 * @param {string} prefix
 */
async function acquire(count, prefix) {
  for (let i = 0; i < count; i++) {
    if (client.force) await client.force(scopeOf('cert', 0))
    else await client.get(scopeOf(prefix, i))
  }
}

/** The median time of one RSA-PSS SHA-256 signature with the shared key, ms. */
function signatureMs() {
  const { privateKeyPem } = JSON.parse(readFileSync(String(settings().certFile), 'utf8'))
  const key = createPrivateKey(privateKeyPem)
  const data = Buffer.alloc(400, 1)
  const times = []
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now()
    sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    times.push(performance.now() - t0)
  }
  return times.sort((a, b) => a - b)[times.length >> 1]
}
