/**
 * `startLocalAuthority()`: registry, keys, optional TLS certificate, listener, and the handle
 * tests drive.
 */

import { type LocalConsole, startConsole } from './console/console.js'
import type { ConsoleSources } from './console/state.js'
import { cloudProfile } from './entra/clouds.js'
import { FaultQueue } from './faults/queue.js'
import { type Listener, LOOPBACK, listen } from './http/listener.js'
import { type HandlerDeps, handleRequest } from './http/request-handler.js'
import { RequestLog } from './http/request-log.js'
import { TENANT_ROUTE_PATHS, type TenantRoute } from './http/url-map.js'
import type { LocalAuthority } from './local-authority.js'
import { type LocalAuthorityOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { ApiDirectory } from './registry/apis.js'
import { ClientDirectory } from './registry/clients.js'
import { exampleRegistry } from './registry/example.js'
import { type Directories, loadRegistry, readRegistryFile } from './registry/load.js'
import { RegistryStore } from './registry/store.js'
import { TenantDirectory } from './registry/tenants.js'
import { DpopProofChecker } from './token/dpop-proof.js'
import { FederationVerifier } from './token/federated-assertion.js'
import { SigningKeyRing } from './token/signing-keys.js'
import { generateCertificate } from './x509/certificate.js'

/**
 * Starts a local Entra ID token authority on 127.0.0.1.
 *
 * @example
 * ```ts
 * const authority = await startLocalAuthority() // the example registry, plain http, any free port
 * const res = await fetch(authority.tokenEndpoint(EXAMPLE.tenantId), {
 *   method: 'POST',
 *   body: new URLSearchParams({ grant_type: 'client_credentials', client_id: EXAMPLE.clients.admin.appId,
 *     client_secret: EXAMPLE.clients.admin.secret, scope: 'api://myapis/mywebapi/.default' }),
 * })
 * await authority.close()
 * ```
 */
export async function startLocalAuthority(options: LocalAuthorityOptions = {}): Promise<LocalAuthority> {
  const resolved = resolveOptions(options)
  const directories = await loadDirectories(resolved)
  const [keys, tls] = await Promise.all([
    SigningKeyRing.create(),
    resolved.https ? tlsCertificate() : undefined,
  ])
  let deps: HandlerDeps | undefined
  let localConsole: LocalConsole | undefined
  const listener = await listen(
    (req, res) => {
      // handleRequest never rejects; the catch is the guarantee that no request ends the process.
      if (!deps) res.destroy()
      else if (localConsole?.handles(req)) localConsole.handle(req, res)
      else handleRequest(req, res, deps).catch(() => req.socket.destroy())
    },
    { port: resolved.port, ...(tls ? { tls: { key: tls.privateKeyPem, cert: tls.certificatePem } } : {}) },
  )
  const url = `${resolved.https ? 'https' : 'http'}://${LOOPBACK}:${listener.port}`
  const log = new RequestLog()
  const faults = new FaultQueue()
  deps = handlerDeps(resolved, {
    directories,
    keys,
    log,
    faults,
    url,
    port: listener.port,
    signal: listener.signal,
  })
  localConsole = resolved.console
    ? openConsole(deps, { url, store: directories.store, log, faults })
    : undefined
  return authorityHandle({
    url,
    port: listener.port,
    caPem: tls?.certificatePem,
    consoleUrl: localConsole ? `${url}/` : undefined,
    directories,
    keys,
    log,
    faults,
    close: () => closeAll(localConsole, listener),
  })
}

function openConsole(deps: HandlerDeps, sources: Omit<ConsoleSources, 'now'>): LocalConsole {
  const { scheme, hosts, now } = deps.context
  return startConsole({ ...sources, now }, { scheme, hosts })
}

async function closeAll(localConsole: LocalConsole | undefined, listener: Listener): Promise<void> {
  localConsole?.close()
  await listener.close()
}

async function loadDirectories(options: ResolvedOptions): Promise<Directories> {
  const directories = createDirectories()
  const document = options.registryFile
    ? await readRegistryFile(options.registryFile)
    : (options.registry ?? exampleRegistry())
  loadRegistry(directories, document)
  return directories
}

function createDirectories(): Directories {
  const store = new RegistryStore()
  return {
    store,
    tenants: new TenantDirectory(store),
    apis: new ApiDirectory(store),
    clients: new ClientDirectory(store),
  }
}

function tlsCertificate() {
  return generateCertificate({
    commonName: 'localhost',
    organization: 'oauth-client-credentials local authority (test only)',
    dnsNames: ['localhost'],
    ipAddresses: [LOOPBACK],
  })
}

interface Parts {
  directories: Directories
  keys: SigningKeyRing
  log: RequestLog
  faults: FaultQueue
  url: string
}

function handlerDeps(
  options: ResolvedOptions,
  parts: Parts & { port: number; signal: AbortSignal },
): HandlerDeps {
  const hosts = [`${LOOPBACK}:${parts.port}`, `localhost:${parts.port}`]
  const issuer = { cloud: options.cloud, mode: options.issuer, localUrl: parts.url }
  const store = parts.directories.store
  return {
    context: {
      scheme: options.https ? 'https' : 'http',
      hosts,
      now: clockOf(options),
      separator: options.descriptionSeparator,
      errorHost: cloudProfile(options.cloud).host,
    },
    token: {
      store,
      keys: parts.keys,
      federation: new FederationVerifier(),
      dpop: new DpopProofChecker(),
      issuer,
      skewSeconds: options.assertionSkewSeconds,
    },
    discovery: {
      store,
      keys: parts.keys,
      issuer,
      hosts,
    },
    faults: parts.faults,
    log: parts.log,
    signal: parts.signal,
  }
}

function authorityHandle(
  parts: Parts & {
    port: number
    caPem: string | undefined
    consoleUrl: string | undefined
    close: () => Promise<void>
  },
): LocalAuthority {
  const { url, directories, log } = parts
  const tenantUrl =
    (route: TenantRoute) =>
    (tenant: string, version: 'v1' | 'v2' = 'v2') =>
      `${url}/${tenant}/${TENANT_ROUTE_PATHS[route][version]}`
  return {
    url,
    port: parts.port,
    caPem: parts.caPem,
    consoleUrl: parts.consoleUrl,
    tenants: directories.tenants,
    apis: directories.apis,
    clients: directories.clients,
    requests: log,
    get counters() {
      return log.counters
    },
    faults: parts.faults,
    signingKeys: parts.keys,
    tokenEndpoint: tenantUrl('token'),
    authorityUrl: (tenant) => `${url}/${tenant}`,
    metadataUrl: tenantUrl('metadata'),
    jwksUrl: tenantUrl('jwks'),
    close: parts.close,
    [Symbol.asyncDispose]: parts.close,
  }
}

/** The emulator's time source: the `clock` option, else the deprecated `now`, else the system clock. */
function clockOf({ clock, now }: ResolvedOptions): () => number {
  return clock === undefined ? (now ?? Date.now) : () => clock.now()
}
