/**
 * The schema of the `dpop` option (RFC 9449, docs/sender-constrained.md): `true`, or `{ key, algorithm }`.
 * Only the shape is checked here; whether the key fits the algorithm is checked when the key is read
 * (`src/dpop/key.ts`), with a `ConfigurationError` naming `dpop.key` or `dpop.algorithm`.
 */
import { KeyObject } from 'node:crypto'
import { z } from 'zod'
import { DPOP_CLIENT_ALGORITHMS, type DpopAlgorithm, type DpopKeyInput } from './dpop/key.js'

function isKeyInput(value: unknown): value is DpopKeyInput {
  if (value instanceof KeyObject) return true
  return typeof value === 'object' && value !== null && 'privateKey' in value && 'publicKey' in value
}

/**
 * `dpop: true | { key?, algorithm? }`.
 *
 * @example
 * ```ts
 * dpopOptionSchema.parse({ algorithm: 'EdDSA' })
 * ```
 */
export const dpopOptionSchema = z.union([
  z.literal(true),
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
])
