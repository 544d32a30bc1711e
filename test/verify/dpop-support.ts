/**
 * Test support for sender-constrained tokens: DPoP keys and proofs made with jose (RFC 9449 §4.2),
 * the access-token hash (`ath`), RFC 9068 access-token claims of a generic (non-Entra) issuer, and the
 * `cnf` claims that bind a token to a DPoP key (`jkt`) or to a client certificate (`x5t#S256`).
 * The client-side DPoP of the library is built elsewhere: these proofs are made by hand, so a test can
 * also make every kind of wrong proof.
 */

import { createHash, randomUUID } from 'node:crypto'
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  type GenerateKeyPairResult,
  generateKeyPair,
  type JWK,
  SignJWT,
} from 'jose'
import { NOW } from './support.js'

/** The generic issuer of the RFC 9068 tests (not an Entra host). */
export const GENERIC_ISSUER = 'https://idp.example.test/realms/orders'
export const GENERIC_AUDIENCE = 'https://api.example.test/orders'
export const GENERIC_CLIENT = 'orders-worker'

export interface DpopKey {
  alg: string
  privateKey: CryptoKey
  publicJwk: JWK
  /** The RFC 7638 SHA-256 thumbprint of the public key: the token's `cnf.jkt`. */
  jkt: string
  /** The private key as a JWK (the leak suite looks for its parameters). */
  privateJwk: JWK
}

/** A DPoP key pair (ES256 by default). */
export async function createDpopKey(alg = 'ES256'): Promise<DpopKey> {
  const pair: GenerateKeyPairResult = await generateKeyPair(alg, { extractable: true })
  const publicJwk = await exportJWK(pair.publicKey)
  return {
    alg,
    privateKey: pair.privateKey,
    publicJwk,
    jkt: await calculateJwkThumbprint(publicJwk),
    privateJwk: await exportJWK(pair.privateKey),
  }
}

/** base64url(SHA-256(token)): the `ath` claim of a proof sent with that token. */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url')
}

export interface ProofOptions {
  htm: string
  htu: string
  /** The token the proof is sent with: sets `ath` (unless `claims.ath` overrides it). */
  accessToken?: string | undefined
  /** Seconds; defaults to the test time `NOW`. */
  iat?: number | undefined
  jti?: string | undefined
  nonce?: string | undefined
  /** Claims added or overridden (`undefined` removes one). */
  claims?: Record<string, unknown>
  /** Header parameters added or overridden (`undefined` removes one). */
  header?: Record<string, unknown>
  /** Sign with this key while the header names `key`'s public JWK (a proof signed by someone else). */
  signWith?: CryptoKey
}

/** A DPoP proof JWT (`typ: dpop+jwt`, the public key in `jwk`) for one request. */
export async function makeProof(key: DpopKey, options: ProofOptions): Promise<string> {
  const claims = withoutUndefined({
    jti: options.jti ?? randomUUID(),
    htm: options.htm,
    htu: options.htu,
    iat: options.iat ?? NOW / 1000,
    ath: options.accessToken === undefined ? undefined : accessTokenHash(options.accessToken),
    nonce: options.nonce,
    ...options.claims,
  })
  const header = withoutUndefined({ typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk, ...options.header })
  return new SignJWT(claims)
    .setProtectedHeader({ ...header, alg: String(header.alg) })
    .sign(options.signWith ?? key.privateKey)
}

/** `cnf` of a token bound to a DPoP key. */
export const dpopBinding = (key: DpopKey) => ({ cnf: { jkt: key.jkt } })

/** `cnf` of a token bound to a certificate, given its DER bytes. */
export function certificateBinding(der: Uint8Array): { cnf: { 'x5t#S256': string } } {
  return { cnf: { 'x5t#S256': createHash('sha256').update(der).digest('base64url') } }
}

/** Claims of an RFC 9068 §2.2 access token of the generic issuer, for a client-credentials client. */
export function rfc9068Claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = NOW / 1000 - 60
  return withoutUndefined({
    iss: GENERIC_ISSUER,
    exp: iat + 3600,
    aud: GENERIC_AUDIENCE,
    sub: GENERIC_CLIENT,
    client_id: GENERIC_CLIENT,
    iat,
    jti: randomUUID(),
    scope: 'orders:read',
    ...overrides,
  })
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined))
}
