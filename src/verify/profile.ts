/**
 * A token profile: the claim checks of one kind of access token. `entra` (Entra ID's v1 and v2 tokens,
 * `entra-profile.ts`) and `rfc9068` (JWT access tokens of any server, `rfc9068.ts`). The verifier runs
 * a profile's checks on the unverified payload, fetches keys only for a token that passed them, and
 * runs them again on the verified payload.
 */

import type { ProtectedHeaderParameters } from 'jose'
import type { Rejection } from './challenge.js'
import type { VerifiedToken } from './token.js'

/**
 * The name of a profile (the `profile` option).
 *
 * @example
 * ```ts
 * createTokenVerifier({ issuer: 'http://127.0.0.1:8080/t/v2.0', jwksUri, audience, profile: 'entra' satisfies ProfileName })
 * ```
 */
export type ProfileName = 'entra' | 'rfc9068'

/** The checks of one kind of token. */
export interface TokenProfile {
  readonly name: ProfileName
  /** Every claim check; the result once they all pass. */
  check(payload: Record<string, unknown>, header: ProtectedHeaderParameters): VerifiedToken | Rejection
  /** Which key set signs a token that passed `check`: its tenant (Entra), or `''` for the one `jwksUri`. */
  keySetOf(token: VerifiedToken): string
}
