/**
 * The PKCS#12 key derivation (RFC 7292 Appendix B.2), which derives the integrity MAC key and the
 * 3DES keys of a PKCS#12 file. node:crypto has no such KDF, so its hash chain runs in JavaScript: as
 * a generator that pauses every {@link KDF_SLICE} iterations, run to the end at once
 * ({@link pkcs12Kdf}) or a slice per event-loop turn ({@link pkcs12KdfSliced}).
 */
import { createHash } from 'node:crypto'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { Asn1Error } from './der.js'

/** Iterations between two pauses of the sliced derivation (a few milliseconds of hashing). */
export const KDF_SLICE = 1_000

/** Hash block sizes (bytes) for the PKCS#12 KDF. */
const BLOCK_BYTES: Readonly<Record<string, number>> = {
  sha1: 64,
  sha224: 64,
  sha256: 64,
  sha384: 128,
  sha512: 128,
}

/** What one PKCS#12 KDF run needs: `id` 1 key, 2 IV, 3 MAC key. */
export interface Pkcs12KdfInput {
  hash: string
  password: Buffer
  salt: Buffer
  iterations: number
  id: 1 | 2 | 3
  length: number
}

/**
 * The PKCS#12 key derivation, at once.
 *
 * @example
 * ```ts
 * const macKey = pkcs12Kdf('sha256', bmpPassword, salt, 2048, 3, 32)
 * ```
 */
export function pkcs12Kdf(
  hash: string,
  password: Buffer,
  salt: Buffer,
  iterations: number,
  id: 1 | 2 | 3,
  length: number,
): Buffer {
  const steps = kdfSteps({ hash, password, salt, iterations, id, length })
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
  }
}

/**
 * The PKCS#12 key derivation, one slice of {@link KDF_SLICE} iterations per event-loop turn: the
 * loop keeps serving while it runs.
 *
 * @example
 * ```ts
 * const macKey = await pkcs12KdfSliced({ hash: 'sha256', password, salt, iterations: 2048, id: 3, length: 32 })
 * ```
 */
export async function pkcs12KdfSliced(input: Pkcs12KdfInput): Promise<Buffer> {
  const steps = kdfSteps(input)
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
    await nextTurn()
  }
}

function* kdfSteps(input: Pkcs12KdfInput): Generator<void, Buffer, void> {
  const { hash, password, salt, iterations, id, length } = input
  const v = BLOCK_BYTES[hash]
  if (v === undefined) throw new Asn1Error(`no block size for ${hash}`)
  const fill = (source: Buffer) => {
    const out = Buffer.alloc(v * Math.ceil(source.length / v))
    for (let i = 0; i < out.length; i++) out[i] = source[i % source.length] ?? 0
    return out
  }
  const diversifier = Buffer.alloc(v, id)
  const block = Buffer.concat([fill(salt), fill(password)])
  const blocks: Buffer[] = []
  for (let produced = 0; produced < length; ) {
    let a = createHash(hash).update(diversifier).update(block).digest()
    for (let r = 1; r < iterations; r++) {
      a = createHash(hash).update(a).digest()
      if (r % KDF_SLICE === 0) yield
    }
    blocks.push(a)
    produced += a.length
    addToBlocks(block, fill(a), v)
  }
  return Buffer.concat(blocks).subarray(0, length)
}

/** I_j = (I_j + B + 1) mod 2^(8v), for each v-byte block of `input`, in place. */
function addToBlocks(input: Buffer, b: Buffer, v: number): void {
  for (let j = 0; j < input.length; j += v) {
    let carry = 1
    for (let k = v - 1; k >= 0; k--) {
      const sum = (input[j + k] ?? 0) + (b[k] ?? 0) + carry
      input[j + k] = sum & 0xff
      carry = sum >> 8
    }
  }
}
