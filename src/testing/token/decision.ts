/**
 * The token endpoint's decision (docs/entra.md §2-7): tenant, grant type, client, scope or resource,
 * credential, resource look-up, roles; then a minted token and the version's success body.
 */
import { createHash } from 'node:crypto'
import { MESSAGES } from '../entra/aadsts.js'
import type { IssuerSettings } from '../entra/clouds.js'
import { AadstsError } from '../entra/error-body.js'
import { resolveTenant } from '../entra/tenant-resolution.js'
import { TENANT_ROUTE_PATHS } from '../http/url-map.js'
import { rolesClaim } from '../registry/grants.js'
import type { ClientRecord, TenantRecord } from '../registry/records.js'
import type { RegistryStore } from '../registry/store.js'
import { mintAccessToken } from './access-token.js'
import { authenticateClient } from './client-authentication.js'
import { type DpopProofChecker, DpopRefusal } from './dpop-proof.js'
import type { FederationVerifier } from './federated-assertion.js'
import { claimedClientId, type TokenForm } from './form.js'
import { findResource, resourceFromParameter, resourceFromScope } from './resource.js'
import { type V1TokenBody, type V2TokenBody, v1TokenBody, v2TokenBody } from './response-body.js'
import type { SigningKeyRing } from './signing-keys.js'

/**
 * What the token endpoint works with.
 *
 * @example
 * ```ts
 * await issueToken(call, { store, keys, federation, issuer, skewSeconds: 300 })
 * ```
 */
export interface TokenEndpointDeps {
  store: RegistryStore
  keys: SigningKeyRing
  federation: FederationVerifier
  /** DPoP proofs (RFC 9449): the nonce and the proofs seen. */
  dpop: DpopProofChecker
  issuer: IssuerSettings
  skewSeconds: number
}

/**
 * One call of the token endpoint.
 *
 * @example
 * ```ts
 * await issueToken({ tenantSegment: 'contoso.onmicrosoft.com', version: 'v2', form, origin, now: Date.now() }, deps)
 * ```
 */
export interface TokenCall {
  tenantSegment: string
  version: 'v1' | 'v2'
  form: TokenForm
  /** Scheme and host the client called, e.g. `https://127.0.0.1:53121`. */
  origin: string
  now: number
  /** The DER of the client certificate presented in the TLS handshake, if any (mutual TLS). */
  peerCertificate?: Buffer | undefined
}

/**
 * A granted token: the body to send and the decoded header and claims (for the request log).
 *
 * @example
 * ```ts
 * const { body, header, claims } = await issueToken(call, deps)
 * ```
 */
export interface TokenGrant {
  body: V1TokenBody | V2TokenBody
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** The DPoP nonce to hand out (`DPoP-Nonce`), for a client that must send one. */
  dpopNonce?: string | undefined
}

/**
 * Decides a token request; throws {@link AadstsError} for every refusal.
 *
 * @example
 * ```ts
 * const { body } = await issueToken({ tenantSegment: 'contoso.onmicrosoft.com', version: 'v2', form, origin, now }, deps)
 * ```
 */
export async function issueToken(call: TokenCall, deps: TokenEndpointDeps): Promise<TokenGrant> {
  const tenant = resolveTenant(deps.store, call.tenantSegment)
  checkGrantType(call.form.fields.get('grant_type'))
  const client = findClient(deps.store, tenant, claimedClientId(call.form))
  const fields = call.form.fields
  const resource =
    call.version === 'v2'
      ? resourceFromScope(fields.get('scope'))
      : resourceFromParameter(fields.get('resource'))
  const credential = {
    secret: call.form.basic?.secret ?? fields.get('client_secret'),
    assertion: fields.get('client_assertion'),
    assertionType: fields.get('client_assertion_type'),
    peerCertificate: call.peerCertificate,
  }
  const popBinding = certificateBinding(fields.get('token_type'), credential)
  const binding = popBinding ?? tlsClientAuthBinding(credential)
  const audiences = endpointAudiences(call, tenant)
  const check = { client, audiences, now: call.now, skewSeconds: deps.skewSeconds }
  const authMethod = await authenticateClient(credential, check, deps.federation)
  const jkt = await dpopBinding(call, client, deps)
  const api = findResource(deps.store, tenant, client, resource)
  const token = await mintAccessToken({
    tenant,
    api,
    requestedResource: resource,
    clientId: client.appId,
    servicePrincipalId: client.servicePrincipalIds[tenant.id] ?? client.appId,
    authMethod,
    certificateBinding: binding,
    roles: rolesClaim(deps.store, client.appId, api, tenant.id),
    now: call.now,
    key: deps.keys.current,
    issuer: deps.issuer,
    jkt,
  })
  const body =
    call.version === 'v2'
      ? v2TokenBody(token, api.refreshInSeconds, popBinding === undefined ? 'Bearer' : 'mtls_pop')
      : v1TokenBody(token, api.refreshInSeconds, resource)
  if (jkt !== undefined) body.token_type = 'DPoP'
  const dpopNonce = client.dpop?.nonce ? deps.dpop.nonce : undefined
  return { body, header: token.header, claims: token.claims, dpopNonce }
}

/**
 * The DPoP key the token is bound to: a valid proof binds it (as Keycloak and oidc-provider do); a
 * client registered as requiring DPoP must send one (RFC 9449 §5, §8).
 */
async function dpopBinding(call: TokenCall, client: ClientRecord, deps: TokenEndpointDeps) {
  const url = `${call.origin}/${call.tenantSegment}/${TENANT_ROUTE_PATHS.token[call.version]}`
  const nonceRequired = client.dpop?.nonce === true
  const jkt = await deps.dpop.check(call.form.dpop, { url, now: call.now, nonceRequired })
  if (jkt === undefined && client.dpop !== undefined) {
    throw new DpopRefusal('invalid_dpop_proof', 'this client must send a DPoP proof (DPoP-bound tokens only)')
  }
  return jkt
}

/**
 * `token_type=mtls_pop` (docs/entra.md §12): the token is bound to the certificate of the TLS handshake,
 * which must then be the credential (no secret, no assertion). Returns its `x5t#S256`.
 */
function certificateBinding(
  tokenType: string | undefined,
  credential: {
    secret?: string | undefined
    assertion?: string | undefined
    peerCertificate?: Buffer | undefined
  },
): string | undefined {
  if (tokenType === undefined || tokenType.toLowerCase() === 'bearer') return undefined
  if (tokenType !== 'mtls_pop') {
    throw new AadstsError(
      900144,
      `The request body must contain the following parameter: 'token_type' with a supported value (bearer or mtls_pop).`,
    )
  }
  if (
    credential.peerCertificate === undefined ||
    credential.secret !== undefined ||
    credential.assertion !== undefined
  ) {
    throw new AadstsError(
      7000218,
      'An mtls_pop token needs the client certificate presented over mutual TLS as the credential, and no client_secret or client_assertion.',
    )
  }
  return createHash('sha256').update(credential.peerCertificate).digest('base64url')
}

/**
 * RFC 8705 §3 (`tls_client_auth`, `self_signed_tls_client_auth`): a client whose credential is the
 * certificate of the TLS handshake alone (no secret, no assertion) gets a `Bearer` token bound to it
 * (`cnf.x5t#S256`), as oidc-provider and Keycloak issue with certificate-bound tokens on. Returns its
 * `x5t#S256`, or `undefined` for any other credential.
 */
function tlsClientAuthBinding(credential: {
  secret?: string | undefined
  assertion?: string | undefined
  peerCertificate?: Buffer | undefined
}): string | undefined {
  const { peerCertificate, secret, assertion } = credential
  if (peerCertificate === undefined || secret !== undefined || assertion !== undefined) return undefined
  return createHash('sha256').update(peerCertificate).digest('base64url')
}

function checkGrantType(grantType: string | undefined): void {
  if (grantType === undefined) throw new AadstsError(900144, MESSAGES.missingParameter('grant_type'))
  if (grantType !== 'client_credentials') throw new AadstsError(70003, MESSAGES.unsupportedGrant(grantType))
}

function findClient(store: RegistryStore, tenant: TenantRecord, clientId: string | undefined): ClientRecord {
  if (clientId === undefined || clientId === '')
    throw new AadstsError(900144, MESSAGES.missingParameter('client_id'))
  const client = store.clients.get(clientId)
  if (!client || (!client.tenants.includes(tenant.id) && client.tenant !== tenant.id)) {
    throw new AadstsError(700016, MESSAGES.appNotFound(clientId, tenant.displayName))
  }
  if (!client.tenants.includes(tenant.id))
    throw new AadstsError(7000229, MESSAGES.noServicePrincipal(clientId, tenant.id))
  if (!client.enabled) throw new AadstsError(7000112, MESSAGES.appDisabled(client.appId, client.displayName))
  return client
}

/** The URLs an assertion's `aud` may name: this endpoint, with the tenant under any of its names. */
function endpointAudiences(call: TokenCall, tenant: TenantRecord): Set<string> {
  const path = TENANT_ROUTE_PATHS.token[call.version]
  const names = [call.tenantSegment, tenant.id, ...tenant.domains]
  return new Set(names.map((name) => `${call.origin}/${name}/${path}`.toLowerCase()))
}
