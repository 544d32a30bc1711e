/**
 * The DPoP key of a client (RFC 9449 §2, docs/sender-constrained.md §6): generated in process by
 * default, or the user's own. The private half is held in a private field (a `KeyObject`, or the user's
 * `CryptoKey`) and used only by {@link DpopKey.sign}: it is never exported, serialised, printed or
 * written to a store; only the public JWK and its RFC 7638 thumbprint (`cnf.jkt`) leave this file.
 * A `KeyObject` signs with `crypto.sign`, synchronously: about five times cheaper per proof than Web
 * Crypto's `subtle.sign` (the bench's DPoP row), which a `CryptoKeyPair` still uses.
 */
import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  type webcrypto,
} from 'node:crypto'
import type { JWK } from 'jose'
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

/** Web Crypto's signing parameters of each algorithm (JWS: ECDSA signatures are r‖s, as Web Crypto makes them). */
const WEB_SIGN: Record<
  DpopAlgorithm,
  webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams | webcrypto.RsaPssParams
> = {
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
  PS256: { name: 'RSA-PSS', saltLength: 32 },
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
  EdDSA: { name: 'Ed25519' },
}

type Signer = (data: Buffer) => Buffer | Promise<Buffer>

/**
 * A DPoP key pair: its algorithm, public JWK and thumbprint. The private key is reachable only
 * through {@link DpopKey.sign}, which the proof builder alone calls.
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
  readonly #sign: Signer

  constructor(algorithm: DpopAlgorithm, publicKey: KeyObject, privateKey: KeyObject | webcrypto.CryptoKey) {
    this.algorithm = algorithm
    this.publicJwk = Object.freeze(publicJwkOf(publicKey))
    this.thumbprint = jwkThumbprint(this.publicJwk)
    this.#sign = signerFor(algorithm, privateKey)
    Object.freeze(this)
  }

  /** The JWS signature of `signingInput` (`header.payload`), base64url: one signature. */
  async sign(signingInput: string): Promise<string> {
    return Buffer.from(await this.#sign(Buffer.from(signingInput, 'ascii'))).toString('base64url')
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
  return new DpopKey(algorithm, publicKey, privateKey)
}

function fromKeyObject(key: KeyObject, requested: DpopAlgorithm | undefined): DpopKey {
  if (key.type !== 'private') {
    throw keyError('is a public key: give the private KeyObject (its public half is derived from it)')
  }
  const algorithm = algorithmFor(key, requested)
  return new DpopKey(algorithm, createPublicKey(key), key)
}

function fromKeyPair(pair: webcrypto.CryptoKeyPair, requested: DpopAlgorithm | undefined): DpopKey {
  if (pair?.privateKey?.type !== 'private' || pair.publicKey?.type !== 'public') {
    throw keyError('must be a private KeyObject or a CryptoKeyPair ({ privateKey, publicKey })')
  }
  const publicKey = KeyObject.from(pair.publicKey)
  const algorithm = algorithmFor(publicKey, requested)
  if (!pair.privateKey.usages.includes('sign'))
    throw keyError("is a CryptoKeyPair whose privateKey cannot 'sign'")
  return new DpopKey(algorithm, publicKey, pair.privateKey)
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

/** The JWS signer of a private key: `crypto.sign` for a `KeyObject`, Web Crypto for a `CryptoKey`. */
function signerFor(algorithm: DpopAlgorithm, key: KeyObject | webcrypto.CryptoKey): Signer {
  if (!(key instanceof KeyObject)) {
    const params = WEB_SIGN[algorithm]
    return async (data) => Buffer.from(await globalThis.crypto.subtle.sign(params, key, data))
  }
  switch (algorithm) {
    case 'ES256':
      return (data) => sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
    case 'PS256':
      return (data) => sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    case 'RS256':
      return (data) => sign('sha256', data, key)
    case 'EdDSA':
      return (data) => sign(null, data, key)
  }
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
