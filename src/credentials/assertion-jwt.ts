/**
 * The client assertion (RFC 7523, docs/entra.md §4): a JWT signed for one token request, with a fresh `jti`,
 * `aud` = the token endpoint being called (or a configured audience), `iss` = `sub` = the client id,
 * `nbf` = `iat` = now and a 10-minute `exp`. jose is imported on the first signature, not with the package
 * (docs/architecture.md, "Loading on first use"): a secret or a callback never loads it.
 */
import { randomUUID } from 'node:crypto'
import type { LoadedCertificate } from './certificate-material.js'

/**
 * The `client_assertion_type` of a JWT client assertion.
 *
 * @example
 * ```ts
 * form.set('client_assertion_type', JWT_BEARER)
 * ```
 */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/**
 * An assertion's lifetime: the most Entra (and docs/design.md §6) allows.
 *
 * @example
 * ```ts
 * payload.exp - payload.iat === ASSERTION_LIFETIME_SEC // 600
 * ```
 */
export const ASSERTION_LIFETIME_SEC = 10 * 60

/**
 * The per-request claims of one assertion.
 *
 * @example
 * ```ts
 * const claims: AssertionClaims = { clientId, audience: tokenEndpoint, now: clock.now() }
 * ```
 */
export interface AssertionClaims {
  readonly clientId: string
  /** The `aud`: the exact token endpoint URL, or the server's issuer when configured. */
  readonly audience: string
  /** Now, epoch ms (from the injected clock). */
  readonly now: number
}

/**
 * Signs a new client assertion with `loaded`'s key and header (a certificate's, or a bare key's).
 *
 * @example
 * ```ts
 * const jwt = await signClientAssertion(loaded, { clientId, audience: tokenEndpoint, now: clock.now() })
 * ```
 */
export async function signClientAssertion(
  loaded: Pick<LoadedCertificate, 'key' | 'header'>,
  claims: AssertionClaims,
): Promise<string> {
  const now = Math.floor(claims.now / 1000)
  const { SignJWT } = await loadJose()
  return new SignJWT({})
    .setProtectedHeader(loaded.header)
    .setIssuer(claims.clientId)
    .setSubject(claims.clientId)
    .setAudience(claims.audience)
    .setJti(randomUUID())
    .setNotBefore(now)
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_LIFETIME_SEC)
    .sign(loaded.key)
}

let joseLoading: Promise<typeof import('jose')> | undefined

/** jose, imported once, on the first assertion signed. */
function loadJose(): Promise<typeof import('jose')> {
  joseLoading ??= import('jose')
  return joseLoading
}

/**
 * Puts `assertion` in the form as `client_assertion_type` + `client_assertion`.
 *
 * @example
 * ```ts
 * setClientAssertion(request.form, jwt)
 * ```
 */
export function setClientAssertion(form: URLSearchParams, assertion: string): void {
  form.set('client_assertion_type', JWT_BEARER)
  form.set('client_assertion', assertion)
}
