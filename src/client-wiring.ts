/**
 * What a `TokenClient` is wired to, by the identity its options name: an app registration (a credential
 * and an authority, the form POST of `token-request.ts`) or a managed identity (the platform's endpoint,
 * `managed-identity-request.ts`). The cache, targets and attach helpers in front are the same for both.
 */
import { CLOUD_HOSTS, normalizeAuthorityHost } from './authority.js'
import { createCredential } from './credentials/create.js'
import type { TlsClientAuthCredential } from './credentials/tls-client-auth.js'
import { type DpopSession, dpopSession } from './dpop/session.js'
import { identityParameter, parseManagedIdentity } from './managed-identity/identity.js'
import { createManagedIdentityTokenSource } from './managed-identity/token-source.js'
import { createManagedIdentityRequest } from './managed-identity-request.js'
import { CertificateConnections } from './mtls/connections.js'
import { mtlsAuthorityHost } from './mtls/endpoints.js'
import { usesMtls } from './option-mtls.js'
import type { ValidTokenClientOptions } from './options.js'
import type { AuthorityConfig } from './target.js'
import { createTokenRequest, type RequestToken } from './token-request.js'

/**
 * The parts of a client that depend on its identity.
 *
 * @example
 * ```ts
 * const { authority, request } = wireClient(parseTokenClientOptions(options))
 * ```
 */
export interface ClientWiring {
  /** The application (client) id; for a managed identity, its client id when given, else `''`. */
  readonly clientId: string
  readonly authority: AuthorityConfig
  /** Gets one token for a target: what the cache calls on a miss or a refresh. */
  readonly request: RequestToken
  /** What `describe()` says of the identity (never a secret). */
  readonly description: Readonly<Record<string, unknown>>
  /** Names the client in a shared store's keys (with DPoP, its key's thumbprint too). */
  readonly storeKeyPrefix: string
  /** The DPoP key and nonces, when tokens are DPoP-bound. */
  readonly dpop?: DpopSession | undefined
  /** Mutual TLS: the connections presenting the client certificate (token requests and bound tokens). */
  readonly connections?: CertificateConnections | undefined
}

/**
 * Wires a client for validated options.
 *
 * @example
 * ```ts
 * wireClient(parseTokenClientOptions({ managedIdentity: {} })).description // { credential: 'managed-identity', … }
 * ```
 */
export function wireClient(o: ValidTokenClientOptions): ClientWiring {
  return o.managedIdentity !== undefined ? wireManagedIdentity(o) : wireApp(o)
}

function wireApp(o: ValidTokenClientOptions): ClientWiring {
  const clientId = o.clientId as string
  const authority = authorityOf(o)
  const credential = createCredential(o.credential as NonNullable<typeof o.credential>, {
    authMethod: o.authMethod,
    mtlsProofOfPossession: o.mtlsProofOfPossession,
    logger: o.logger,
    clock: o.clock,
    cloud: o.cloud,
    managedIdentity: { imdsBaseUrl: o.imdsBaseUrl, environment: o.environment, http: o.http },
  })
  const dpop = dpopSession(o.dpop, o.clock)
  // the certificate credential presents itself over mutual TLS (docs/entra.md §12)
  const connections = usesMtls(o)
    ? new CertificateConnections(credential as TlsClientAuthCredential, { ca: o.mtls?.ca })
    : undefined
  const request = createTokenRequest({
    clientId,
    authority,
    credential,
    clock: o.clock,
    logger: o.logger,
    http: o.http,
    refreshWindowMs: o.refresh.windowMs,
    dpop,
    mtls: connections && { connections, pop: o.mtlsProofOfPossession === true },
  })
  return {
    clientId,
    authority,
    request,
    description: {
      ...describeApp(clientId, credential, authority, o.mtlsProofOfPossession === true, connections),
      ...dpopDescription(dpop),
    },
    // a DPoP token is worth something only with its key: entries are keyed by the key's thumbprint, so
    // a process never reads a token bound to a key it does not hold (docs/sender-constrained.md §6)
    storeKeyPrefix: `${authority.kind === 'entra' ? authority.authorityHost : authority.tokenEndpoint}\u0000${clientId}${dpop ? `\u0000dpop:${dpop.key.thumbprint}` : ''}`,
    dpop,
    connections,
  }
}

/** What `describe()` says of an app: never a secret. */
function describeApp(
  clientId: string,
  credential: { readonly kind: string },
  authority: Exclude<AuthorityConfig, { kind: 'managed-identity' }>,
  pop: boolean,
  connections: CertificateConnections | undefined,
): Record<string, unknown> {
  const where =
    authority.kind === 'entra'
      ? {
          authorityHost: authority.authorityHost,
          tenant: authority.tenant,
          endpointVersion: authority.version,
        }
      : { tokenEndpoint: authority.tokenEndpoint }
  return {
    clientId,
    credential: credential.kind,
    ...where,
    ...(connections ? { authMethod: (credential as TlsClientAuthCredential).authMethod } : {}),
    ...(pop ? { tokenType: 'mtls_pop' } : {}),
  }
}

function wireManagedIdentity(o: ValidTokenClientOptions): ClientWiring {
  const selector = parseManagedIdentity(o.managedIdentity)
  const tokens = createManagedIdentityTokenSource({
    identity: o.managedIdentity,
    imdsBaseUrl: o.imdsBaseUrl,
    environment: o.environment,
    dispatcher: o.http.dispatcher,
    clock: o.clock,
    timeoutMs: o.http.timeoutMs,
    maxResponseBytes: o.http.maxResponseBytes,
  })
  const { source } = tokens
  identityParameter(selector, source.kind) // a source that cannot select this identity says so now
  const identity = selector.kind === 'system' ? 'system-assigned' : `${selector.kind} ${selector.id}`
  return {
    clientId: selector.kind === 'clientId' ? selector.id : '',
    authority: { kind: 'managed-identity', endpoint: source.endpoint },
    request: createManagedIdentityRequest({ tokens, refreshWindowMs: o.refresh.windowMs }),
    description: {
      credential: 'managed-identity',
      managedIdentity: { source: source.kind, endpoint: source.endpoint, identity },
    },
    storeKeyPrefix: `managed-identity\u0000${source.kind}\u0000${identity}`,
  }
}

function dpopDescription(dpop: DpopSession | undefined): Record<string, unknown> {
  return dpop ? { dpop: { algorithm: dpop.key.algorithm, thumbprint: dpop.key.thumbprint } } : {}
}

function authorityOf(o: ValidTokenClientOptions): Exclude<AuthorityConfig, { kind: 'managed-identity' }> {
  if (o.tokenEndpoint !== undefined) return { kind: 'generic', tokenEndpoint: o.tokenEndpoint }
  const host = normalizeAuthorityHost(o.authorityHost ?? CLOUD_HOSTS[o.cloud ?? 'AzurePublic'])
  return {
    kind: 'entra',
    // over mutual TLS, token requests go to the tenant's mtlsauth endpoint (docs/entra.md §12)
    authorityHost: usesMtls(o)
      ? mtlsAuthorityHost(host, { host: o.mtls?.host, region: o.mtls?.region })
      : host,
    tenant: o.tenant as string,
    version: o.endpointVersion ?? 'v2',
  }
}
