/**
 * The password-based cryptography of PKCS#12 (RFC 7292, RFC 8018), on node:crypto: PBES2 (PBKDF2 +
 * AES-CBC or 3DES-CBC), the PKCS#12 3DES scheme, and MAC checking. Every key is asked of a
 * {@link Deriver}, which bounds the work and may have derived it off the event loop. The legacy RC2
 * and RC4 schemes are refused with the command that re-exports the file.
 */
import { createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { type Asn1, Asn1Error, child, octets, oid, parseAsn1, smallInt, TAG } from './der.js'
import { Deriver, PendingDerivation } from './pkcs12-derive.js'
import { Pkcs12Error, Pkcs12WorkError } from './pkcs12-error.js'

export { Pkcs12Error } from './pkcs12-error.js'
export { pkcs12Kdf } from './pkcs12-kdf.js'

/**
 * How to re-export a legacy file with modern encryption.
 *
 * @example
 * ```ts
 * throw new CredentialError(error.message, { hint: REEXPORT_HINT })
 * ```
 */
export const REEXPORT_HINT =
  'Re-export it with modern encryption (AES-256): `openssl pkcs12 -in old.pfx -legacy -nodes -out tmp.pem` then `openssl pkcs12 -export -in tmp.pem -out new.pfx` (delete tmp.pem afterwards); on Windows, export with "AES256-SHA256".'

const OID = {
  PBES2: '1.2.840.113549.1.5.13',
  PBKDF2: '1.2.840.113549.1.5.12',
  PBE_SHA1_3DES: '1.2.840.113549.1.12.1.3',
} as const

const LEGACY_PBE = new Map([
  ['1.2.840.113549.1.12.1.1', 'RC4-128'],
  ['1.2.840.113549.1.12.1.2', 'RC4-40'],
  ['1.2.840.113549.1.12.1.4', '2-key 3DES'],
  ['1.2.840.113549.1.12.1.5', 'RC2-128'],
  ['1.2.840.113549.1.12.1.6', 'RC2-40'],
])

const HMAC_PRF = new Map([
  ['1.2.840.113549.2.7', 'sha1'],
  ['1.2.840.113549.2.8', 'sha224'],
  ['1.2.840.113549.2.9', 'sha256'],
  ['1.2.840.113549.2.10', 'sha384'],
  ['1.2.840.113549.2.11', 'sha512'],
])

const DIGESTS = new Map([
  ['1.3.14.3.2.26', 'sha1'],
  ['2.16.840.1.101.3.4.2.4', 'sha224'],
  ['2.16.840.1.101.3.4.2.1', 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
])

const CIPHERS = new Map([
  ['2.16.840.1.101.3.4.1.2', { name: 'aes-128-cbc', keyLength: 16 }],
  ['2.16.840.1.101.3.4.1.22', { name: 'aes-192-cbc', keyLength: 24 }],
  ['2.16.840.1.101.3.4.1.42', { name: 'aes-256-cbc', keyLength: 32 }],
  ['1.2.840.113549.3.7', { name: 'des-ede3-cbc', keyLength: 24 }],
])

/**
 * Decrypts `data` encrypted under the AlgorithmIdentifier `algorithm` with `password`.
 *
 * @example
 * ```ts
 * const plain = pbeDecrypt(child(encryptedContentInfo, 1), octets(child(encryptedContentInfo, 2)), 'pass', new Deriver())
 * ```
 */
export function pbeDecrypt(algorithm: Asn1, data: Buffer, password: string, deriver: Deriver): Buffer {
  const id = oid(child(algorithm, 0, TAG.OID))
  const legacy = LEGACY_PBE.get(id)
  if (legacy !== undefined) {
    throw new Pkcs12Error(
      'legacy',
      `the PKCS#12 file is encrypted with the legacy ${legacy} scheme, which is refused.`,
    )
  }
  if (id === OID.PBES2) return pbes2Decrypt(child(algorithm, 1, TAG.SEQUENCE), data, password, deriver)
  if (id === OID.PBE_SHA1_3DES) {
    const params = child(algorithm, 1, TAG.SEQUENCE)
    const salt = octets(child(params, 0, TAG.OCTET_STRING))
    const iterations = iterationCount(child(params, 1))
    const base = { kdf: 'pkcs12', hash: 'sha1', password: bmpPassword(password), salt, iterations } as const
    const key = deriver.derive({ ...base, id: 1, length: 24 })
    const iv = deriver.derive({ ...base, id: 2, length: 8 })
    return decrypt('des-ede3-cbc', key, iv, data)
  }
  throw new Pkcs12Error('format', `the PKCS#12 file uses an unsupported encryption scheme (${id}).`)
}

function pbes2Decrypt(params: Asn1, data: Buffer, password: string, deriver: Deriver): Buffer {
  const kdf = child(params, 0, TAG.SEQUENCE)
  const scheme = child(params, 1, TAG.SEQUENCE)
  const cipher = CIPHERS.get(oid(child(scheme, 0)))
  if (cipher === undefined)
    throw new Pkcs12Error('format', 'the PKCS#12 file uses an unsupported PBES2 cipher.')
  const iv = octets(child(scheme, 1, TAG.OCTET_STRING))
  const key = pbkdf2(kdf, Buffer.from(password, 'utf8'), cipher.keyLength, deriver)
  return decrypt(cipher.name, key, iv, data)
}

/** PBKDF2 with the parameters of the AlgorithmIdentifier `kdf`. */
function pbkdf2(kdf: Asn1, password: Buffer, defaultKeyLength: number, deriver: Deriver): Buffer {
  if (oid(child(kdf, 0)) !== OID.PBKDF2) {
    throw new Pkcs12Error('format', 'the PKCS#12 file uses an unsupported key derivation (not PBKDF2).')
  }
  const params = child(kdf, 1, TAG.SEQUENCE)
  const salt = octets(child(params, 0, TAG.OCTET_STRING))
  const iterations = iterationCount(child(params, 1))
  let keyLength = defaultKeyLength
  let prf = 'sha1'
  for (const extra of params.children.slice(2)) {
    if (extra.tag === TAG.INTEGER) keyLength = smallInt(extra)
    else if (extra.tag === TAG.SEQUENCE) prf = HMAC_PRF.get(oid(child(extra, 0))) ?? ''
  }
  if (prf === '') throw new Pkcs12Error('format', 'the PKCS#12 file uses an unsupported PBKDF2 hash.')
  if (keyLength !== defaultKeyLength) {
    throw new Pkcs12Error('format', "the PKCS#12 file's PBKDF2 key length does not fit its cipher.")
  }
  return deriver.derive({ kdf: 'pbkdf2', hash: prf, password, salt, iterations, length: keyLength })
}

/** The largest INTEGER node's PBKDF2 takes (2^31 - 1); the real bounds are the Deriver's limits. */
const MAX_INT32 = 2 ** 31 - 1

/** An iteration count from the file: at least 1 (how many may run is the Deriver's to say). */
function iterationCount(node: Asn1): number {
  const iterations = smallInt(node)
  if (iterations < 1 || iterations > MAX_INT32) {
    throw new Pkcs12Error('format', `the PKCS#12 file's iteration count (${iterations}) is unusable.`)
  }
  return iterations
}

function decrypt(cipher: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  try {
    const decipher = createDecipheriv(cipher, key, iv)
    return Buffer.concat([decipher.update(data), decipher.final()])
  } catch {
    throw new Pkcs12Error('password', 'the PKCS#12 file could not be decrypted: the passphrase is wrong.')
  }
}

/**
 * Checks the PKCS#12 integrity MAC (`MacData`) over `authSafe` with `password`; false when it does not
 * match (a wrong password, or a damaged file).
 *
 * @example
 * ```ts
 * if (!macMatches(macData, authSafeBytes, password, new Deriver())) throw new Error('wrong passphrase')
 * ```
 */
export function macMatches(macData: Asn1, authSafe: Buffer, password: string, deriver: Deriver): boolean {
  const digestInfo = child(macData, 0, TAG.SEQUENCE)
  const hash = DIGESTS.get(oid(child(child(digestInfo, 0, TAG.SEQUENCE), 0)))
  if (hash === undefined) throw new Pkcs12Error('format', 'the PKCS#12 file uses an unsupported MAC hash.')
  const expected = octets(child(digestInfo, 1, TAG.OCTET_STRING))
  const salt = octets(child(macData, 1, TAG.OCTET_STRING))
  const third = macData.children[2]
  const iterations = third === undefined ? 1 : iterationCount(third)
  const macLength = createHash(hash).digest().length
  // An empty password is written either as an empty BMPString (two zero bytes) or as no bytes at all.
  const secrets = password === '' ? [bmpPassword(''), Buffer.alloc(0)] : [bmpPassword(password)]
  return secrets.some((secret) => {
    const key = deriver.derive({
      kdf: 'pkcs12',
      hash,
      password: secret,
      salt,
      iterations,
      id: 3,
      length: macLength,
    })
    const actual = createHmac(hash, key).update(authSafe).digest()
    return actual.length === expected.length && timingSafeEqual(actual, expected)
  })
}

/** The password as PKCS#12 wants it: UTF-16BE with a two-byte zero terminator. */
function bmpPassword(password: string): Buffer {
  const utf16 = Buffer.from(`${password}\0`, 'utf16le')
  return utf16.swap16()
}

/**
 * Refuses an encrypted PKCS#8 key (`EncryptedPrivateKeyInfo` DER, as in an "ENCRYPTED PRIVATE KEY"
 * PEM block) whose decryption would ask for more work than a PKCS#12 file may (`PKCS12_LIMITS`):
 * node:crypto would run it on the event loop. Reads the parameters only; derives nothing.
 *
 * @example
 * ```ts
 * checkEncryptedKeyWork(Buffer.from(pemBody, 'base64')) // throws a Pkcs12WorkError if too costly
 * ```
 */
export function checkEncryptedKeyWork(der: Buffer): void {
  try {
    const algorithm = child(parseAsn1(der), 0, TAG.SEQUENCE)
    pbeDecrypt(algorithm, Buffer.alloc(0), '', new Deriver({ known: new Map(), collecting: true }))
  } catch (error) {
    if (error instanceof Pkcs12WorkError) throw error
    // within the limits (the derivation it would run), or not for us to judge (node reads it, or says why)
    if (error instanceof PendingDerivation || error instanceof Asn1Error || error instanceof Pkcs12Error)
      return
    throw error
  }
}
