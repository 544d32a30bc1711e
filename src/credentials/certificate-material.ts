/**
 * A certificate credential's key material, imported and checked once: the private key, the leaf
 * certificate and chain, and the JWS header every assertion will carry (thumbprints, `x5c`, `kid`).
 */
import { createHash, type KeyObject, type X509Certificate } from 'node:crypto'
import type { JWTHeaderParameters } from 'jose'
import { CredentialError } from '../errors.js'
import { checkChainOrder, checkRsaKey, checkValidity, leafFirst } from './certificate-checks.js'
import {
  CERTIFICATE_FILE_KEY_HINT,
  type CertificateInput,
  holdsOnlyCertificates,
  type ImportedKey,
  importCertificates,
  importPrivateKey,
  type PrivateKeyInput,
} from './key-material.js'

/**
 * The JWS algorithms a client assertion may be signed with.
 *
 * @example
 * ```ts
 * const algorithm: AssertionAlgorithm = 'RS256' // for ADFS and older servers
 * ```
 */
export type AssertionAlgorithm = 'PS256' | 'RS256'

/**
 * How assertions are signed and what their header carries.
 *
 * @example
 * ```ts
 * const settings: SigningSettings = { algorithm: 'PS256', sendCertificateChain: true, keyId: undefined }
 * ```
 */
export interface SigningSettings {
  /** @defaultValue 'PS256' */
  readonly algorithm: AssertionAlgorithm
  /** Send the chain as `x5c` (subject name / issuer authentication). */
  readonly sendCertificateChain: boolean
  /** A `kid` header, for servers that look keys up by id. */
  readonly keyId: string | undefined
}

/**
 * Checked key material, ready to sign with.
 *
 * @example
 * ```ts
 * const loaded: LoadedCertificate = loadCertificate({ privateKey, certificate }, settings, Date.now())
 * loaded.thumbprintSha1Hex // as the Entra portal shows it
 * ```
 */
export interface LoadedCertificate {
  readonly key: KeyObject
  readonly leaf: X509Certificate
  /** The leaf and the rest of its chain, leaf first (what a TLS handshake presents). */
  readonly chain: readonly X509Certificate[]
  /** The protected header of every assertion (without per-request claims). */
  readonly header: Readonly<JWTHeaderParameters>
  /** The leaf's SHA-1 thumbprint in hex, as the Entra portal shows it. */
  readonly thumbprintSha1Hex: string
  /** The leaf's `notAfter`, epoch ms. */
  readonly expiresAt: number
  /** Days to expiry when under 30 (a warning is due), else undefined. */
  readonly expiresInDays: number | undefined
}

/**
 * A key and certificate given as values.
 *
 * @example
 * ```ts
 * const source: CertificateSource = { privateKey: readFileSync('client.pfx'), passphrase: 'secret' }
 * ```
 */
export interface CertificateSource {
  readonly privateKey: PrivateKeyInput
  readonly certificate?: CertificateInput | undefined
  readonly passphrase?: string | undefined
}

/**
 * Imports and checks `source` at `now` (epoch ms). Throws {@link CredentialError}.
 *
 * @example
 * ```ts
 * const loaded = loadCertificate({ privateKey, certificate }, { algorithm: 'PS256', sendCertificateChain: false, keyId: undefined }, Date.now())
 * ```
 */
export function loadCertificate(
  source: CertificateSource,
  settings: SigningSettings,
  now: number,
): LoadedCertificate {
  const imported = importPrivateKey(source.privateKey, source.passphrase)
  if (source.certificate !== undefined) {
    const certificates = importCertificates(source.certificate)
    return prepare({ key: imported.key, certificates, fromPkcs12: false }, settings, now)
  }
  if (imported.certificates.length === 0) {
    throw new CredentialError('no certificate: privateKey holds only a key.', {
      hint: 'Give certificate too (PEM or DER), or a PEM holding key and certificate, or a PKCS#12 file.',
    })
  }
  return prepare(imported, settings, now)
}

/**
 * Imports and checks the contents of a certificate file (PEM with key and certificate, or PKCS#12).
 *
 * @example
 * ```ts
 * const loaded = loadCertificateFile(readFileSync(path), passphrase, settings, Date.now())
 * ```
 */
export function loadCertificateFile(
  contents: Buffer,
  passphrase: string | undefined,
  settings: SigningSettings,
  now: number,
): LoadedCertificate {
  if (holdsOnlyCertificates(contents)) {
    throw new CredentialError('holds a certificate but no private key.', { hint: CERTIFICATE_FILE_KEY_HINT })
  }
  const imported = importPrivateKey(contents, passphrase)
  if (imported.certificates.length === 0) {
    throw new CredentialError('the file holds a private key but no certificate: it must hold both.', {
      hint: 'Append the certificate PEM to the key PEM (cat key.pem cert.pem > combined.pem), or use a PKCS#12 file.',
    })
  }
  return prepare(imported, settings, now)
}

function prepare(imported: ImportedKey, settings: SigningSettings, now: number): LoadedCertificate {
  checkRsaKey(imported.key)
  const chain = leafFirst(imported.key, imported.certificates, imported.fromPkcs12)
  const leaf = chain[0] as X509Certificate
  const { expiresInDays } = checkValidity(leaf, now)
  if (settings.sendCertificateChain) checkChainOrder(chain)
  return {
    key: imported.key,
    leaf,
    chain: Object.freeze([...chain]),
    header: assertionHeader(chain, settings),
    thumbprintSha1Hex: createHash('sha1').update(leaf.raw).digest('hex').toUpperCase(),
    expiresAt: leaf.validToDate.getTime(),
    expiresInDays,
  }
}

/**
 * The protected header: `alg`, `typ`, the thumbprint that goes with `alg` (`x5t#S256` with PS256,
 * `x5t` with RS256), `x5c` (standard base64 DER, leaf first) when asked, and `kid` when given.
 */
function assertionHeader(chain: readonly X509Certificate[], settings: SigningSettings): JWTHeaderParameters {
  const leaf = chain[0] as X509Certificate
  const header: JWTHeaderParameters = { alg: settings.algorithm, typ: 'JWT' }
  if (settings.algorithm === 'PS256') header['x5t#S256'] = thumbprint('sha256', leaf)
  else header.x5t = thumbprint('sha1', leaf)
  if (settings.sendCertificateChain) header.x5c = chain.map((c) => c.raw.toString('base64'))
  if (settings.keyId !== undefined) header.kid = settings.keyId
  return Object.freeze(header)
}

function thumbprint(hash: 'sha1' | 'sha256', certificate: X509Certificate): string {
  return createHash(hash).update(certificate.raw).digest('base64url')
}
