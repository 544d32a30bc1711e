/**
 * What a `TokenClient` is wired to, by the identity its options name: an app registration (a credential
 * and an authority, the form POST of `token-request.ts`) or a managed identity (the platform's endpoint,
 * `managed-identity-request.ts`). The cache, targets and attach helpers in front are the same for both.
 */
import { CLOUD_HOSTS, normalizeAuthorityHost } from './authority.js'
import { createCredential } from './credentials/create.js'
import { identityParameter, parseManagedIdentity } from './managed-identity/identity.js'
import { createManagedIdentityTokenSource } from './managed-identity/token-source.js'
import { createManagedIdentityRequest } from './managed-identity-request.js'
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
  /** Names the client in a shared store's keys. */
  readonly storeKeyPrefix: string
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
    logger: o.logger,
    clock: o.clock,
    cloud: o.cloud,
    managedIdentity: { imdsBaseUrl: o.imdsBaseUrl, environment: o.environment, http: o.http },
  })
  const request = createTokenRequest({
    clientId,
    authority,
    credential,
    clock: o.clock,
    logger: o.logger,
    http: o.http,
    refreshWindowMs: o.refresh.windowMs,
  })
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
    authority,
    request,
    description: { clientId, credential: credential.kind, ...where },
    storeKeyPrefix: `${authority.kind === 'entra' ? authority.authorityHost : authority.tokenEndpoint}\u0000${clientId}`,
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

function authorityOf(o: ValidTokenClientOptions): Exclude<AuthorityConfig, { kind: 'managed-identity' }> {
  if (o.tokenEndpoint !== undefined) return { kind: 'generic', tokenEndpoint: o.tokenEndpoint }
  const host = o.authorityHost ?? CLOUD_HOSTS[o.cloud ?? 'AzurePublic']
  return {
    kind: 'entra',
    authorityHost: normalizeAuthorityHost(host),
    tenant: o.tenant as string,
    version: o.endpointVersion ?? 'v2',
  }
}
