/**
 * Reads a PKCS#12 / PFX file (RFC 7292) without dependencies: the private key and the certificates,
 * nothing else. Supports password integrity (HMAC with the PKCS#12 KDF), unencrypted and
 * password-encrypted contents (PBES2 with PBKDF2 and AES, or PKCS#12 3DES), BER or DER.
 * Public-key integrity and enveloped contents are refused; so are legacy RC2/RC4 files, and files
 * asking for more key-derivation work or holding more bags than real files (`PKCS12_LIMITS`).
 */
import { type Asn1, Asn1Error, child, octets, oid, parseAsn1, smallInt, TAG } from './der.js'
import { macMatches, Pkcs12Error, pbeDecrypt } from './pkcs12-crypto.js'
import { type DerivedKeys, Deriver, deriveOffLoop, PendingDerivation, requestKey } from './pkcs12-derive.js'

export { Pkcs12Error, REEXPORT_HINT } from './pkcs12-crypto.js'

/**
 * What a PKCS#12 file holds, in DER.
 *
 * @example
 * ```ts
 * const { keys, certificates }: Pkcs12Contents = readPkcs12(bytes, 'passphrase')
 * ```
 */
export interface Pkcs12Contents {
  /** Unencrypted PKCS#8 PrivateKeyInfo DER of each key found (usually one). */
  readonly keys: readonly Buffer[]
  /** Certificate DER, in file order. */
  readonly certificates: readonly Buffer[]
}

const OID = {
  DATA: '1.2.840.113549.1.7.1',
  SIGNED_DATA: '1.2.840.113549.1.7.2',
  ENVELOPED_DATA: '1.2.840.113549.1.7.3',
  ENCRYPTED_DATA: '1.2.840.113549.1.7.6',
  KEY_BAG: '1.2.840.113549.1.12.10.1.1',
  SHROUDED_KEY_BAG: '1.2.840.113549.1.12.10.1.2',
  CERT_BAG: '1.2.840.113549.1.12.10.1.3',
  SAFE_CONTENTS_BAG: '1.2.840.113549.1.12.10.1.6',
  X509_CERTIFICATE: '1.2.840.113549.1.9.22.1',
} as const

const MAX_BAG_NESTING = 4

/**
 * Whether `bytes` look like a PKCS#12 file (a SEQUENCE starting with version 3 and a ContentInfo).
 *
 * @example
 * ```ts
 * if (looksLikePkcs12(readFileSync(path))) readPkcs12(readFileSync(path), passphrase)
 * ```
 */
export function looksLikePkcs12(bytes: Buffer): boolean {
  try {
    const root = parseAsn1(bytes)
    return (
      root.tag === TAG.SEQUENCE &&
      smallInt(child(root, 0, TAG.INTEGER)) === 3 &&
      child(root, 1).tag === TAG.SEQUENCE
    )
  } catch {
    return false
  }
}

/**
 * Reads the keys and certificates of a PKCS#12 file. Throws {@link Pkcs12Error} (`reason` `password`,
 * `legacy` or `format`); its message never holds the password or key material.
 *
 * @example
 * ```ts
 * const { keys, certificates } = readPkcs12(readFileSync('client.pfx'), 'passphrase')
 * ```
 */
export function readPkcs12(bytes: Buffer, password: string): Pkcs12Contents {
  return readWith(bytes, password, new Deriver())
}

/**
 * Derives, off the event loop, every key {@link readPkcs12} will need for `bytes` and `password`
 * (within the same limits), for `withDerivedKeys(keys, () => readPkcs12(bytes, password))`. Never
 * rejects: whatever cannot be read is left for `readPkcs12` to report.
 *
 * @example
 * ```ts
 * const keys = await preparePkcs12(bytes, passphrase)
 * const contents = withDerivedKeys(keys, () => readPkcs12(bytes, passphrase)) // derives nothing
 * ```
 */
export async function preparePkcs12(bytes: Buffer, password: string): Promise<DerivedKeys> {
  const keys = new Map<string, Buffer>()
  for (;;) {
    try {
      readWith(bytes, password, new Deriver({ known: keys, collecting: true }))
      return keys
    } catch (error) {
      if (!(error instanceof PendingDerivation)) return keys
      try {
        keys.set(requestKey(error.request), await deriveOffLoop(error.request))
      } catch {
        return keys
      }
    }
  }
}

function readWith(bytes: Buffer, password: string, deriver: Deriver): Pkcs12Contents {
  try {
    return readPfx(parseAsn1(bytes), password, deriver)
  } catch (error) {
    if (error instanceof Pkcs12Error || error instanceof PendingDerivation) throw error
    if (error instanceof Asn1Error)
      throw new Pkcs12Error('format', `the PKCS#12 file is malformed (${error.message}).`)
    throw error
  }
}

function readPfx(root: Asn1, password: string, deriver: Deriver): Pkcs12Contents {
  if (smallInt(child(root, 0, TAG.INTEGER)) !== 3) {
    throw new Pkcs12Error('format', 'the PKCS#12 file is not version 3.')
  }
  const authSafeInfo = child(root, 1, TAG.SEQUENCE)
  const type = oid(child(authSafeInfo, 0))
  if (type === OID.SIGNED_DATA) {
    throw new Pkcs12Error('format', 'PKCS#12 files with public-key integrity (signed) are not supported.')
  }
  if (type !== OID.DATA) throw new Pkcs12Error('format', 'the PKCS#12 content is not data.')
  const authSafe = octets(child(child(authSafeInfo, 1, TAG.CONTEXT_0), 0, TAG.OCTET_STRING))
  const macData = root.children[2]
  if (macData !== undefined && !macMatches(macData, authSafe, password, deriver)) {
    throw new Pkcs12Error(
      'password',
      password === ''
        ? 'the PKCS#12 file is protected by a passphrase: give passphrase.'
        : 'the passphrase is wrong for the PKCS#12 file (its integrity check failed).',
    )
  }
  const contents: Reading = { keys: [], certificates: [], password, deriver }
  for (const info of parseAsn1(authSafe).children) readContentInfo(info, contents)
  return { keys: contents.keys, certificates: contents.certificates }
}

/** What a read gathers, and what it reads with. */
interface Reading {
  keys: Buffer[]
  certificates: Buffer[]
  readonly password: string
  readonly deriver: Deriver
}

function readContentInfo(info: Asn1, into: Reading): void {
  into.deriver.countBag()
  const type = oid(child(info, 0))
  const explicit = child(info, 1, TAG.CONTEXT_0)
  if (type === OID.DATA) {
    readSafeContents(parseAsn1(octets(child(explicit, 0, TAG.OCTET_STRING))), into, 0)
  } else if (type === OID.ENCRYPTED_DATA) {
    const encryptedContentInfo = child(child(explicit, 0, TAG.SEQUENCE), 1, TAG.SEQUENCE)
    const encrypted = encryptedContentInfo.children[2]
    if (encrypted === undefined) return
    const algorithm = child(encryptedContentInfo, 1, TAG.SEQUENCE)
    readSafeContents(
      decrypted(pbeDecrypt(algorithm, octets(encrypted), into.password, into.deriver)),
      into,
      0,
    )
  } else if (type === OID.ENVELOPED_DATA) {
    throw new Pkcs12Error(
      'format',
      'PKCS#12 files with public-key encrypted (enveloped) contents are not supported.',
    )
  }
}

function readSafeContents(safeContents: Asn1, into: Reading, depth: number): void {
  if (depth > MAX_BAG_NESTING) throw new Pkcs12Error('format', 'the PKCS#12 bags are nested too deeply.')
  for (const bag of safeContents.children) {
    into.deriver.countBag()
    const bagId = oid(child(bag, 0))
    const value = child(child(bag, 1, TAG.CONTEXT_0), 0)
    if (bagId === OID.KEY_BAG) into.keys.push(encode(value))
    else if (bagId === OID.SHROUDED_KEY_BAG) into.keys.push(decryptShroudedKey(value, into))
    else if (bagId === OID.CERT_BAG) readCertBag(value, into)
    else if (bagId === OID.SAFE_CONTENTS_BAG) readSafeContents(value, into, depth + 1)
  }
}

function decryptShroudedKey(encryptedPrivateKeyInfo: Asn1, into: Reading): Buffer {
  const algorithm = child(encryptedPrivateKeyInfo, 0, TAG.SEQUENCE)
  const data = octets(child(encryptedPrivateKeyInfo, 1, TAG.OCTET_STRING))
  const plain = pbeDecrypt(algorithm, data, into.password, into.deriver)
  decrypted(plain)
  return plain
}

/**
 * Parses decrypted content. Without a MAC, a wrong password can still yield valid CBC padding (1 in
 * 256); the garbage then fails to parse, and is reported as a wrong password.
 */
function decrypted(plain: Buffer): Asn1 {
  try {
    return parseAsn1(plain)
  } catch {
    throw new Pkcs12Error(
      'password',
      'the PKCS#12 file could not be decrypted: the passphrase is wrong (or the file is damaged).',
    )
  }
}

function readCertBag(certBag: Asn1, into: { certificates: Buffer[] }): void {
  if (oid(child(certBag, 0)) !== OID.X509_CERTIFICATE) return
  into.certificates.push(octets(child(child(certBag, 1, TAG.CONTEXT_0), 0, TAG.OCTET_STRING)))
}

/** Re-encodes a parsed element as DER (for a key bag's PrivateKeyInfo). */
function encode(node: Asn1): Buffer {
  const body = node.children.length > 0 ? Buffer.concat(node.children.map(encode)) : node.content
  return Buffer.concat([Buffer.from([node.tag]), encodeLength(body.length), body])
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}
