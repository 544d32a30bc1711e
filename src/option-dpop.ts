/**
 * The schema of the `dpop` option (RFC 9449, docs/sender-constrained.md): `true`, or `{ key, algorithm }`.
 * Only the shape is checked here; whether the key fits the algorithm is checked when the key is read
 * (`src/dpop/key.ts`), with a `ConfigurationError` naming `dpop.key` or `dpop.algorithm`.
 */
import { KeyObject } from 'node:crypto'
import type { z } from 'zod'
import { DPOP_CLIENT_ALGORITHMS, type DpopAlgorithm, type DpopKeyInput } from './dpop/key.js'
import { lazySchema } from './validation/zod.js'

/** Why `dpop` is refused on an Entra client. */
export const DPOP_NEEDS_GENERIC =
  'is for a generic OAuth server (tokenEndpoint): Entra does not issue DPoP-bound tokens to confidential clients (its sender-constrained tokens are mTLS PoP)'

function isKeyInput(value: unknown): value is DpopKeyInput {
  if (value instanceof KeyObject) return true
  return typeof value === 'object' && value !== null && 'privateKey' in value && 'publicKey' in value
}

const dpopObjectSchema = lazySchema((z) =>
  z.strictObject({
    /** The private key (a `KeyObject`) or a Web Crypto key pair. @defaultValue a key generated in process */
    key: z
      .custom<DpopKeyInput>(
        isKeyInput,
        'must be a private KeyObject or a CryptoKeyPair ({ privateKey, publicKey })',
      )
      .optional(),
    /** The proof algorithm. @defaultValue 'ES256' (or the key's own) */
    algorithm: z.enum(DPOP_CLIENT_ALGORITHMS as [DpopAlgorithm, ...DpopAlgorithm[]]).optional(),
  }),
)

type DpopObjectInput = z.input<ReturnType<typeof dpopObjectSchema>>

/**
 * `dpop: true | { key?, algorithm? }`.
 *
 * @example
 * ```ts
 * dpopOptionSchema().parse({ algorithm: 'EdDSA' })
 * ```
 */
// not a z.union: its error for `{ algorithm: 'HS256' }` would be "expected true", naming neither field
export const dpopOptionSchema = lazySchema((z) =>
  z
    .custom<true | DpopObjectInput>(
      (value) => value === true || (typeof value === 'object' && value !== null && !Array.isArray(value)),
      'must be true or { key?, algorithm? } (to turn DPoP off, leave dpop out)',
    )
    .check((ctx) => {
      if (ctx.value === true) return
      const result = dpopObjectSchema().safeParse(ctx.value)
      for (const issue of result.error?.issues ?? []) {
        ctx.issues.push({ code: 'custom', input: undefined, message: issue.message, path: issue.path })
      }
    }),
)
