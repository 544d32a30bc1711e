/**
 * Federated credentials that trust a managed identity of this registry (docs/managed-identity.md
 * §Emulation): the assertion is the identity's own token from this authority — issuer
 * `{authority}/{its tenant}/v2.0`, subject its object id, audience the exchange audience (by App ID
 * URI, or the application id a v2 token carries) — verified with the authority's signing keys.
 */
import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose'
import { type IssuerSettings, issuerFor } from '../entra/clouds.js'
import type { FederatedCredentialRecord } from '../registry/records.js'
import type { RegistryStore } from '../registry/store.js'
import type { SigningKeyRing } from './signing-keys.js'

/**
 * What checking a managed identity's assertion needs: the registry, the issuer settings and keys.
 *
 * @example
 * ```ts
 * new FederationVerifier({ store, keys, issuer })
 * ```
 */
export interface LocalIssuer {
  store: RegistryStore
  keys: SigningKeyRing
  issuer: IssuerSettings
}

/**
 * The issuer a managed-identity credential expects (`undefined` when its identity is gone).
 *
 * @example
 * ```ts
 * identityIssuer(credential, local) // 'https://login.microsoftonline.com/{tid}/v2.0'
 * ```
 */
export function identityIssuer(
  credential: FederatedCredentialRecord,
  local: LocalIssuer,
): string | undefined {
  const identity =
    credential.managedIdentity === undefined
      ? undefined
      : local.store.managedIdentities.get(credential.managedIdentity)
  return identity ? issuerFor(local.issuer, identity.tenant, 2) : undefined
}

/**
 * Whether a managed-identity credential accepts an assertion's `iss`, `sub` and `aud`.
 *
 * @example
 * ```ts
 * trustsIdentityToken(credential, { iss, sub, audiences }, local) // true
 * ```
 */
export function trustsIdentityToken(
  credential: FederatedCredentialRecord,
  claims: { iss: unknown; sub: unknown; audiences: readonly unknown[] },
  local: LocalIssuer,
): boolean {
  const issuer = identityIssuer(credential, local)
  if (issuer === undefined || claims.iss !== issuer || claims.sub !== credential.subject) return false
  const accepted = new Set(credential.audiences)
  for (const uri of credential.audiences) {
    const api = local.store.findApi(uri)
    if (api) accepted.add(api.appId)
  }
  return claims.audiences.some((audience) => typeof audience === 'string' && accepted.has(audience))
}

/**
 * The authority's own published keys, as a key set for `jwtVerify`.
 *
 * @example
 * ```ts
 * await jwtVerify(compact, localKeySet(keys), { issuer })
 * ```
 */
export function localKeySet(keys: SigningKeyRing): JWTVerifyGetKey {
  return createLocalJWKSet(keys.jwks())
}
