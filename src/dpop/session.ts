/**
 * A client's DPoP state: its key, the servers' nonces (per origin, bounded) and its clock. The token
 * request and the attach layer (`authorizedFetch`, the interceptor) make their proofs through it, and
 * find it from the client they are given by {@link dpopSessionOf} (a `WeakMap`, so no public name).
 */
import type { Clock } from '../clock.js'
import { AuthorityError } from '../errors.js'
import { createDpopKey, type DpopAlgorithm, type DpopKey, type DpopKeyInput } from './key.js'
import { NonceStore } from './nonces.js'
import { buildProof } from './proof.js'

/**
 * The `dpop` option: `true` for an ES256 key generated in process, or the key and algorithm.
 *
 * @example
 * ```ts
 * const dpop: DpopOption = { algorithm: 'EdDSA' }
 * ```
 */
export type DpopOption = true | { key?: DpopKeyInput | undefined; algorithm?: DpopAlgorithm | undefined }

/**
 * What a proof is made for, once the session has added the origin's nonce.
 *
 * @example
 * ```ts
 * await session.proof({ method: 'GET', url, accessToken })
 * ```
 */
export interface SessionProofRequest {
  readonly method: string
  readonly url: string | URL
  readonly accessToken?: string | undefined
}

/**
 * The DPoP key, nonces and clock of one client.
 *
 * @example
 * ```ts
 * const session = new DpopSession(createDpopKey({}), systemClock)
 * const proof = await session.proof({ method: 'POST', url: tokenEndpoint })
 * ```
 */
export class DpopSession {
  readonly key: DpopKey
  readonly nonces = new NonceStore()
  readonly #clock: Clock

  constructor(key: DpopKey, clock: Clock) {
    this.key = key
    this.#clock = clock
  }

  /** A fresh proof for one request, carrying the origin's latest nonce. */
  proof(request: SessionProofRequest): Promise<string> {
    const nonce = this.nonces.get(new URL(request.url).origin)
    return buildProof(this.key, { ...request, nonce }, this.#clock)
  }

  /** Keeps the `DPoP-Nonce` a server at `url` sent (ignored when absent or malformed). */
  noteNonce(url: string | URL, nonce: string | null | undefined): boolean {
    return this.nonces.remember(new URL(url).origin, nonce)
  }

  /**
   * Runs a token request; when the server answers `use_dpop_nonce` with a new nonce, runs it once more
   * (a fresh proof and a fresh client assertion). A second `use_dpop_nonce` is thrown as it came: a
   * server that asks forever gets two requests, not a loop.
   */
  async withNonceRetry<T>(url: string, attempt: () => Promise<T>): Promise<T> {
    const origin = new URL(url).origin
    const before = this.nonces.get(origin)
    try {
      return await attempt()
    } catch (error) {
      const fresh = this.nonces.get(origin)
      if (!isNonceRequest(error) || fresh === undefined || fresh === before) throw error
      return attempt()
    }
  }
}

/** Whether a token endpoint error asks for a DPoP nonce (RFC 9449 §8). */
function isNonceRequest(error: unknown): boolean {
  return error instanceof AuthorityError && error.error === 'use_dpop_nonce'
}

/**
 * The session of a `dpop` option (`undefined` when DPoP is off).
 *
 * @example
 * ```ts
 * const session = dpopSession(o.dpop, o.clock)
 * ```
 */
export function dpopSession(option: DpopOption | undefined, clock: Clock): DpopSession | undefined {
  if (option === undefined) return undefined
  return new DpopSession(createDpopKey(option === true ? {} : option), clock)
}

const sessions = new WeakMap<object, DpopSession>()

/**
 * Records `session` as the DPoP session of `source` (a `TokenClient`).
 *
 * @example
 * ```ts
 * attachDpopSession(client, session)
 * ```
 */
export function attachDpopSession(source: object, session: DpopSession): void {
  sessions.set(source, session)
}

/**
 * The DPoP session of a token source, if it has one.
 *
 * @example
 * ```ts
 * const session = dpopSessionOf(client) // undefined for a bearer client
 * ```
 */
export function dpopSessionOf(source: object): DpopSession | undefined {
  return sessions.get(source)
}
