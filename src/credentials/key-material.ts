/**
 * Turns what a caller gives for a certificate credential (PEM text, DER or PKCS#12 bytes, a
 * `KeyObject`, an `X509Certificate`) into a private `KeyObject` and `X509Certificate`s, once. Error
 * messages say what to fix and never quote the key, the file contents or the passphrase.
 */
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto'
import { CredentialError } from '../errors.js'
import { looksLikePkcs12, Pkcs12Error, REEXPORT_HINT, readPkcs12 } from './pkcs12.js'

/**
 * A private key: PEM text (PKCS#8, PKCS#1, encrypted PKCS#8), DER or PKCS#12 bytes, or a `KeyObject`.
 *
 * @example
 * ```ts
 * const key: PrivateKeyInput = readFileSync('key.pem', 'utf8')
 * ```
 */
export type PrivateKeyInput = string | Uint8Array | KeyObject

/**
 * One certificate (PEM text, DER bytes, `X509Certificate`), PEM text holding a chain, or a list.
 *
 * @example
 * ```ts
 * const chain: CertificateInput = [readFileSync('leaf.pem', 'utf8'), readFileSync('ca.cer')]
 * ```
 */
export type CertificateInput =
  | string
  | Uint8Array
  | X509Certificate
  | ReadonlyArray<string | Uint8Array | X509Certificate>

/**
 * A private key and the certificates that came with it (from a combined PEM or a PKCS#12 file).
 *
 * @example
 * ```ts
 * const { key, certificates }: ImportedKey = importPrivateKey(readFileSync('client.pfx'), 'passphrase')
 * ```
 */
export interface ImportedKey {
  readonly key: KeyObject
  readonly certificates: readonly X509Certificate[]
  /** Whether the certificates came from PKCS#12 (unordered bags) rather than ordered PEM. */
  readonly fromPkcs12: boolean
}

const PUBLIC_HALF = 'A .cer or .crt file (what the app registration holds) is the public half only.'
const KEY_VALUE_HINT = `Give the private key (PEM with BEGIN PRIVATE KEY, or a PKCS#12 file) as privateKey and the certificate beside it: certificate: { privateKey: keyPem, certificate: certPem }. ${PUBLIC_HALF}`
const PKCS12_KEY_HINT =
  "Export it again with its private key (Windows: 'Yes, export the private key'), or build one: openssl pkcs12 -export -inkey client.key.pem -in client.cert.pem -out client.pfx."

/**
 * What to do when a certificate file holds no private key.
 *
 * @example
 * ```ts
 * new CredentialError('holds a certificate but no private key.', { hint: CERTIFICATE_FILE_KEY_HINT })
 * ```
 */
export const CERTIFICATE_FILE_KEY_HINT = `certificatePath needs the private key too: put both in one PEM (cat client.key.pem client.cert.pem > client.pem), or export a PKCS#12 file with the key (openssl pkcs12 -export -inkey client.key.pem -in client.cert.pem -out client.pfx). ${PUBLIC_HALF}`

const PEM_KEY = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

/**
 * Reads a private key (and any certificates beside it) from `input`.
 *
 * @example
 * ```ts
 * const { key, certificates } = importPrivateKey(readFileSync('client.pfx'), process.env.PFX_PASSWORD)
 * ```
 */
export function importPrivateKey(input: PrivateKeyInput, passphrase: string | undefined): ImportedKey {
  if (input instanceof KeyObject) {
    if (input.type !== 'private') {
      throw new CredentialError(`privateKey is a ${input.type} KeyObject: give the private key.`)
    }
    return { key: input, certificates: [], fromPkcs12: false }
  }
  const bytes =
    typeof input === 'string' ? undefined : Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  const text = typeof input === 'string' ? input : pemText(bytes as Buffer)
  if (text !== undefined) return importPem(text, passphrase)
  const der = bytes as Buffer
  if (looksLikePkcs12(der)) return importPkcs12(der, passphrase)
  return { key: importDerKey(der, passphrase), certificates: [], fromPkcs12: false }
}

/**
 * Whether `input` holds one or more certificates and no private key: PEM certificate blocks without a
 * key block, or the DER of a certificate.
 *
 * @example
 * ```ts
 * holdsOnlyCertificates(readFileSync('client.cer')) // true: the public half only
 * ```
 */
export function holdsOnlyCertificates(input: string | Uint8Array): boolean {
  const bytes =
    typeof input === 'string' ? undefined : Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  const text = typeof input === 'string' ? input : pemText(bytes as Buffer)
  if (text !== undefined) return !/PRIVATE KEY-----/.test(text) && /-----BEGIN CERTIFICATE-----/.test(text)
  const der = bytes as Buffer
  if (looksLikePkcs12(der)) return false
  try {
    new X509Certificate(der)
    return true
  } catch {
    return false
  }
}

/**
 * Reads certificates, in the order given.
 *
 * @example
 * ```ts
 * const chain = importCertificates(readFileSync('chain.pem', 'utf8')) // leaf first
 * ```
 */
export function importCertificates(input: CertificateInput): X509Certificate[] {
  const list = Array.isArray(input) ? input : [input as string | Uint8Array | X509Certificate]
  const out = list.flatMap((item) => importCertificateItem(item))
  if (out.length === 0)
    throw new CredentialError('certificate holds no certificate: give PEM text or DER bytes.')
  return out
}

function importCertificateItem(item: string | Uint8Array | X509Certificate): X509Certificate[] {
  if (item instanceof X509Certificate) return [item]
  const text =
    typeof item === 'string' ? item : pemText(Buffer.from(item.buffer, item.byteOffset, item.byteLength))
  if (text !== undefined) {
    const blocks = pemCertificates(text)
    if (blocks.length === 0) {
      throw new CredentialError('certificate holds no "BEGIN CERTIFICATE" PEM block.', {
        hint: 'Give the certificate as PEM text or DER bytes (not a path: use certificatePath for a file).',
      })
    }
    return blocks
  }
  return [parseCertificate(item as Uint8Array)]
}

/**
 * The certificates in PEM `text`, in order.
 *
 * @example
 * ```ts
 * pemCertificates(readFileSync('chain.pem', 'utf8')).length // 2
 * ```
 */
export function pemCertificates(text: string): X509Certificate[] {
  return [...text.matchAll(PEM_CERTIFICATE)].map((match) => parseCertificate(match[0]))
}

function parseCertificate(value: string | Uint8Array): X509Certificate {
  try {
    return new X509Certificate(value)
  } catch (error) {
    throw new CredentialError('certificate is not a valid X.509 certificate (PEM or DER).', { cause: error })
  }
}

/** `bytes` as text when they are PEM (start with "-----BEGIN", after whitespace), else undefined. */
function pemText(bytes: Buffer): string | undefined {
  const head = bytes
    .subarray(0, 64)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
  return head.startsWith('-----BEGIN') ? bytes.toString('utf8') : undefined
}

function importPem(text: string, passphrase: string | undefined): ImportedKey {
  const block = PEM_KEY.exec(text)
  if (block === null && holdsOnlyCertificates(text)) {
    throw new CredentialError('privateKey holds a certificate but no private key.', { hint: KEY_VALUE_HINT })
  }
  if (block === null) {
    throw new CredentialError('privateKey holds no "BEGIN PRIVATE KEY" PEM block.', {
      hint: text.includes('-----BEGIN')
        ? 'Give the private key (PKCS#8 or PKCS#1 PEM), not only the certificate.'
        : 'Give the PEM text of the key (not a path: use certificatePath for a file).',
    })
  }
  const key = createKey({ key: block[0], format: 'pem', ...withPassphrase(passphrase) }, passphrase)
  return { key, certificates: pemCertificates(text), fromPkcs12: false }
}

function importDerKey(der: Buffer, passphrase: string | undefined): KeyObject {
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type, ...withPassphrase(passphrase) })
    } catch (error) {
      if (isPassphraseProblem(error)) throw passphraseError(passphrase)
    }
  }
  if (holdsOnlyCertificates(der)) {
    throw new CredentialError('privateKey holds a certificate but no private key.', { hint: KEY_VALUE_HINT })
  }
  throw new CredentialError('privateKey is neither PEM, a PKCS#8 or PKCS#1 DER key, nor a PKCS#12 file.')
}

function importPkcs12(der: Buffer, passphrase: string | undefined): ImportedKey {
  let contents: ReturnType<typeof readPkcs12>
  try {
    contents = readPkcs12(der, passphrase ?? '')
  } catch (error) {
    if (!(error instanceof Pkcs12Error)) throw error
    throw new CredentialError(error.message, {
      hint:
        error.reason === 'legacy'
          ? REEXPORT_HINT
          : error.reason === 'password'
            ? 'Check passphrase (AZURE_CLIENT_CERTIFICATE_PASSWORD).'
            : undefined,
    })
  }
  const [first] = contents.keys
  if (first === undefined) {
    const what = contents.certificates.length > 0 ? 'a certificate but no private key' : 'no private key'
    throw new CredentialError(`the PKCS#12 file holds ${what}.`, { hint: PKCS12_KEY_HINT })
  }
  if (contents.keys.length > 1) {
    throw new CredentialError(
      `the PKCS#12 file holds ${contents.keys.length} private keys: it must hold exactly one.`,
    )
  }
  const key = createKey({ key: first, format: 'der', type: 'pkcs8' }, undefined)
  return { key, certificates: contents.certificates.map(parseCertificate), fromPkcs12: true }
}

type KeyOptions = Parameters<typeof createPrivateKey>[0] & object

function createKey(options: KeyOptions, passphrase: string | undefined): KeyObject {
  try {
    return createPrivateKey(options)
  } catch (error) {
    if (isPassphraseProblem(error)) throw passphraseError(passphrase)
    throw new CredentialError('privateKey could not be read as a private key (PKCS#8 or PKCS#1).', {
      cause: sanitized(error),
    })
  }
}

function passphraseError(passphrase: string | undefined): CredentialError {
  const padded = passphrase !== undefined && passphrase.trim() !== passphrase
  return new CredentialError(
    passphrase === undefined
      ? 'the private key is encrypted: give passphrase.'
      : 'the passphrase is wrong for the encrypted private key.',
    {
      hint: padded
        ? 'Check passphrase (AZURE_CLIENT_CERTIFICATE_PASSWORD): it starts or ends with whitespace; if it was read from a file, trim the newline.'
        : 'Check passphrase (AZURE_CLIENT_CERTIFICATE_PASSWORD).',
    },
  )
}

function withPassphrase(passphrase: string | undefined): { passphrase?: string } {
  return passphrase === undefined ? {} : { passphrase }
}

const PASSPHRASE_CODES = new Set([
  'ERR_MISSING_PASSPHRASE',
  'ERR_OSSL_BAD_DECRYPT',
  'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED',
  'ERR_OSSL_EVP_BAD_DECRYPT',
])

function isPassphraseProblem(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown }
  return (
    (typeof code === 'string' && PASSPHRASE_CODES.has(code)) ||
    (typeof message === 'string' && /bad decrypt|interrupted or cancelled/i.test(message))
  )
}

/** A node:crypto error reduced to its code and message (no input echoed). */
function sanitized(error: unknown): Error {
  const { code, message } = error as { code?: unknown; message?: unknown }
  const out = new Error(typeof message === 'string' ? message : 'key import failed')
  if (typeof code === 'string') Object.assign(out, { code })
  return out
}
