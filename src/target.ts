/**
 * What one `getToken` call asks for, resolved once: the token endpoint, the form parameters that name
 * the API (`scope` or `resource`), and the cache key. Those for plain string resources are memoised
 * so that a cache hit builds nothing.
 */
import { type EndpointVersion, tenantProblem, tokenEndpointUrl } from './authority.js'
import type { CacheKey } from './cache.js'
import { ConfigurationError } from './errors.js'
import { parseTokenRequest, type TokenRequest } from './options.js'
import { resourceFor, scopeFor } from './scope.js'

/** A resolved request for a token. */
export interface ResolvedRequest extends CacheKey {
  readonly tokenEndpoint: string
  /** Form parameters naming what is asked for (`scope`, `resource`). */
  readonly params: ReadonlyArray<readonly [string, string]>
  /** The scope (or v1 resource) reported on the token. */
  readonly scope: string
  readonly tenant: string | undefined
  /** Client capabilities to send (`cp1`), part of the key: CAE-capable tokens are cached apart. */
  readonly clientCapabilities: readonly string[]
}

/** Where tokens come from: Entra (per tenant) or one generic token endpoint. */
export type AuthorityConfig =
  | { kind: 'entra'; authorityHost: string; tenant: string; version: EndpointVersion }
  | { kind: 'generic'; tokenEndpoint: string }
  | { kind: 'managed-identity'; endpoint: string }

/**
 * Resolves and memoises token requests for one client.
 *
 * @example
 * ```ts
 * const requests = new RequestResolver({ kind: 'entra', authorityHost, tenant, version: 'v2' }, 10_000)
 * requests.resolve('api://myapis/mywebapi', undefined).params // [['scope', 'api://myapis/mywebapi/.default']]
 * ```
 */
export class RequestResolver {
  readonly #authority: AuthorityConfig
  readonly #memo = new Map<string, ResolvedRequest>()
  readonly #byTenant = new Map<string, Map<string, ResolvedRequest>>()
  readonly #limit: number
  readonly #capabilities: readonly string[]
  /** Requests memoised for every tenant together: at most `limit`, so that memory follows `cache.maxEntries`. */
  #memoised = 0

  constructor(authority: AuthorityConfig, limit: number, clientCapabilities: readonly string[] = []) {
    this.#authority = authority
    this.#limit = limit
    this.#capabilities = Object.freeze([...clientCapabilities])
  }

  /** The target for `what`, in the client's tenant or `tenant`. Throws {@link ConfigurationError}. */
  resolve(what: string | TokenRequest, tenant: string | undefined): ResolvedRequest {
    if (typeof what !== 'string') return this.#build(parseTokenRequest(what), tenant)
    const memo = tenant === undefined ? this.#memo : this.#tenantMemo(tenant)
    let target = memo.get(what)
    if (target === undefined) {
      target = this.#build(what, tenant)
      if (this.#memoised >= this.#limit) this.#forget()
      memo.set(what, target)
      this.#memoised++
    }
    return target
  }

  #tenantMemo(tenant: string): Map<string, ResolvedRequest> {
    let memo = this.#byTenant.get(tenant)
    if (memo === undefined) {
      checkTenant(this.#authority, tenant)
      if (this.#byTenant.size >= this.#limit) {
        for (const dropped of this.#byTenant.values()) this.#memoised -= dropped.size
        this.#byTenant.clear()
      }
      memo = new Map()
      this.#byTenant.set(tenant, memo)
    }
    return memo
  }

  /** Forgets every memoised target; the tenants' maps stay (emptied), their tenants already checked. */
  #forget(): void {
    this.#memo.clear()
    for (const memo of this.#byTenant.values()) memo.clear()
    this.#memoised = 0
  }

  #build(what: string | TokenRequest, tenantOverride: string | undefined): ResolvedRequest {
    const target = this.#buildTarget(what, tenantOverride)
    const capabilities = this.#capabilities
    if (capabilities.length === 0) return target
    return {
      ...target,
      key: `${target.key}\u0000xms_cc=${capabilities.join(',')}`,
      clientCapabilities: capabilities,
    }
  }

  #buildTarget(what: string | TokenRequest, tenantOverride: string | undefined): ResolvedRequest {
    const authority = this.#authority
    if (authority.kind === 'generic') return genericRequest(authority.tokenEndpoint, what)
    if (authority.kind === 'managed-identity') return managedIdentityRequest(authority.endpoint, what)
    const tenant = tenantOverride ?? authority.tenant
    const resource = entraResource(what)
    const tokenEndpoint = tokenEndpointUrl(authority.authorityHost, tenant, authority.version)
    const [param, value] =
      authority.version === 'v2'
        ? (['scope', scopeFor(resource)] as const)
        : (['resource', resourceFor(resource)] as const)
    return {
      key: `${tenant.toLowerCase()}\u0000${param}\u0000${value}`,
      label: `${tenant} ${value}`,
      tokenEndpoint,
      params: [[param, value]],
      scope: value,
      tenant,
      clientCapabilities: [],
    }
  }
}

function checkTenant(authority: AuthorityConfig, tenant: string): void {
  if (authority.kind === 'generic') {
    throw new ConfigurationError(
      'tenant',
      'a per-call tenant needs an Entra client (tenant option), not tokenEndpoint',
    )
  }
  if (authority.kind === 'managed-identity') {
    throw new ConfigurationError(
      'tenant',
      'a managed identity gets tokens in its own tenant only: remove tenant (for another tenant, use an app with credential: { managedIdentity })',
    )
  }
  const problem = tenantProblem(tenant)
  if (problem) throw new ConfigurationError('tenant', problem)
}

/** The one resource an Entra request names (a string, or a request with one scope or resource). */
function entraResource(what: string | TokenRequest): string {
  if (typeof what === 'string') return what
  if (what.scope !== undefined && what.resource !== undefined) {
    throw new ConfigurationError('scope', 'give scope or resource for Entra, not both: both name the API')
  }
  const value = what.scope ?? what.resource
  const list = typeof value === 'string' ? [value] : (value ?? [])
  if (list.length !== 1 || list[0] === undefined) {
    throw new ConfigurationError(
      what.scope !== undefined ? 'scope' : 'resource',
      'Entra client credentials take exactly one resource: one {resource}/.default scope per token (several give AADSTS700022)',
    )
  }
  return list[0]
}

/** A managed identity's request: the resource, its `/.default` suffix dropped (MI endpoints take a resource). */
function managedIdentityRequest(endpoint: string, what: string | TokenRequest): ResolvedRequest {
  const resource = resourceFor(entraResource(what))
  return {
    key: `mi\u0000${resource}`,
    label: resource,
    tokenEndpoint: endpoint,
    params: [['resource', resource]],
    scope: resource,
    tenant: undefined,
    clientCapabilities: [],
  }
}

function genericRequest(tokenEndpoint: string, what: string | TokenRequest): ResolvedRequest {
  const request: TokenRequest = typeof what === 'string' ? { scope: what } : what
  const scopes =
    request.scope === undefined ? [] : typeof request.scope === 'string' ? [request.scope] : request.scope
  const resources =
    request.resource === undefined
      ? []
      : typeof request.resource === 'string'
        ? [request.resource]
        : request.resource
  for (const resource of resources) checkResourceIndicator(resource)
  const params: Array<readonly [string, string]> = []
  const scope = scopes.join(' ')
  if (scope) params.push(['scope', scope])
  for (const resource of resources) params.push(['resource', resource])
  const canonical = params.map(([k, v]) => `${k}=${v}`).join('\u0000')
  return {
    key: canonical,
    label: canonical.replaceAll('\u0000', ' '),
    tokenEndpoint,
    params,
    scope,
    tenant: undefined,
    clientCapabilities: [],
  }
}

/** RFC 8707 §2: a resource is an absolute URI without a fragment. */
function checkResourceIndicator(resource: string): void {
  let url: URL | undefined
  try {
    url = new URL(resource)
  } catch {
    url = undefined
  }
  if (url === undefined || url.hash !== '' || resource.includes('#')) {
    throw new ConfigurationError(
      'resource',
      `'${resource}' must be an absolute URI without a fragment (RFC 8707)`,
    )
  }
}
