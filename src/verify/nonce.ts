/**
 * Server-provided DPoP nonces (RFC 9449 §9): an API may require each proof to carry a nonce it handed
 * out, which limits how long a proof made in advance (by an attacker holding the key for a while)
 * stays usable. The built-in source is stateless: a nonce is a time window and its HMAC, so handing
 * out nonces to any number of clients (or to a storm of requests without one) stores nothing.
 */

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../clock.js'

/**
 * Where nonces come from: yours (shared by a fleet, say), or {@link createRotatingNonce}.
 *
 * @example
 * ```ts
 * const issued = ['n-2026-02-01T10:00', 'n-2026-02-01T10:05'] // a fleet's shared list, say
 * const nonce: DpopNonceSource = { current: () => issued.at(-1) ?? '', isValid: (n) => issued.includes(n) }
 * createTokenVerifier({ issuer, jwksUri, audience, dpop: { nonce } })
 * ```
 */
export interface DpopNonceSource {
  /** The nonce to hand out now (sent in the `DPoP-Nonce` header). Printable ASCII, no quotes. */
  current(): string
  /** Whether a proof's `nonce` is one this API handed out recently enough. */
  isValid(nonce: string): boolean
}

/**
 * How the built-in nonce rotates.
 *
 * @example
 * ```ts
 * createRotatingNonce({ rotateEverySec: 60, secret: Buffer.from(process.env.DPOP_NONCE_KEY!, 'base64') })
 * ```
 */
export interface RotatingNonceOptions {
  /** A new nonce every this many seconds; the previous one stays valid for one more period. @defaultValue 300 */
  rotateEverySec?: number | undefined
  /** The HMAC key; give every instance of a fleet the same one. @defaultValue 32 random bytes (per process) */
  secret?: Uint8Array | undefined
  /** The clock: `{ now() }` in epoch ms, as the client and the verifier take it. @defaultValue the system clock */
  clock?: Clock | undefined
  /** @deprecated Use `clock: { now }`. The clock, epoch ms. */
  now?: (() => number) | undefined
}

/** Longest nonce `isValid` reads; ours are ~30 characters. */
const MAX_NONCE_CHARS = 128

/**
 * The built-in nonce: `{window}.{HMAC-SHA256(secret, window)}`, valid in its window and the next.
 *
 * @example
 * ```ts
 * const nonce = createRotatingNonce({ rotateEverySec: 120 })
 * createTokenVerifier({ issuer, jwksUri, audience, dpop: { nonce } })
 * ```
 */
export function createRotatingNonce(options: RotatingNonceOptions = {}): DpopNonceSource {
  const periodMs = Math.max(1, options.rotateEverySec ?? 300) * 1000
  const secret = options.secret ?? randomBytes(32)
  const clock = options.clock ?? { now: options.now ?? Date.now }
  const now = () => clock.now()
  const mac = (window: number) =>
    createHmac('sha256', secret).update(String(window)).digest().toString('base64url')
  const format = (window: number) => `${window.toString(36)}.${mac(window)}`
  return {
    current: () => format(Math.floor(now() / periodMs)),
    isValid(nonce) {
      if (nonce.length > MAX_NONCE_CHARS) return false
      const [windowText = '', tag = '', ...rest] = nonce.split('.')
      const window = Number.parseInt(windowText, 36)
      if (rest.length > 0 || !/^[0-9a-z]{1,12}$/.test(windowText)) return false
      const age = Math.floor(now() / periodMs) - window
      if (age !== 0 && age !== 1) return false
      const given = Buffer.from(tag)
      const expected = Buffer.from(mac(window))
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
  }
}
