/**
 * Unverified decoding of a client assertion, refusing anything that is not a compact JWS with JSON
 * header and payload (AADSTS50027).
 */
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose'
import { MESSAGES } from '../entra/aadsts.js'
import { AadstsError } from '../entra/error-body.js'

/**
 * A decoded (not yet verified) JWT.
 *
 * @example
 * ```ts
 * const { header, payload } = decodeAssertion(assertion) satisfies DecodedJwt
 * ```
 */
export interface DecodedJwt {
  compact: string
  header: ProtectedHeaderParameters
  payload: JWTPayload
}

/**
 * Decodes a compact JWT without verifying it.
 *
 * @example
 * ```ts
 * decodeAssertion(assertion).payload.iss // the client id
 * decodeAssertion('not-a-jwt') // throws AADSTS50027
 * ```
 */
export function decodeAssertion(compact: string): DecodedJwt {
  if (compact.split('.').length !== 3) throw new AadstsError(50027, MESSAGES.malformedJwt())
  try {
    return { compact, header: decodeProtectedHeader(compact), payload: decodeJwt(compact) }
  } catch {
    throw new AadstsError(50027, MESSAGES.malformedJwt())
  }
}

/**
 * Checks `exp` (required) and `nbf` (optional) against now with a skew, as Entra does (AADSTS700024).
 *
 * @example
 * ```ts
 * checkAssertionTime(payload, Date.now(), 300)
 * ```
 */
export function checkAssertionTime(payload: JWTPayload, now: number, skewSeconds: number): void {
  const { exp, nbf } = payload
  if (typeof exp !== 'number') throw new AadstsError(50027, MESSAGES.malformedJwt())
  const nowSeconds = now / 1000
  const early = typeof nbf === 'number' && nowSeconds + skewSeconds < nbf
  if (early || nowSeconds - skewSeconds >= exp) {
    throw new AadstsError(
      700024,
      MESSAGES.assertionTime(Math.floor(nowSeconds), typeof nbf === 'number' ? nbf : undefined, exp),
    )
  }
}
