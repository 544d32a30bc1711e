/**
 * `private_key_jwt` without a certificate (RFC 7523 §2.2, OpenID Connect Core §9): a bare key pair whose
 * public half the server registered as a JWK (Keycloak, Okta, Auth0, oidc-provider). RSA with RS256 or
 * PS256, EC P-256 with ES256, Ed25519 with EdDSA; a new assertion for every token request attempt.
 * Entra needs a certificate (docs/entra.md §4): the options refuse this kind there.
 */
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto'
import type { JWTHeaderParameters } from 'jose'
import { CredentialError } from '../errors.js'
import { REDACTED, redactInstances } from '../redact.js'
import { setClientAssertion, signClientAssertion } from './assertion-jwt.js'
import type { Credential, CredentialContext, CredentialRequest } from './credential.js'
import { importPrivateKey, type PrivateKeyInput } from './key-material.js'

/**
 * The algorithms a bare private key signs client assertions with.
 *
 * @example
 * ```ts
 * const algorithm: KeyAlgorithm = 'ES256' // an EC P-256 key
 * ```
 */
export type KeyAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA'

/**
 * A private key given as PEM text, DER bytes, a `KeyObject` or a private JWK.
 *
 * @example
 * ```ts
 * const key: SigningKeyInput = JSON.parse(readFileSync('client.jwk.json', 'utf8')) // { kty: 'EC', crv: 'P-256', d: …, x: …, y: … }
 * ```
 */
export type SigningKeyInput = PrivateKeyInput | JsonWebKey

/**
 * Options of {@link PrivateKeyCredential}.
 *
 * @example
 * ```ts
 * const options: PrivateKeyCredentialOptions = { privateKey: pem, keyId: 'client-key-1', algorithm: 'PS256' }
 * ```
 */
export interface PrivateKeyCredentialOptions {
  readonly privateKey: SigningKeyInput
  /** The `kid` header. @defaultValue the JWK's `kid`, if given as a JWK; else none */
  readonly keyId?: string | undefined
  /** @defaultValue RS256 for RSA, ES256 for EC P-256, EdDSA for Ed25519 */
  readonly algorithm?: KeyAlgorithm | undefined
  /** The assertion's `aud`. @defaultValue the token endpoint being called */
  readonly audience?: string | undefined
  /** The passphrase of an encrypted PEM or DER key. */
  readonly passphrase?: string | undefined
}

const MIN_RSA_BITS = 2048

/**
 * A bare private key signing `private_key_jwt` assertions. Prints and serialises with its algorithm
 * and key id, never its key.
 *
 * @example
 * ```ts
 * const credential = new PrivateKeyCredential({ privateKey: readFileSync('client-key.pem', 'utf8'), keyId: 'k1' })
 * credential.algorithm // 'ES256' for an EC P-256 key
 * ```
 */
export class PrivateKeyCredential implements Credential {
  readonly kind = 'private-key' as const
  readonly algorithm: KeyAlgorithm
  readonly keyId: string | undefined
  readonly audience: string | undefined
  readonly #signing: { readonly key: KeyObject; readonly header: Readonly<JWTHeaderParameters> }

  /** Imports and checks the key; throws `CredentialError` saying what to fix. */
  constructor(options: PrivateKeyCredentialOptions) {
    const key = importSigningKey(options.privateKey, options.passphrase)
    this.algorithm = algorithmFor(key, options.algorithm)
    this.keyId = options.keyId ?? jwkKeyId(options.privateKey)
    this.audience = options.audience
    const header: JWTHeaderParameters = { alg: this.algorithm, typ: 'JWT' }
    if (this.keyId !== undefined) header.kid = this.keyId
    this.#signing = { key, header: Object.freeze(header) }
  }

  async authenticate(request: CredentialRequest, ctx: CredentialContext): Promise<void> {
    const assertion = await signClientAssertion(this.#signing, {
      clientId: ctx.clientId,
      audience: this.audience ?? ctx.tokenEndpoint,
      now: ctx.clock.now(),
    })
    setClientAssertion(request.form, assertion)
  }
}
redactInstances(PrivateKeyCredential, (c) => ({
  kind: c.kind,
  algorithm: c.algorithm,
  keyId: c.keyId,
  privateKey: REDACTED,
}))

function isJwk(input: SigningKeyInput): input is JsonWebKey {
  return typeof input === 'object' && !(input instanceof Uint8Array) && 'kty' in input
}

function jwkKeyId(input: SigningKeyInput): string | undefined {
  return isJwk(input) && typeof input.kid === 'string' && input.kid !== '' ? input.kid : undefined
}

function importSigningKey(input: SigningKeyInput, passphrase: string | undefined): KeyObject {
  if (!isJwk(input)) return importPrivateKey(input, passphrase).key
  if (typeof input.d !== 'string') {
    throw new CredentialError('privateKey is a public JWK (no "d"): give the private key.', {
      hint: 'The server keeps the public JWK; the client signs with the private one (with its "d" member).',
    })
  }
  try {
    return createPrivateKey({ key: input, format: 'jwk' })
  } catch (error) {
    throw new CredentialError('privateKey is a JWK that cannot be imported as a private key.', {
      hint: 'Give an RSA, EC P-256 or Ed25519 private JWK (kty RSA, EC or OKP).',
      cause: error instanceof Error ? new Error(error.name) : undefined,
    })
  }
}

const ALGORITHMS_BY_KEY: Readonly<Record<string, readonly KeyAlgorithm[]>> = {
  rsa: ['RS256', 'PS256'],
  'rsa-pss': ['PS256'],
  ec: ['ES256'],
  ed25519: ['EdDSA'],
}

function algorithmFor(key: KeyObject, wanted: KeyAlgorithm | undefined): KeyAlgorithm {
  const type = key.asymmetricKeyType ?? 'unknown'
  const allowed = ALGORITHMS_BY_KEY[type]
  if (allowed === undefined || (type === 'ec' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')) {
    const what =
      type === 'ec' ? `EC ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim() : type.toUpperCase()
    throw new CredentialError(`the private key is ${what}: it cannot sign a client assertion here.`, {
      hint: 'Use an RSA (2048 bits or more), EC P-256 or Ed25519 key.',
    })
  }
  if (type.startsWith('rsa') && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw new CredentialError(
      `the RSA key has ${key.asymmetricKeyDetails?.modulusLength} bits: at least ${MIN_RSA_BITS} are required.`,
      {
        hint: 'Create a new RSA key of 2048 bits or more (or an EC P-256 key) and register its public JWK.',
      },
    )
  }
  const algorithm = wanted ?? (allowed[0] as KeyAlgorithm)
  if (!allowed.includes(algorithm)) {
    throw new CredentialError(
      `algorithm ${algorithm} does not fit the ${type.toUpperCase()} key: use ${allowed.join(' or ')}.`,
      {
        hint: 'Set algorithm to one the key type signs with, or omit it.',
      },
    )
  }
  return algorithm
}
