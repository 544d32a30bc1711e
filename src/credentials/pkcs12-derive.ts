/**
 * The key derivations a PKCS#12 file asks for, bounded and runnable off the event loop. A file names
 * its own iteration counts, so a hostile or odd file could ask for minutes of work: each derivation
 * and the file's total are capped at what real files use, before any work is done. The reader asks a
 * {@link Deriver} for each key; {@link deriveOffLoop} computes the same keys on libuv's thread pool
 * (PBKDF2) or a slice per event-loop turn (the PKCS#12 KDF), and {@link withDerivedKeys} hands them
 * to a synchronous read, which then derives nothing.
 */
import { createHash, pbkdf2, pbkdf2Sync } from 'node:crypto'
import { Pkcs12WorkError } from './pkcs12-error.js'
import { type Pkcs12KdfInput, pkcs12Kdf, pkcs12KdfSliced } from './pkcs12-kdf.js'

/** One key a PKCS#12 file needs: PBKDF2 (PBES2 encryption) or the PKCS#12 KDF (MAC, 3DES). */
export type DerivationRequest =
  | { kdf: 'pbkdf2'; hash: string; password: Buffer; salt: Buffer; iterations: number; length: number }
  | ({ kdf: 'pkcs12' } & Pkcs12KdfInput)

/**
 * The work a PKCS#12 file may ask for. Real files: OpenSSL 3 writes 2,048 iterations, Windows 2,000,
 * Java's keytool 10,000; hardened exports go to 100,000 (MAC) and 600,000 (PBKDF2, OWASP's figure).
 * A real file needs three derivations (MAC, certificates, key); 3DES needs two per encrypted item.
 *
 * @example
 * ```ts
 * PKCS12_LIMITS.pbkdf2Iterations // 1_000_000
 * ```
 */
export const PKCS12_LIMITS = {
  /** Per PBKDF2 derivation (native code). */
  pbkdf2Iterations: 1_000_000,
  /** Per PKCS#12 KDF derivation (MAC and 3DES: a hash chain in JavaScript). */
  kdfIterations: 200_000,
  /** Every derivation of one file together. */
  totalIterations: 2_000_000,
  /** Bags and content infos of one file. */
  bags: 256,
} as const

/** How to replace a file that asks for too much. */
const REEXPORT =
  'Re-export it with the default 2,048 iterations: `openssl pkcs12 -in old.pfx -nodes -out tmp.pem` then ' +
  '`openssl pkcs12 -export -in tmp.pem -out new.pfx` (delete tmp.pem afterwards).'

/** Keys derived beforehand, by request. */
export type DerivedKeys = ReadonlyMap<string, Buffer>

/** Thrown by a collecting {@link Deriver} for a key not derived yet (never leaves this module's users). */
export class PendingDerivation extends Error {
  readonly request: DerivationRequest
  constructor(request: DerivationRequest) {
    super('a PKCS#12 key derivation is pending')
    this.request = request
  }
}

/** Keys handed to the next synchronous reads (set by {@link withDerivedKeys} for their duration). */
let handedKeys: DerivedKeys | undefined

/**
 * Runs `read` (synchronous) with `keys` derived beforehand: a derivation found among them is not
 * run again.
 *
 * @example
 * ```ts
 * const keys = await preparePkcs12(bytes, passphrase)
 * const contents = withDerivedKeys(keys, () => readPkcs12(bytes, passphrase))
 * ```
 */
export function withDerivedKeys<T>(keys: DerivedKeys | undefined, read: () => T): T {
  const previous = handedKeys
  handedKeys = keys
  try {
    return read()
  } finally {
    handedKeys = previous
  }
}

/**
 * Derives the keys one read of one file asks for, within {@link PKCS12_LIMITS}. With `collecting`,
 * a key not among `known` is not derived: {@link PendingDerivation} is thrown instead.
 *
 * @example
 * ```ts
 * const deriver = new Deriver()
 * const key = deriver.derive({ kdf: 'pbkdf2', hash: 'sha256', password, salt, iterations: 2048, length: 32 })
 * ```
 */
export class Deriver {
  readonly #known: DerivedKeys | undefined
  readonly #collecting: boolean
  #spent = 0
  #bags = 0

  constructor(options: { known?: DerivedKeys | undefined; collecting?: boolean } = {}) {
    this.#known = options.known ?? handedKeys
    this.#collecting = options.collecting ?? false
  }

  /** The key `request` describes; throws a {@link Pkcs12WorkError} when it asks for too much. */
  derive(request: DerivationRequest): Buffer {
    this.#charge(request)
    const known = this.#known?.get(requestKey(request))
    if (known !== undefined) return known
    if (this.#collecting) throw new PendingDerivation(request)
    if (request.kdf === 'pbkdf2') {
      const { password, salt, iterations, length, hash } = request
      return pbkdf2Sync(password, salt, iterations, length, hash)
    }
    const { hash, password, salt, iterations, id, length } = request
    return pkcs12Kdf(hash, password, salt, iterations, id, length)
  }

  /** Counts one more bag (or content info); throws past {@link PKCS12_LIMITS}.bags. */
  countBag(): void {
    if (++this.#bags > PKCS12_LIMITS.bags) {
      throw tooMuch(
        `the PKCS#12 file holds more than ${format(PKCS12_LIMITS.bags)} bags; real files hold a key and a few certificates.`,
      )
    }
  }

  #charge(request: DerivationRequest): void {
    const { iterations } = request
    const limit = request.kdf === 'pbkdf2' ? PKCS12_LIMITS.pbkdf2Iterations : PKCS12_LIMITS.kdfIterations
    const what = request.kdf === 'pbkdf2' ? 'PBKDF2' : 'the PKCS#12 key derivation (MAC, 3DES)'
    if (iterations > limit) {
      throw tooMuch(
        `the PKCS#12 file asks for ${format(iterations)} iterations of ${what}; real files use 2,000 to 100,000 (OpenSSL 2,048), and at most ${format(limit)} are run, so that loading a file cannot stall the process.`,
      )
    }
    this.#spent += iterations
    if (this.#spent > PKCS12_LIMITS.totalIterations) {
      throw tooMuch(
        `the PKCS#12 file asks for more than ${format(PKCS12_LIMITS.totalIterations)} iterations in all; a real file needs three derivations of a few thousand.`,
      )
    }
  }
}

/**
 * Derives `request` off the event loop: PBKDF2 on libuv's thread pool, the PKCS#12 KDF a slice per
 * turn.
 *
 * @example
 * ```ts
 * const key = await deriveOffLoop(pending.request)
 * ```
 */
export function deriveOffLoop(request: DerivationRequest): Promise<Buffer> {
  if (request.kdf === 'pkcs12') return pkcs12KdfSliced(request)
  const { password, salt, iterations, length, hash } = request
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, length, hash, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

/**
 * The table key of a request: a digest of every input (the password included, so that the digest,
 * not the password, is what the table holds).
 *
 * @example
 * ```ts
 * keys.set(requestKey(pending.request), await deriveOffLoop(pending.request))
 * ```
 */
export function requestKey(request: DerivationRequest): string {
  const id = request.kdf === 'pkcs12' ? request.id : 0
  return createHash('sha256')
    .update(`${request.kdf}\0${request.hash}\0${request.iterations}\0${request.length}\0${id}\0`)
    .update(request.salt)
    .update('\0')
    .update(request.password)
    .digest('base64url')
}

/** A file asking for more work than real files do: what, and how to re-export it. */
function tooMuch(message: string): Pkcs12WorkError {
  return new Pkcs12WorkError(`${message} ${REEXPORT}`)
}

function format(count: number): string {
  return count.toLocaleString('en-US')
}
