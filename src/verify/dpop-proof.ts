/**
 * The checks of a DPoP proof sent with a DPoP-bound token (RFC 9449 §4.3 and §7.1): one well-formed
 * JWT, `typ: dpop+jwt`, an allowed asymmetric `alg`, signed by the public key in its `jwk` header;
 * `htm` and `htu` naming this request; `iat` inside the window; `ath` the hash of this token; the key's
 * thumbprint the token's `cnf.jkt`; the server's nonce, when it asks for one; and a `jti` not seen
 * before within the window. Each check returns a {@link Rejection}: no proof, token or key material is
 * ever quoted in one. What each check prevents: docs/sender-constrained.md §2.
 */

import { createHash } from 'node:crypto'
import type { JWK } from 'jose'
import { clip, type Rejection } from './challenge.js'
import { normalizeHtu, sameHtu } from './htu.js'
import { decodeJwtPart, loadJose } from './load-jose.js'
import type { DpopNonceSource } from './nonce.js'
import { type DpopReplayCache, replayId } from './replay-cache.js'

/** How proofs are checked: the verifier's `dpop` options, resolved. */
export interface DpopSettings {
  algorithms: readonly string[]
  /** How old (by `iat`) a proof may be, in seconds; also how long its `jti` is remembered. */
  maxAgeSec: number
  /** How far ahead of the clock a proof's `iat` may be, in seconds. */
  clockToleranceSec: number
  now: () => number
  nonce: DpopNonceSource | undefined
  replay: DpopReplayCache
}

/** What a proof is checked against. */
export interface ProofInput {
  /** The access token it came with (for `ath`). */
  token: string
  /** The token's `cnf.jkt`. */
  jkt: string
  method: string | undefined
  url: string | URL | undefined
  /** The `DPoP` header value(s). */
  proof: string | readonly string[] | null | undefined
}

/** Longest proof read; a proof is a few hundred characters (an RSA key makes it ~1 KB). */
export const MAX_PROOF_CHARS = 8 * 1024
/** Longest `jti` accepted (RFC 9449 asks for at least 96 bits of randomness: ~22 characters). */
const MAX_JTI_CHARS = 256
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
/** JWK members that only private (or symmetric) keys have. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv']

const invalid = (description: string, hint?: string): Rejection => ({
  reason: 'dpop_proof',
  description,
  scheme: 'DPoP',
  ...(hint === undefined ? {} : { hint }),
})

/**
 * Checks the proof of one request; resolves to `undefined` when it holds, or to the rejection. Only a
 * proof that passed every other check is recorded in the replay cache.
 *
 * @example
 * ```ts
 * const rejection = await checkDpopProof(
 *   { token, jkt: claims.cnf.jkt, method: req.method, url: 'https://api.example.com/orders', proof: req.headers.dpop },
 *   settings,
 * )
 * ```
 */
export async function checkDpopProof(
  input: ProofInput,
  settings: DpopSettings,
): Promise<Rejection | undefined> {
  const proof = readProof(input.proof)
  if (typeof proof !== 'string') return proof
  if (input.method === undefined || input.url === undefined || normalizeHtu(input.url) === undefined) {
    return invalid(
      'the DPoP proof cannot be checked',
      'DPoP proofs need the request: pass request: { method, url, dpop } to verify() or authorize(), url absolute',
    )
  }
  const verified = await verifyProofSignature(proof, settings)
  if ('reason' in verified) return verified
  const { payload, jwk } = verified
  const rejection =
    checkRequest(payload, input.method, input.url) ??
    checkIssuedAt(payload.iat, settings) ??
    checkAccessTokenHash(payload.ath, input.token) ??
    (await checkKeyBinding(jwk, input.jkt)) ??
    checkNonce(payload.nonce, settings.nonce)
  if (rejection !== undefined) return rejection
  const expiresAt = ((payload.iat as number) + settings.maxAgeSec) * 1000
  const first = await settings.replay.use(replayId(input.jkt, payload.jti as string), expiresAt)
  return first ? undefined : invalid('the DPoP proof was already used (its jti was seen before)')
}

function readProof(value: string | readonly string[] | null | undefined): string | Rejection {
  const values = typeof value === 'string' ? [value] : (value ?? [])
  if (values.length === 0) return invalid('the token is DPoP-bound: send a DPoP proof in the DPoP header')
  const [proof] = values
  if (values.length > 1 || proof === undefined) return invalid('send exactly one DPoP header')
  const text = proof.trim()
  if (text.length > MAX_PROOF_CHARS)
    return invalid(`the DPoP proof is longer than ${MAX_PROOF_CHARS} characters`)
  if (!COMPACT_JWS.test(text)) return invalid('the DPoP header does not hold one JWT')
  return text
}

async function verifyProofSignature(
  proof: string,
  settings: DpopSettings,
): Promise<{ payload: Record<string, unknown>; jwk: JWK } | Rejection> {
  let jwk: unknown
  try {
    jwk = decodeJwtPart(proof, 0).jwk
  } catch {
    return invalid('the DPoP proof header is not base64url-encoded JSON')
  }
  if (typeof jwk !== 'object' || jwk === null) return invalid('the DPoP proof has no jwk header')
  if (PRIVATE_MEMBERS.some((member) => member in jwk))
    return invalid('the DPoP proof jwk must be a public key')
  const { EmbeddedJWK, jwtVerify } = await loadJose()
  try {
    const { payload } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: [...settings.algorithms],
      currentDate: new Date(settings.now()),
    })
    return { payload, jwk: jwk as JWK }
  } catch (cause) {
    return joseRejection(cause, settings.algorithms)
  }
}

function joseRejection(cause: unknown, algorithms: readonly string[]): Rejection {
  const { code, claim } = (typeof cause === 'object' && cause !== null ? cause : {}) as {
    code?: unknown
    claim?: unknown
  }
  switch (code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return invalid(`the DPoP proof alg is not accepted (accepted: ${algorithms.join(', ')})`)
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return invalid('the DPoP proof signature does not verify with its jwk')
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
    case 'ERR_JWT_EXPIRED':
      return claim === 'typ'
        ? invalid('the DPoP proof typ must be dpop+jwt')
        : invalid(`the DPoP proof ${clip(claim ?? 'claims', 20)} claim is not valid`)
    default:
      return invalid('the DPoP proof is not a valid JWS signed by its jwk')
  }
}

function checkRequest(
  payload: Record<string, unknown>,
  method: string,
  url: string | URL,
): Rejection | undefined {
  const { jti, htm, htu } = payload
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_CHARS) {
    return invalid('the DPoP proof has no jti (or one longer than 256 characters)')
  }
  if (typeof htm !== 'string') return invalid('the DPoP proof has no htm claim')
  if (typeof htu !== 'string') return invalid('the DPoP proof has no htu claim')
  if (htm !== method)
    return invalid(`the DPoP proof is for ${clip(htm, 16)} requests, not ${clip(method, 16)}`)
  if (!sameHtu(htu, url)) {
    return invalid(
      'the DPoP proof htu does not name this URL',
      'behind a proxy, give the guard the public origin (origin) or pass request.url as clients see it',
    )
  }
  return undefined
}

function checkIssuedAt(iat: unknown, settings: DpopSettings): Rejection | undefined {
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return invalid('the DPoP proof has no iat claim')
  const now = settings.now() / 1000
  if (iat < now - settings.maxAgeSec) {
    return invalid(`the DPoP proof was issued more than ${settings.maxAgeSec} s ago`)
  }
  if (iat > now + settings.clockToleranceSec) return invalid('the DPoP proof was issued in the future')
  return undefined
}

function checkAccessTokenHash(ath: unknown, token: string): Rejection | undefined {
  if (typeof ath !== 'string') return invalid('the DPoP proof has no ath claim (the access token hash)')
  const expected = createHash('sha256').update(token, 'ascii').digest('base64url')
  return ath === expected ? undefined : invalid('the DPoP proof ath is not the hash of this access token')
}

async function checkKeyBinding(jwk: JWK, jkt: string): Promise<Rejection | undefined> {
  const { calculateJwkThumbprint } = await loadJose()
  const thumbprint = await calculateJwkThumbprint(jwk).catch(() => undefined)
  if (thumbprint === jkt) return undefined
  return {
    reason: 'binding',
    description: 'the token is bound to another key than the one that signed the DPoP proof',
    scheme: 'DPoP',
  }
}

function checkNonce(nonce: unknown, source: DpopNonceSource | undefined): Rejection | undefined {
  if (source === undefined) return undefined
  if (typeof nonce === 'string' && source.isValid(nonce)) return undefined
  return {
    reason: 'dpop_nonce',
    description:
      nonce === undefined ? 'a nonce is required in the DPoP proof' : 'the DPoP proof nonce is not current',
    scheme: 'DPoP',
    dpopNonce: source.current(),
  }
}
