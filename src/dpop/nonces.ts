/**
 * The servers' DPoP nonces (RFC 9449 §8, §9), one per origin, bounded: the latest `DPoP-Nonce` an
 * origin sent is the one the next proof to it carries. At most {@link MAX_NONCE_ORIGINS} origins are
 * kept (the least recently used forgotten first) and a nonce that is not RFC 9449 `NQCHAR`s or is
 * longer than {@link MAX_NONCE_CHARS} is ignored, so a server cannot grow the client's memory.
 */

/** Origins whose nonce is kept. */
export const MAX_NONCE_ORIGINS = 256
/** The longest nonce kept. */
export const MAX_NONCE_CHARS = 512
/** RFC 9449 §8.1: `nonce = 1*NQCHAR` (%x21 / %x23-5B / %x5D-7E). */
const NQCHARS = /^[\x21\x23-\x5b\x5d-\x7e]+$/

/**
 * The latest nonce of each origin.
 *
 * @example
 * ```ts
 * const nonces = new NonceStore()
 * nonces.remember('https://as.example.com', response.headers.get('dpop-nonce'))
 * nonces.get('https://as.example.com')
 * ```
 */
export class NonceStore {
  readonly #byOrigin = new Map<string, string>()
  readonly #max: number

  constructor(max = MAX_NONCE_ORIGINS) {
    this.#max = max
  }

  /** The nonce last sent by `origin`. */
  get(origin: string): string | undefined {
    return this.#byOrigin.get(origin)
  }

  /** Keeps `nonce` for `origin` when it is a valid nonce; returns whether it was kept. */
  remember(origin: string, nonce: string | null | undefined): boolean {
    if (typeof nonce !== 'string' || nonce.length > MAX_NONCE_CHARS || !NQCHARS.test(nonce)) return false
    this.#byOrigin.delete(origin)
    this.#byOrigin.set(origin, nonce)
    if (this.#byOrigin.size > this.#max) {
      const oldest = this.#byOrigin.keys().next().value
      if (oldest !== undefined) this.#byOrigin.delete(oldest)
    }
    return true
  }

  /** How many origins have a nonce. */
  get size(): number {
    return this.#byOrigin.size
  }
}
