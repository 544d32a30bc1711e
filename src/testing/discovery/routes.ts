/**
 * The GET routes: OpenID metadata, JWKS and instance discovery.
 */
import { MESSAGES } from '../entra/aadsts.js'
import { type CloudName, type IssuerMode, issuerFor } from '../entra/clouds.js'
import { AadstsError } from '../entra/error-body.js'
import { resolveMetadataTenant } from '../entra/tenant-resolution.js'
import type { Outcome } from '../faults/effects.js'
import { errorReply, jsonReply } from '../http/reply.js'
import type { RequestContext } from '../http/request-context.js'
import type { RegistryStore } from '../registry/store.js'
import type { SigningKeyRing } from '../token/signing-keys.js'
import { instanceDiscovery, openIdConfiguration } from './documents.js'

/**
 * What the discovery routes read.
 *
 * @example
 * ```ts
 * answerMetadata(tenant, 'v2', context, { store, keys, cloud: 'AzurePublic', issuerMode: 'cloud', localUrl, hosts })
 * ```
 */
export interface DiscoveryDeps {
  store: RegistryStore
  keys: SigningKeyRing
  cloud: CloudName
  issuerMode: IssuerMode
  localUrl: string
  /** The authority's own `host:port` names. */
  hosts: readonly string[]
}

/**
 * Answers `/{tenant}/v2.0/.well-known/openid-configuration` (and the v1 form).
 *
 * @example
 * ```ts
 * answerMetadata('contoso.onmicrosoft.com', 'v2', context, deps).reply.json.issuer
 * ```
 */
export function answerMetadata(
  tenantSegment: string,
  version: 'v1' | 'v2',
  context: RequestContext,
  deps: DiscoveryDeps,
): Outcome {
  return refusalsAsReplies(context, () => {
    const tenant = resolveMetadataTenant(deps.store, tenantSegment)
    const segment = tenant === 'alias' ? tenantSegment.toLowerCase() : tenant.id
    const settings = {
      origin: context.origin,
      cloud: deps.cloud,
      issuerMode: deps.issuerMode,
      localUrl: deps.localUrl,
    }
    return jsonReply(200, openIdConfiguration(segment, version, settings), context.traceId)
  })
}

/**
 * Answers `/{tenant}/discovery/v2.0/keys` (and the v1 form): every published signing key; v2 keys
 * name their issuer.
 *
 * @example
 * ```ts
 * answerJwks('common', 'v1', context, deps).reply.json.keys.length // 1, or 2 after a roll
 * ```
 */
export function answerJwks(
  tenantSegment: string,
  version: 'v1' | 'v2',
  context: RequestContext,
  deps: DiscoveryDeps,
): Outcome {
  return refusalsAsReplies(context, () => {
    const tenant = resolveMetadataTenant(deps.store, tenantSegment)
    const tenantId = tenant === 'alias' ? '{tenantid}' : tenant.id
    const settings = { cloud: deps.cloud, mode: deps.issuerMode, localUrl: deps.localUrl }
    const issuer = version === 'v2' ? issuerFor(settings, tenantId, 2) : undefined
    return jsonReply(200, deps.keys.jwks(issuer), context.traceId)
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
    if (!(error instanceof AadstsError)) throw error
    return { reply: errorReply(error, context), issued: false, errorCodes: [error.code] }
  }
}
