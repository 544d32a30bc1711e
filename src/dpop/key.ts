/**
 * The DPoP key of a client (RFC 9449 §2, docs/sender-constrained.md): generated in process by default,
 * or the user's own. The private half is held as a non-extractable `CryptoKey` in a private field: it
 * is never exported, serialised, printed or written to a store; only the public JWK and its RFC 7638
 * thumbprint (`cnf.jkt`) leave this file.
 */
import { createHash, createPublicKey, generateKeyPairSync, KeyObject, type webcrypto } from 'node:crypto'
import type { CryptoKey, JWK } from 'jose'
import { ConfigurationError } from '../errors.js'
import { REDACTED, redactInstances } from '../redact.js'

/**
 * The proof algorithms a client may use: ES256 (the default), PS256, RS256 and EdDSA (Ed25519).
 *
 * @example
 * ```ts
 * const alg: DpopAlgorithm = 'EdDSA'
 * ```
 */
export type DpopAlgorithm = 'ES256' | 'PS256' | 'RS256' | 'EdDSA'

/**
 * The algorithms, in the order documented.
 *
 * @example
 * ```ts
 * DPOP_CLIENT_ALGORITHMS.includes('EdDSA') // true
 * ```
 */
export const DPOP_CLIENT_ALGORITHMS: readonly DpopAlgorithm[] = ['ES256', 'PS256', 'RS256', 'EdDSA']

/**
 * A DPoP key the user brings: a private `KeyObject`, or a Web Crypto key pair.
 *
 * @example
 * ```ts
 * import { generateKeyPairSync } from 'node:crypto'
 * const key: DpopKeyInput = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
 * ```
 */
export type DpopKeyInput = KeyObject | webcrypto.CryptoKeyPair

const IMPORT: Record<
  DpopAlgorithm,
  webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm
> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
}

/**
 * A DPoP key pair: its algorithm, public JWK and thumbprint. The private key is reachable only
 * through {@link DpopKey.signingKey}, which the proof builder alone calls.
 *
 * @example
 * ```ts
 * const key = createDpopKey({ algorithm: 'ES256' })
 * key.thumbprint // the token's cnf.jkt
 * ```
 */
export class DpopKey {
  readonly algorithm: DpopAlgorithm
  /** The public key as a JWK (`kty`, `crv`/`x`/`y` or `n`/`e`): what a proof's header carries. */
  readonly publicJwk: Readonly<JWK>
  /** The RFC 7638 SHA-256 thumbprint of the public key (base64url): a bound token's `cnf.jkt`. */
  readonly thumbprint: string
  readonly #signingKey: CryptoKey

  constructor(algorithm: DpopAlgorithm, publicKey: KeyObject, signingKey: CryptoKey) {
    this.algorithm = algorithm
    this.publicJwk = Object.freeze(publicJwkOf(publicKey))
    this.thumbprint = jwkThumbprint(this.publicJwk)
    this.#signingKey = signingKey
    Object.freeze(this)
  }

  /** The non-extractable private key, for the proof builder. */
  signingKey(): CryptoKey {
    return this.#signingKey
  }
}
redactInstances(DpopKey, (k) => ({ algorithm: k.algorithm, thumbprint: k.thumbprint, privateKey: REDACTED }))

/**
 * The client's DPoP key: `key` when given (its algorithm checked against the key, or inferred from
 * it), else a new key pair for `algorithm` (ES256 by default), generated in process.
 *
 * @example
 * ```ts
 * createDpopKey({}).algorithm // 'ES256'
 * ```
 */
export function createDpopKey(options: {
  key?: DpopKeyInput | undefined
  algorithm?: DpopAlgorithm | undefined
}): DpopKey {
  if (options.key === undefined) return generated(options.algorithm ?? 'ES256')
  if (options.key instanceof KeyObject) return fromKeyObject(options.key, options.algorithm)
  return fromKeyPair(options.key, options.algorithm)
}

function generated(algorithm: DpopAlgorithm): DpopKey {
  const { privateKey, publicKey } =
    algorithm === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : algorithm === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 })
  return new DpopKey(algorithm, publicKey, toSigningKey(privateKey, algorithm))
}

function fromKeyObject(key: KeyObject, requested: DpopAlgorithm | undefined): DpopKey {
  if (key.type !== 'private') {
    throw keyError('is a public key: give the private KeyObject (its public half is derived from it)')
  }
  const algorithm = algorithmFor(key, requested)
  return new DpopKey(algorithm, createPublicKey(key), toSigningKey(key, algorithm))
}

function fromKeyPair(pair: webcrypto.CryptoKeyPair, requested: DpopAlgorithm | undefined): DpopKey {
  if (pair?.privateKey?.type !== 'private' || pair.publicKey?.type !== 'public') {
    throw keyError('must be a private KeyObject or a CryptoKeyPair ({ privateKey, publicKey })')
  }
  const publicKey = KeyObject.from(pair.publicKey)
  const algorithm = algorithmFor(publicKey, requested)
  if (!pair.privateKey.usages.includes('sign'))
    throw keyError("is a CryptoKeyPair whose privateKey cannot 'sign'")
  return new DpopKey(algorithm, publicKey, pair.privateKey as CryptoKey)
}

/** The algorithm for a key: the one asked for when the key fits it, else the key's natural one. */
function algorithmFor(key: KeyObject, requested: DpopAlgorithm | undefined): DpopAlgorithm {
  const type = key.asymmetricKeyType
  const curve = key.asymmetricKeyDetails?.namedCurve
  const fits: readonly DpopAlgorithm[] =
    type === 'ec' && curve === 'prime256v1'
      ? ['ES256']
      : type === 'ed25519'
        ? ['EdDSA']
        : type === 'rsa'
          ? ['PS256', 'RS256']
          : []
  if (fits.length === 0) {
    throw keyError(
      `is a ${type ?? 'non-asymmetric'}${curve ? ` ${curve}` : ''} key: use EC P-256, RSA or Ed25519`,
    )
  }
  if (requested === undefined) return fits[0] as DpopAlgorithm
  if (!fits.includes(requested)) {
    throw new ConfigurationError(
      'dpop.algorithm',
      `${requested} does not fit the key given (${fits.join(' or ')} does)`,
      {
        hint: `Set dpop.algorithm to ${fits.join(' or ')}, or leave it out to use the key's own.`,
      },
    )
  }
  return requested
}

function toSigningKey(key: KeyObject, algorithm: DpopAlgorithm): CryptoKey {
  return key.toCryptoKey(IMPORT[algorithm], false, ['sign']) as CryptoKey
}

function publicJwkOf(key: KeyObject): JWK {
  const { kty, crv, x, y, n, e } = key.export({ format: 'jwk' })
  const members: Record<string, string | undefined> = { kty, crv, x, y, n, e }
  return Object.fromEntries(Object.entries(members).filter(([, v]) => typeof v === 'string')) as JWK
}

/**
 * RFC 7638: the SHA-256 of the required members, in lexicographic order, without white space.
 *
 * @example
 * ```ts
 * jwkThumbprint({ kty: 'EC', crv: 'P-256', x: '…', y: '…' }) // the cnf.jkt of a token bound to that key
 * ```
 */
export function jwkThumbprint(jwk: Readonly<JWK>): string {
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : jwk.kty === 'RSA'
        ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
        : { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url')
}

function keyError(problem: string): ConfigurationError {
  return new ConfigurationError('dpop.key', problem, {
    hint: 'Leave dpop.key out to have a key generated in process (recommended), or pass a private KeyObject or a CryptoKeyPair.',
  })
}
