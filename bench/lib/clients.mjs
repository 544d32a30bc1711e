/**
 * One client per library, all pointed at the same fake authority and given the same scope strings:
 *
 * - `ours`: `TokenClient` from the built package (`dist/index.js`), `authorityHost` = the fake.
 * - `msal`: `@azure/msal-node` `ConfidentialClientApplication`, authority `{fake}/{tenant}` in
 *   `knownAuthorities` (so no instance discovery; it fetches the tenant's OpenID metadata once), its
 *   default network client (Node's fetch).
 * - `identity`: `@azure/identity` `ClientSecretCredential` / `ClientCertificateCredential` with
 *   `authorityHost` = the fake and `disableInstanceDiscovery`.
 *
 * The child process trusts the fake's certificate through `NODE_EXTRA_CA_CERTS` (set by the
 * orchestrator), which Node's TLS, fetch and undici all honour: no library is modified or given a
 * custom transport. Libraries are imported lazily so that a child can fake `Date` first.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SECRET, settings, TENANT } from './child.mjs'

/** The libraries compared. */
export const LIBS = /** @type {const} */ (['ours', 'msal', 'identity'])

/** Display names. */
export const LIB_NAMES = {
  ours: 'oauth-client-credentials',
  msal: '@azure/msal-node',
  identity: '@azure/identity',
}

/**
 * @typedef {object} BenchClient
 * @property {string} lib
 * @property {string} clientId
 * @property {(scope: string) => Promise<unknown>} get a token for `scope`, from the cache when it can
 * @property {((scope: string) => Promise<unknown>) | undefined} force a token from the endpoint, bypassing the cache
 *   (undefined when the library has no such option: @azure/identity)
 * @property {() => string | undefined} [lastToken] the access token of the last `get` (for checks)
 */

/**
 * A client of `lib`.
 *
 * @param {string} lib `ours`, `msal` or `identity`
 * @param {{ clientId?: string, tenant?: string, credential?: 'secret' | 'certificate', clock?: { now(): number }, maxEntries?: number, dpop?: boolean }} [options]
 *   `dpop` (ours only): a generic client (`tokenEndpoint`) with DPoP-bound tokens
 * @returns {Promise<BenchClient>}
 */
export async function createClient(lib, options = {}) {
  const clientId = options.clientId ?? randomUUID()
  const tenant = options.tenant ?? TENANT
  const credential = options.credential ?? 'secret'
  const { authority, certFile } = settings()
  const cert = credential === 'certificate' ? readCertificate(certFile) : undefined
  if (lib === 'ours') {
    const { TokenClient } = await import(distUrl('index.js'))
    const where = options.dpop
      ? { tokenEndpoint: `${authority}/${tenant}/oauth2/v2.0/token`, dpop: true }
      : { authorityHost: authority, tenant }
    const client = new TokenClient({
      ...where,
      clientId,
      credential: cert
        ? { certificate: { privateKey: cert.privateKeyPem, certificate: cert.certificatePem } }
        : { clientSecret: SECRET },
      cache: { maxEntries: options.maxEntries ?? 200_000 },
      ...(options.clock ? { clock: options.clock } : {}),
    })
    return {
      lib,
      clientId,
      raw: client,
      get: (scope) => client.getToken(scope),
      force: (scope) => client.getToken(scope, { forceRefresh: true }),
    }
  }
  if (lib === 'msal') {
    const { ConfidentialClientApplication } = await import('@azure/msal-node')
    const app = new ConfidentialClientApplication({
      auth: {
        clientId,
        authority: `${authority}/${tenant}`,
        knownAuthorities: [new URL(authority).host],
        ...(cert
          ? {
              clientCertificate: {
                thumbprintSha256: cert.thumbprintSha256Hex,
                privateKey: cert.privateKeyPem,
              },
            }
          : { clientSecret: SECRET }),
      },
    })
    return {
      lib,
      clientId,
      raw: app,
      get: (scope) => app.acquireTokenByClientCredential({ scopes: [scope] }),
      force: (scope) => app.acquireTokenByClientCredential({ scopes: [scope], skipCache: true }),
    }
  }
  if (lib === 'identity') {
    const identity = await import('@azure/identity')
    const common = {
      authorityHost: authority,
      disableInstanceDiscovery: true,
      additionallyAllowedTenants: ['*'],
    }
    const credentialObject = cert
      ? new identity.ClientCertificateCredential(
          tenant,
          clientId,
          { certificate: cert.certificatePem + cert.privateKeyPem },
          common,
        )
      : new identity.ClientSecretCredential(tenant, clientId, SECRET, common)
    return {
      lib,
      clientId,
      raw: credentialObject,
      get: (scope) => credentialObject.getToken(scope),
      force: undefined,
    }
  }
  throw new Error(`unknown library '${lib}' (ours, msal, identity)`)
}

/**
 * The shared client certificate the orchestrator wrote (same key for every library).
 *
 * @param {string | undefined} file
 * @returns {{ certificatePem: string, privateKeyPem: string, thumbprintSha256Hex: string }}
 */
function readCertificate(file) {
  if (!file) throw new Error('BENCH_CERT is not set')
  return JSON.parse(readFileSync(file, 'utf8'))
}

/**
 * A file of the build measured: `dist/` of this checkout, or `BENCH_DIST` (another build, e.g. a
 * worktree with a change to compare: `node bench/run.mjs --dist ../other/dist`).
 *
 * @param {string} file
 * @returns {string}
 */
export function distUrl(file) {
  const dist = process.env.BENCH_DIST
  return dist ? pathToFileURL(join(dist, file)).href : new URL(`../../dist/${file}`, import.meta.url).href
}

/**
 * The version of an installed package (for the report).
 *
 * @param {string} name
 * @returns {string}
 */
export function packageVersion(name) {
  const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')).version
}
