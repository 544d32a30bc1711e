/**
 * One DPoP proof (RFC 9449 §4.2): a JWT with `typ: dpop+jwt` and the public key in `jwk`, signed with
 * the client's key, naming the request (`htm`, `htu` without query or fragment), when (`iat`), a unique
 * `jti`, the server's `nonce` when one is known and, on resource requests, the token's hash (`ath`).
 * Exactly one signature per proof (docs/sender-constrained.md §2 lists what the other side checks).
 */
import { createHash, randomUUID } from 'node:crypto'
import type { Clock } from '../clock.js'
import type { DpopKey } from './key.js'

/**
 * What a proof is for.
 *
 * @example
 * ```ts
 * const request: ProofRequest = { method: 'GET', url: 'https://api.contoso.com/orders?page=2', accessToken }
 * ```
 */
export interface ProofRequest {
  /** The HTTP method (`htm`), upper case as sent. */
  readonly method: string
  /** The request URL: `htu` is this without its query and fragment. */
  readonly url: string | URL
  /** The server's latest nonce for this origin, if any. */
  readonly nonce?: string | undefined
  /** The access token sent with the request (resource requests): sets `ath`. */
  readonly accessToken?: string | undefined
}

/**
 * `htu`: the URL without query and fragment (RFC 9449 §4.2).
 *
 * @example
 * ```ts
 * proofUrl('https://api.contoso.com/orders?page=2#x') // 'https://api.contoso.com/orders'
 * ```
 */
export function proofUrl(url: string | URL): string {
  const u = new URL(url)
  u.search = ''
  u.hash = ''
  return u.href
}

/**
 * `ath`: base64url(SHA-256(access token)) (RFC 9449 §4.2).
 *
 * @example
 * ```ts
 * accessTokenHash('eyJ…') // 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo'
 * ```
 */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url')
}

/**
 * Builds and signs one proof.
 *
 * @example
 * ```ts
 * const proof = await buildProof(key, { method: 'POST', url: tokenEndpoint }, systemClock)
 * headers.dpop = proof
 * ```
 */
export async function buildProof(key: DpopKey, request: ProofRequest, clock: Clock): Promise<string> {
  const claims: Record<string, string | number> = {
    htm: request.method.toUpperCase(),
    htu: proofUrl(request.url),
    iat: Math.floor(clock.now() / 1000),
    jti: randomUUID(),
  }
  if (request.nonce !== undefined) claims.nonce = request.nonce
  if (request.accessToken !== undefined) claims.ath = accessTokenHash(request.accessToken)
  // a compact JWS (RFC 7515 §7.1) built here rather than by jose's SignJWT, whose Web Crypto signing
  // costs about five times a crypto.sign; /verify and oidc-provider check these proofs with jose
  const input = `${headerOf(key)}.${encode(claims)}`
  return `${input}.${await key.sign(input)}`
}

const headers = new WeakMap<DpopKey, string>()

/** The protected header (`typ`, `alg`, the public `jwk`), encoded once per key. */
function headerOf(key: DpopKey): string {
  let header = headers.get(key)
  if (header === undefined) {
    header = encode({ typ: 'dpop+jwt', alg: key.algorithm, jwk: key.publicJwk })
    headers.set(key, header)
  }
  return header
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
}
