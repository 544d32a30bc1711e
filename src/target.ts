/**
 * What one `getToken` call asks for, resolved once: the token endpoint, the form parameters that name
 * the API (`scope` or `resource`), and the cache key. Those for plain string resources are memoised
 * so that a cache hit builds nothing; a memoised request holds its cache slot, so that a hit makes one
 * hash lookup, this memo's (docs/design.md §5). What a request shares with the others of its tenant
 * (token endpoint, lower-cased tenant) is built once per tenant, and what only a token request needs
 * (form parameters, label) when it is sent: a cached token costs few bytes beside its own (issue 17).
 */
import { type EndpointVersion, tenantProblem, tokenEndpointUrl } from './authority.js'
import { Slot } from './cache/slots.js'
import type { CacheKey } from './cache.js'
import { ConfigurationError } from './errors.js'
import { genericRequest } from './generic-request.js'
import { parseTokenRequest, type TokenRequest } from './options.js'
import { redactInstances } from './redact.js'
import { resourceFor, scopeFor } from './scope.js'
import type { AccessToken } from './token.js'

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
  readonly #byTenant = new Map<string, TenantMemo>()
  /** The client's own tenant's shared part (Entra), built on first use. */
  #home: TenantPart | undefined
  readonly #limit: number
  readonly #capabilities: readonly string[]
  /** Requests memoised for every tenant together: at most `limit`, so that memory follows `cache.maxEntries`. */
  #memoised = 0

  constructor(authority: AuthorityConfig, limit: number, clientCapabilities: readonly string[] = []) {
    this.#authority = authority
    this.#limit = limit
    this.#capabilities = Object.freeze([...clientCapabilities])
  }

  /**
   * The memoised request for `what` in the client's own tenant, if `what` is a string resolved before:
   * one hash lookup, nothing checked or built (a string was checked when it was memoised).
   */
  memoised(what: unknown): ResolvedRequest | undefined {
    return typeof what === 'string' ? this.#memo.get(what) : undefined
  }

  /** The target for `what`, in the client's tenant or `tenant`. Throws {@link ConfigurationError}. */
  resolve(what: string | TokenRequest, tenant: string | undefined): ResolvedRequest {
    if (typeof what !== 'string') return this.#build(parseTokenRequest(what), tenant)
    const memo = tenant === undefined ? this.#memo : this.#tenantMemo(tenant).requests
    let target = memo.get(what)
    if (target === undefined) {
      target = this.#build(what, tenant)
      if (this.#memoised >= this.#limit) this.#forget()
      memo.set(what, target)
      this.#memoised++
    }
    return target
  }

  #tenantMemo(tenant: string): TenantMemo {
    let memo = this.#byTenant.get(tenant)
    if (memo === undefined) {
      checkTenant(this.#authority, tenant)
      if (this.#byTenant.size >= this.#limit) {
        for (const dropped of this.#byTenant.values()) this.#memoised -= dropped.requests.size
        this.#byTenant.clear()
      }
      memo = { requests: new Map(), part: undefined }
      this.#byTenant.set(tenant, memo)
    }
    return memo
  }

  /** Forgets every memoised target; the tenants' maps stay (emptied), their tenants already checked. */
  #forget(): void {
    this.#memo.clear()
    for (const memo of this.#byTenant.values()) memo.requests.clear()
    this.#memoised = 0
  }

  #build(what: string | TokenRequest, tenantOverride: string | undefined): ResolvedRequest {
    const authority = this.#authority
    if (authority.kind === 'generic') return genericRequest(authority.tokenEndpoint, what)
    if (authority.kind === 'managed-identity') {
      return withCapabilities(managedIdentityRequest(authority.endpoint, what), this.#capabilities)
    }
    const resource = entraResource(what)
    const value = authority.version === 'v2' ? scopeFor(resource) : resourceFor(resource)
    return new EntraRequest(this.#tenantPart(authority, tenantOverride), value)
  }

  /** The part every request in `tenant` (or the client's own) shares, built once per tenant. */
  #tenantPart(authority: EntraAuthority, tenant: string | undefined): TenantPart {
    if (tenant === undefined) {
      this.#home ??= tenantPart(authority, authority.tenant, this.#capabilities)
      return this.#home
    }
    const memo = this.#tenantMemo(tenant)
    memo.part ??= tenantPart(authority, tenant, this.#capabilities)
    return memo.part
  }
}

type EntraAuthority = Extract<AuthorityConfig, { kind: 'entra' }>

/** A tenant's memoised requests, and the part they share. */
interface TenantMemo {
  readonly requests: Map<string, ResolvedRequest>
  part: TenantPart | undefined
}

/** What every Entra request of one tenant shares. */
interface TenantPart {
  readonly tenant: string
  readonly tokenEndpoint: string
  /** `scope` (v2) or `resource` (v1). */
  readonly param: string
  /** The cache key up to the value: `{tenant, lower case}\0{param}\0`. */
  readonly keyPrefix: string
  /** The client capabilities sent, and the key's suffix naming them (empty without). */
  readonly capabilities: readonly string[]
  readonly keySuffix: string
}

function tenantPart(authority: EntraAuthority, tenant: string, capabilities: readonly string[]): TenantPart {
  const param = authority.version === 'v2' ? 'scope' : 'resource'
  return {
    tenant,
    tokenEndpoint: tokenEndpointUrl(authority.authorityHost, tenant, authority.version),
    param,
    keyPrefix: `${tenant.toLowerCase()}\u0000${param}\u0000`,
    capabilities,
    keySuffix: capabilitiesKeySuffix(capabilities),
  }
}

/** CAE-capable tokens are cached apart from the others (issue 15 item 6). */
function capabilitiesKeySuffix(capabilities: readonly string[]): string {
  return capabilities.length === 0 ? '' : `\u0000xms_cc=${capabilities.join(',')}`
}

/** A managed identity's request asking with `capabilities` (its key naming them). */
function withCapabilities(request: ResolvedRequest, capabilities: readonly string[]): ResolvedRequest {
  if (capabilities.length === 0) return request
  return {
    ...request,
    key: request.key + capabilitiesKeySuffix(capabilities),
    clientCapabilities: capabilities,
  }
}

/**
 * An Entra request: its key and scope (or v1 resource), and its tenant's shared part. It is also the
 * cache slot of its key (the cache keeps the token in it: docs/design.md §5), so that a hit reads the
 * one object the memo returns. Its form parameters and label are built when asked for (on a miss, for
 * a log line): a cached token keeps two strings of its own here, the key (one concatenation node over
 * the shared prefix) and the scope (the caller's own string when it already ends in `/.default`).
 */
class EntraRequest extends Slot<AccessToken> implements ResolvedRequest {
  readonly key: string
  readonly scope: string
  readonly #part: TenantPart

  constructor(part: TenantPart, value: string) {
    super()
    this.#part = part
    this.key = part.keySuffix === '' ? part.keyPrefix + value : part.keyPrefix + value + part.keySuffix
    this.scope = value
  }

  get clientCapabilities(): readonly string[] {
    return this.#part.capabilities
  }

  get tenant(): string {
    return this.#part.tenant
  }

  get tokenEndpoint(): string {
    return this.#part.tokenEndpoint
  }

  get label(): string {
    return `${this.#part.tenant} ${this.scope}`
  }

  get params(): ReadonlyArray<readonly [string, string]> {
    return [[this.#part.param, this.scope]]
  }
}
// what it prints and serialises as: the request, never the token it holds (nor its link to itself)
redactInstances(EntraRequest, (request) => ({
  scope: request.scope,
  tenant: request.tenant,
  tokenEndpoint: request.tokenEndpoint,
  cached: request.token !== undefined,
}))

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
    slot: undefined,
  }
}
