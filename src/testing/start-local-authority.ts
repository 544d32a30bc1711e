/**
 * `startLocalAuthority()`: registry, keys, optional TLS certificate, listener, and the handle
 * tests drive.
 */

import { randomBytes } from 'node:crypto'
import { type LocalConsole, startConsole } from './console/console.js'
import type { ConsoleSources } from './console/state.js'
import { cloudProfile } from './entra/clouds.js'
import { FaultQueue } from './faults/queue.js'
import { type Listener, LOOPBACK, listen } from './http/listener.js'
import { type HandlerDeps, handleRequest } from './http/request-handler.js'
import { RequestLog } from './http/request-log.js'
import { TENANT_ROUTE_PATHS, type TenantRoute } from './http/url-map.js'
import type { LocalAuthority } from './local-authority.js'
import { ArcKeys } from './managed-identity/arc-keys.js'
import { managedIdentityEmulator } from './managed-identity/environment.js'
import { type LocalAuthorityOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { ApiDirectory } from './registry/apis.js'
import { ClientDirectory } from './registry/clients.js'
import { exampleRegistry } from './registry/example.js'
import { type Directories, loadRegistry, readRegistryFile } from './registry/load.js'
import { ManagedIdentityDirectory } from './registry/managed-identities.js'
import { RegistryStore } from './registry/store.js'
import { TenantDirectory } from './registry/tenants.js'
import { registerWellKnownResources } from './registry/well-known.js'
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
  const [keys, tls, arcKeys] = await Promise.all([
    SigningKeyRing.create(),
    resolved.https ? tlsCertificate() : undefined,
    ArcKeys.create(),
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
  const identityHeader = randomBytes(24).toString('hex')
  deps = handlerDeps(resolved, {
    directories,
    keys,
    log,
    faults,
    url,
    port: listener.port,
    signal: listener.signal,
    arcKeys,
    identityHeader,
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
    arcKeys,
    identityHeader,
    close: () => closeAll(localConsole, listener, arcKeys),
  })
}

function openConsole(deps: HandlerDeps, sources: Omit<ConsoleSources, 'now'>): LocalConsole {
  const { scheme, hosts, now } = deps.context
  return startConsole({ ...sources, now }, { scheme, hosts })
}

async function closeAll(
  localConsole: LocalConsole | undefined,
  listener: Listener,
  arcKeys: ArcKeys,
): Promise<void> {
  localConsole?.close()
  await listener.close()
  await arcKeys.close()
}

async function loadDirectories(options: ResolvedOptions): Promise<Directories> {
  const directories = createDirectories()
  const document = options.registryFile
    ? await readRegistryFile(options.registryFile)
    : (options.registry ?? exampleRegistry())
  loadRegistry(directories, document)
  if (options.wellKnownResources) registerWellKnownResources(directories.store, directories.apis)
  return directories
}

function createDirectories(): Directories {
  const store = new RegistryStore()
  return {
    store,
    tenants: new TenantDirectory(store),
    apis: new ApiDirectory(store),
    clients: new ClientDirectory(store),
    managedIdentities: new ManagedIdentityDirectory(store),
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
  arcKeys: ArcKeys
  identityHeader: string
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
      federation: new FederationVerifier({ store, keys: parts.keys, issuer }),
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
    managedIdentity: {
      store,
      keys: parts.keys,
      issuer,
      arcKeys: parts.arcKeys,
      identityHeader: parts.identityHeader,
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
    managedIdentities: directories.managedIdentities,
    managedIdentity: managedIdentityEmulator(url, parts.identityHeader, parts.arcKeys.directory, parts.caPem),
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
