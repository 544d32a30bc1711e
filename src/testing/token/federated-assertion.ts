/**
 * Federated client assertions (workload identity, docs/entra.md §4): a JWT from another issuer, matched
 * against the app's federated credentials by issuer, subject and audience (AADSTS70021 when none
 * matches) and verified against that issuer's JWKS.
 */
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose'
import { MESSAGES } from '../entra/aadsts.js'
import { AadstsError } from '../entra/error-body.js'
import type { ClientRecord, FederatedCredentialRecord } from '../registry/records.js'
import { checkAssertionTime, type DecodedJwt } from './assertion-jwt.js'
import {
  identityIssuer,
  type LocalIssuer,
  localKeySet,
  trustsIdentityToken,
} from './managed-identity-federation.js'

/** How long fetched issuer keys are reused, as a real service caches them. */
const JWKS_CACHE_MS = 10 * 60_000

/**
 * Verifies federated assertions; one cached remote key set per issuer JWKS URL.
 *
 * @example
 * ```ts
 * const federation = new FederationVerifier({ store, keys, issuer }) // without: no managed-identity credentials
 * await federation.verify(decodeAssertion(form.client_assertion), client, Date.now(), 300)
 * ```
 */
export class FederationVerifier {
  readonly #keySets = new Map<string, JWTVerifyGetKey>()
  readonly #local: LocalIssuer | undefined

  /** `local`: this authority's registry, keys and issuers, for credentials that trust a managed identity. */
  constructor(local?: LocalIssuer) {
    this.#local = local
  }

  /** Throws the AADSTS refusal unless a federated credential of `client` accepts the assertion. */
  async verify(jwt: DecodedJwt, client: ClientRecord, now: number, skewSeconds: number): Promise<void> {
    const credential = matchCredential(jwt, client, this.#local)
    checkAssertionTime(jwt.payload, now, skewSeconds)
    const local = credential.jwksUrl === undefined ? this.#local : undefined
    try {
      const keys = local ? localKeySet(local.keys) : this.#keySet(credential.jwksUrl ?? '')
      await jwtVerify(jwt.compact, keys, {
        issuer: (local ? identityIssuer(credential, local) : undefined) ?? credential.issuer,
        currentDate: new Date(now),
        clockTolerance: skewSeconds,
      })
    } catch (error) {
      throw toRefusal(error, credential, now)
    }
  }

  #keySet(url: string): JWTVerifyGetKey {
    let keySet = this.#keySets.get(url)
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(url), { cacheMaxAge: JWKS_CACHE_MS, timeoutDuration: 5000 })
      this.#keySets.set(url, keySet)
    }
    return keySet
  }
}

function matchCredential(
  jwt: DecodedJwt,
  client: ClientRecord,
  local: LocalIssuer | undefined,
): FederatedCredentialRecord {
  const { iss, sub, aud } = jwt.payload
  const audiences = Array.isArray(aud) ? aud : aud === undefined ? [] : [aud]
  const match = client.federatedCredentials.find((fc) =>
    fc.managedIdentity !== undefined
      ? local !== undefined && trustsIdentityToken(fc, { iss, sub, audiences }, local)
      : fc.issuer === iss && fc.subject === sub && audiences.some((a) => fc.audiences.includes(a)),
  )
  if (match) return match
  throw new AadstsError(70021, MESSAGES.noFederatedMatch(String(iss), String(sub), audiences.join(',')))
}

function toRefusal(error: unknown, credential: FederatedCredentialRecord, now: number): AadstsError {
  if (error instanceof AadstsError) return error
  if (error instanceof errors.JWTExpired || isNotYetValid(error)) {
    const payload = (error as errors.JWTClaimValidationFailed).payload
    return new AadstsError(700024, MESSAGES.assertionTime(Math.floor(now / 1000), payload.nbf, payload.exp))
  }
  if (keysUnavailable(error))
    return new AadstsError(50166, MESSAGES.externalKeysUnavailable(credential.issuer))
  return new AadstsError(700027, MESSAGES.badSignature())
}

/** The issuer's keys could not be fetched or read (network failure, timeout, non-200, not a JWKS). */
function keysUnavailable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === 'ERR_JOSE_GENERIC'
  )
}

function isNotYetValid(error: unknown): boolean {
  return error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf'
}
