/**
 * The local authority's DPoP proof check at its token endpoint (RFC 9449 §4.3). Deliberate copy: the
 * emulator shares no protocol code with the client or with `/verify` (docs/architecture.md), so a bug
 * in one cannot hide the same bug in the other. Checks: one proof, `typ`, an asymmetric `alg`, a public
 * `jwk` that verifies the signature, `htm` POST, `htu` this endpoint, a fresh `iat`, an unseen `jti`,
 * and the nonce when the client must send one. A passing proof gives the thumbprint for `cnf.jkt`.
 */
import { createHash, randomBytes } from 'node:crypto'
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose'

const ALGORITHMS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA', 'Ed25519']
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']
const MAX_AGE_SECONDS = 300
const MAX_AHEAD_SECONDS = 5
const REPLAY_CACHE_SIZE = 10_000

/**
 * A token request refused for its DPoP proof: `invalid_dpop_proof`, or `use_dpop_nonce` with the
 * nonce to send (RFC 9449 §5, §8).
 *
 * @example
 * ```ts
 * throw new DpopRefusal('use_dpop_nonce', 'the DPoP proof must carry the nonce', nonce)
 * ```
 */
export class DpopRefusal extends Error {
  readonly error: 'invalid_dpop_proof' | 'use_dpop_nonce'
  readonly description: string
  readonly nonce: string | undefined

  constructor(error: 'invalid_dpop_proof' | 'use_dpop_nonce', description: string, nonce?: string) {
    super(description)
    this.name = 'DpopRefusal'
    this.error = error
    this.description = description
    this.nonce = nonce
  }
}

/**
 * The DPoP state of one authority: its nonce and the proofs seen (bounded).
 *
 * @example
 * ```ts
 * const jkt = await dpop.check(form.dpop, { url, now, nonceRequired: true })
 * ```
 */
export class DpopProofChecker {
  /** The nonce clients must send when their registration asks for one. */
  nonce = randomBytes(16).toString('base64url')
  readonly #seen = new Map<string, number>()

  /** A new nonce: proofs with the old one are then answered `use_dpop_nonce`. */
  rotateNonce(): string {
    this.nonce = randomBytes(16).toString('base64url')
    return this.nonce
  }

  /** The thumbprint of the proof's key; throws {@link DpopRefusal}. `proofs` absent: `undefined`. */
  async check(
    proofs: readonly string[] | undefined,
    request: { url: string; now: number; nonceRequired: boolean },
  ): Promise<string | undefined> {
    if (proofs === undefined || proofs.length === 0) return undefined
    const proof = proofs[0] as string
    if (proofs.length > 1 || proof.includes(',')) refuse('more than one DPoP header was sent')
    const { jwk, payload } = await verified(proof, request.now)
    if (payload.htm !== 'POST') refuse('the DPoP proof htm is not POST')
    if (typeof payload.htu !== 'string' || !sameUrl(payload.htu, request.url))
      refuse('the DPoP proof htu does not name this token endpoint')
    if (request.nonceRequired && payload.nonce !== this.nonce) {
      throw new DpopRefusal('use_dpop_nonce', 'Authorization server requires nonce in DPoP proof', this.nonce)
    }
    const jkt = await calculateJwkThumbprint(jwk)
    this.#recordJti(jkt, payload.jti, request.now)
    return jkt
  }

  #recordJti(jkt: string, jti: unknown, now: number): void {
    if (typeof jti !== 'string' || jti === '') refuse('the DPoP proof has no jti')
    const id = createHash('sha256').update(`${jkt}.${jti}`).digest('base64url')
    for (const [key, expires] of this.#seen) {
      if (expires > now && this.#seen.size < REPLAY_CACHE_SIZE) break
      this.#seen.delete(key)
    }
    if (this.#seen.has(id)) refuse('the DPoP proof was already used')
    this.#seen.set(id, now + MAX_AGE_SECONDS * 1000)
  }
}

async function verified(proof: string, now: number) {
  let header: ReturnType<typeof decodeProtectedHeader>
  try {
    header = decodeProtectedHeader(proof)
  } catch {
    return refuse('the DPoP header is not a JWT')
  }
  const jwk = header.jwk
  if (header.typ !== 'dpop+jwt') refuse('the DPoP proof typ is not dpop+jwt')
  if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg))
    refuse('the DPoP proof alg is not accepted')
  if (typeof jwk !== 'object' || jwk === null || PRIVATE_MEMBERS.some((m) => m in jwk))
    refuse('the DPoP proof jwk is not a public key')
  try {
    const key = await importJWK(jwk as JWK, header.alg)
    const { payload } = await jwtVerify(proof, key, {
      currentDate: new Date(now),
      maxTokenAge: MAX_AGE_SECONDS,
      clockTolerance: MAX_AHEAD_SECONDS,
      typ: 'dpop+jwt',
    })
    return { jwk: jwk as JWK, payload }
  } catch {
    return refuse('the DPoP proof signature, iat or claims do not verify')
  }
}

function sameUrl(htu: string, url: string): boolean {
  try {
    const a = new URL(htu)
    const b = new URL(url)
    return a.origin === b.origin && a.pathname.toLowerCase() === b.pathname.toLowerCase()
  } catch {
    return false
  }
}

function refuse(description: string): never {
  throw new DpopRefusal('invalid_dpop_proof', description)
}
