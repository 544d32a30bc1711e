/**
 * Folder `discovery/`: what a client reads before asking for a token. The GET routes (this file):
 * OpenID metadata, JWKS and instance discovery; the documents they send are built in
 * `documents.ts` (the keys come from `token/signing-keys.ts`).
 */
import { MESSAGES } from '../entra/aadsts.js'
import { type IssuerSettings, issuerFor, TENANT_PLACEHOLDER } from '../entra/clouds.js'
import { AadstsError } from '../entra/error-body.js'
import { resolveMetadataTenant } from '../entra/tenant-resolution.js'
import { type Outcome, refusalOutcome } from '../http/outcome.js'
import { jsonReply } from '../http/reply.js'
import type { RequestContext } from '../http/request-context.js'
import type { TenantRouteCall } from '../http/url-map.js'
import type { TenantRecord } from '../registry/records.js'
import type { RegistryStore } from '../registry/store.js'
import type { SigningKeyRing } from '../token/signing-keys.js'
import { instanceDiscovery, openIdConfiguration } from './documents.js'

/**
 * What the discovery routes read.
 *
 * @example
 * ```ts
 * answerMetadata(tenant, 'v2', context, { store, keys, issuer: { cloud: 'AzurePublic', mode: 'cloud', localUrl }, hosts })
 * ```
 */
export interface DiscoveryDeps {
  store: RegistryStore
  keys: SigningKeyRing
  issuer: IssuerSettings
  /** The authority's own `host:port` names. */
  hosts: readonly string[]
}

/**
 * Answers `/{tenant}/v2.0/.well-known/openid-configuration` (and the v1 form).
 *
 * @example
 * ```ts
 * answerMetadata({ tenant: 'contoso.onmicrosoft.com', version: 'v2' }, context, deps).reply.json.issuer
 * ```
 */
export function answerMetadata(
  route: TenantRouteCall,
  context: RequestContext,
  deps: DiscoveryDeps,
): Outcome {
  return tenantDocument(route, context, deps, (tenant) => {
    const segment = tenant === 'alias' ? route.tenant.toLowerCase() : tenant.id
    return openIdConfiguration(segment, route.version, { origin: context.origin, issuer: deps.issuer })
  })
}

/**
 * Answers `/{tenant}/discovery/v2.0/keys` (and the v1 form): every published signing key; v2 keys
 * name their issuer.
 *
 * @example
 * ```ts
 * answerJwks({ tenant: 'common', version: 'v1' }, context, deps).reply.json.keys.length // 1, or 2 after a roll
 * ```
 */
export function answerJwks(route: TenantRouteCall, context: RequestContext, deps: DiscoveryDeps): Outcome {
  return tenantDocument(route, context, deps, (tenant) => {
    const tenantId = tenant === 'alias' ? TENANT_PLACEHOLDER : tenant.id
    return deps.keys.jwks(route.version === 'v2' ? issuerFor(deps.issuer, tenantId, 2) : undefined)
  })
}

/** A JSON document for the route's tenant (an alias accepted), or the refusal of an unknown one. */
function tenantDocument(
  route: TenantRouteCall,
  context: RequestContext,
  deps: DiscoveryDeps,
  document: (tenant: TenantRecord | 'alias') => unknown,
): Outcome {
  return refusalsAsReplies(context, () => {
    const tenant = resolveMetadataTenant(deps.store, route.tenant)
    return jsonReply(200, document(tenant), context.traceId)
  })
}

/**
 * Answers `/common/discovery/instance?api-version=1.1&authorization_endpoint=…` for MSAL: the
 * aliases of the local authority, or `invalid_instance` for a host it does not serve.
 *
 * @example
 * ```ts
 * answerDiscovery(url.searchParams, context, deps).reply.json.tenant_discovery_endpoint
 * ```
 */
export function answerDiscovery(
  query: URLSearchParams,
  context: RequestContext,
  deps: DiscoveryDeps,
): Outcome {
  return refusalsAsReplies(context, () => {
    const endpoint = query.get('authorization_endpoint')
    if (!endpoint) throw new AadstsError(900144, MESSAGES.missingParameter('authorization_endpoint'))
    const document = instanceDiscovery(endpoint, deps.hosts)
    if (!document) throw new AadstsError(50049, MESSAGES.unknownInstance())
    return jsonReply(200, document, context.traceId)
  })
}

function refusalsAsReplies(context: RequestContext, answer: () => Outcome['reply']): Outcome {
  try {
    return { reply: answer(), issued: false }
  } catch (error) {
    return refusalOutcome(error, context)
  }
}
