/**
 * Figure 11: no identity, time to error. A process where no managed identity exists asks for one's
 * token: IMDS is a loopback port (`AZURE_POD_IDENTITY_AUTHORITY_HOST`, read by all three libraries) that
 * is `closed` (connections refused) or `silent` (accepts and never answers). Reports how long the first
 * `getToken` took to fail (or that it had not failed after `--cap` seconds), and the error's name. No
 * request ever leaves 127.0.0.1: every other managed-identity variable is removed before the library
 * is imported.
 *
 * - ours: `new TokenClient({ managedIdentity: {} }).getToken(resource)`
 * - msal: `new ManagedIdentityApplication().acquireToken({ resource })`
 * - identity: `new ManagedIdentityCredential().getToken(resource + '/.default')`
 *
 * Usage: node bench/figures/no-identity.mjs --lib ours|msal|identity --port closed|silent [--cap 30]
 */
import { once } from 'node:events'
import { createServer } from 'node:net'
import { numberArg, parseArgs } from '../lib/args.mjs'
import { distUrl } from '../lib/clients.mjs'

const args = parseArgs(process.argv.slice(2))
const lib = String(args.lib)
const port = String(args.port ?? 'closed')
const capMs = numberArg(args, 'cap', 30) * 1000
const RESOURCE = 'https://management.azure.com'

const MANAGED_IDENTITY_VARIABLES = [
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'IDENTITY_SERVER_THUMBPRINT',
  'IMDS_ENDPOINT',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_FEDERATED_TOKEN_FILE',
]
for (const name of MANAGED_IDENTITY_VARIABLES) delete process.env[name]

/** A loopback port: closed (listened on, then closed) or silent (accepting, never answering). */
async function loopbackPort(kind) {
  const sockets = new Set()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port: number } = /** @type {import('node:net').AddressInfo} */ (server.address())
  if (kind === 'closed') {
    server.close()
    await once(server, 'close')
    return { number, close: () => {} }
  }
  return {
    number,
    close: () => {
      for (const socket of sockets) socket.destroy()
      server.close()
    },
  }
}

/** The library's "get a managed identity token" call. */
async function askFor(kind) {
  if (kind === 'ours') {
    const { TokenClient } = await import(distUrl('index.js'))
    const client = new TokenClient({ managedIdentity: {} })
    return () => client.getToken(RESOURCE)
  }
  if (kind === 'msal') {
    const { ManagedIdentityApplication } = await import('@azure/msal-node')
    const app = new ManagedIdentityApplication()
    return () => app.acquireToken({ resource: RESOURCE })
  }
  const { ManagedIdentityCredential } = await import('@azure/identity')
  const credential = new ManagedIdentityCredential()
  return () => credential.getToken(`${RESOURCE}/.default`)
}

const imds = await loopbackPort(port)
process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = `http://127.0.0.1:${imds.number}`
const ask = await askFor(lib)
const start = performance.now()
let timer
const capped = new Promise((resolve) => {
  timer = setTimeout(() => resolve({ capped: true }), capMs)
})
const outcome = await Promise.race([
  ask().then(
    () => ({ token: true }),
    (error) => ({ errorName: error?.name ?? String(error), code: error?.code }),
  ),
  capped,
])
const ms = performance.now() - start
clearTimeout(timer)
imds.close()
const line = JSON.stringify({ figure: 'no-identity', lib, port, capS: capMs / 1000, ms, ...outcome })
// a library may still be retrying in the background: the figure is taken, so exit once it is written
process.stdout.write(`${line}\n`, () => process.exit(0))
