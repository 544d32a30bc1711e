/**
 * The `dpop` option of `createTokenVerifier`: how DPoP proofs are checked. DPoP-bound tokens are
 * checked with or without it (with these defaults); giving it also tells clients that the API speaks
 * DPoP: a request without a token is answered with a `DPoP algs="…"` challenge next to `Bearer`.
 */

import { z } from 'zod'
import type { DpopNonceSource } from './nonce.js'
import type { DpopReplayCache } from './replay-cache.js'

/**
 * The JWS algorithms a DPoP proof may be signed with: asymmetric only.
 *
 * @example
 * ```ts
 * createTokenVerifier({ issuer, jwksUri, audience, dpop: { algorithms: DPOP_ALGORITHMS.filter((a) => a.startsWith('ES')) } })
 * ```
 */
export const DPOP_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
  'Ed25519',
] as const
/**
 * One of {@link DPOP_ALGORITHMS}.
 *
 * @example
 * ```ts
 * const alg: DpopAlgorithm = 'ES256'
 * ```
 */
export type DpopAlgorithm = (typeof DPOP_ALGORITHMS)[number]

const isObjectWith = (value: unknown, methods: readonly string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  methods.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')

export const dpopOptionsSchema = z.strictObject({
  /** Accepted proof algorithms (the `algs` of the challenges). @defaultValue every one of {@link DPOP_ALGORITHMS} */
  algorithms: z
    .array(z.enum(DPOP_ALGORITHMS, { error: `must be one of ${DPOP_ALGORITHMS.join(', ')}` }))
    .min(1)
    .default([...DPOP_ALGORITHMS]),
  /** How old a proof may be (by its `iat`), in seconds; its `jti` is remembered that long. @defaultValue 300 */
  maxAgeSec: z.number().int().min(1).max(3600).default(300),
  /** How far in the future a proof's `iat` may be (client clock ahead), in seconds. @defaultValue 5 */
  clockToleranceSec: z.number().int().min(0).max(300).default(5),
  /**
   * Proofs remembered at most (least recently used evicted first): size it for requests per second ×
   * `maxAgeSec`. @defaultValue 50000
   */
  replayCacheSize: z.number().int().min(1).max(10_000_000).default(50_000),
  /** Where used proofs are remembered instead of memory (a cache shared by a fleet). */
  replayCache: z
    .custom<DpopReplayCache>((value) => isObjectWith(value, ['use']), {
      error: 'expected { use(id, expiresAt): boolean | Promise<boolean> }',
    })
    .optional(),
  /**
   * Require server nonces (RFC 9449 §9): `true` for the built-in rotating nonce, or your own
   * `{ current(), isValid(nonce) }` (see `createRotatingNonce`). @defaultValue no nonce
   */
  nonce: z
    .union(
      [z.literal(true), z.custom<DpopNonceSource>((value) => isObjectWith(value, ['current', 'isValid']))],
      { error: 'expected true or { current(): string, isValid(nonce): boolean }' },
    )
    .optional(),
})

/**
 * The `dpop` option, as written by the caller.
 *
 * @example
 * ```ts
 * const dpop: DpopOptions = { nonce: true, maxAgeSec: 120, replayCacheSize: 100_000 }
 * ```
 */
export type DpopOptions = z.input<typeof dpopOptionsSchema>
/** The `dpop` option after defaults. */
export type ParsedDpopOptions = z.output<typeof dpopOptionsSchema>
