/**
 * The token-signing keys of the local authority: one current key that signs, older keys still
 * published in the JWKS after a roll (as Entra keeps them during its rollover), `kid` = `x5t`.
 */
import type { JWK } from 'jose'
import { type GeneratedCertificate, generateCertificate } from '../x509/certificate.js'

/**
 * One signing key with its certificate.
 *
 * @example
 * ```ts
 * const { kid, certificate } = authority.signingKeys.current
 * ```
 */
export interface SigningKey {
  /** `kid` = `x5t`: base64url SHA-1 of the certificate DER. */
  kid: string
  certificate: GeneratedCertificate
}

/**
 * A published key, as the JWKS endpoint lists it.
 *
 * @example
 * ```ts
 * const { keys } = (await (await fetch(authority.jwksUrl(tenant))).json()) as { keys: PublishedJwk[] }
 * ```
 */
export interface PublishedJwk extends JWK {
  kty: string
  use: 'sig'
  kid: string
  x5t: string
  n: string
  e: string
  x5c: string[]
  issuer?: string
}

/**
 * The key ring.
 *
 * @example
 * ```ts
 * const ring: SigningKeyRing = authority.signingKeys
 * const old = ring.current.kid
 * await ring.roll()          // new key signs; the old one stays in the JWKS
 * ring.retire(old)           // …until retired
 * ```
 */
export class SigningKeyRing {
  #keys: SigningKey[]

  private constructor(first: SigningKey) {
    this.#keys = [first]
  }

  /** A ring with one fresh key. */
  static async create(): Promise<SigningKeyRing> {
    return new SigningKeyRing(await newSigningKey())
  }

  /** The key that signs new tokens. */
  get current(): SigningKey {
    const key = this.#keys.at(-1)
    if (!key) throw new Error('the signing key ring is empty')
    return key
  }

  /** `kid`s of every published key, oldest first. */
  get kids(): string[] {
    return this.#keys.map((key) => key.kid)
  }

  /** Makes a new key current; the previous keys stay published until {@link retire}d. */
  async roll(): Promise<SigningKey> {
    const key = await newSigningKey()
    this.#keys.push(key)
    return key
  }

  /** Stops publishing a key (by `kid`), or every key but the current one. The current key stays. */
  retire(kid?: string): void {
    const current = this.current
    this.#keys = this.#keys.filter((key) => key === current || (kid !== undefined && key.kid !== kid))
  }

  /** The JWKS document, each key with `issuer` when given (as the v2 keys endpoint does). */
  jwks(issuer?: string): { keys: PublishedJwk[] } {
    return { keys: this.#keys.map((key) => toJwk(key, issuer)) }
  }
}

async function newSigningKey(): Promise<SigningKey> {
  // Entra's signing certificates are self-issued with this subject.
  const certificate = await generateCertificate({
    commonName: 'accounts.accesscontrol.windows.net',
    validDays: 730,
  })
  return { kid: certificate.thumbprintSha1, certificate }
}

function toJwk(key: SigningKey, issuer: string | undefined): PublishedJwk {
  const exported = key.certificate.publicKey.export({ format: 'jwk' })
  const jwk: PublishedJwk = {
    kty: 'RSA',
    use: 'sig',
    kid: key.kid,
    x5t: key.kid,
    n: exported.n ?? '',
    e: exported.e ?? '',
    x5c: [key.certificate.der.toString('base64')],
  }
  if (issuer !== undefined) jwk.issuer = issuer
  return jwk
}
