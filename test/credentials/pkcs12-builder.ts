/**
 * Hand-built PKCS#12 files (RFC 7292) for the shapes openssl does not write: key bags in the clear,
 * nested bags, enveloped or signed contents, other PBES2 parameters. Built with the DER writer of
 * the local authority; PBES2 encryption uses node:crypto directly (PBKDF2 + CBC), independent of the
 * reader under test.
 */
import { createCipheriv, pbkdf2Sync } from 'node:crypto'
import {
  derContext,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSmallInteger,
  derTlv,
} from '../../src/testing/x509/der-writer.js'

export const P12_OID = {
  DATA: '1.2.840.113549.1.7.1',
  SIGNED_DATA: '1.2.840.113549.1.7.2',
  ENVELOPED_DATA: '1.2.840.113549.1.7.3',
  DIGESTED_DATA: '1.2.840.113549.1.7.5',
  ENCRYPTED_DATA: '1.2.840.113549.1.7.6',
  KEY_BAG: '1.2.840.113549.1.12.10.1.1',
  CERT_BAG: '1.2.840.113549.1.12.10.1.3',
  CRL_BAG: '1.2.840.113549.1.12.10.1.4',
  SAFE_CONTENTS_BAG: '1.2.840.113549.1.12.10.1.6',
  X509_CERTIFICATE: '1.2.840.113549.1.9.22.1',
  SDSI_CERTIFICATE: '1.2.840.113549.1.9.22.2',
  PBES2: '1.2.840.113549.1.5.13',
  PBKDF2: '1.2.840.113549.1.5.12',
  SCRYPT: '1.3.6.1.4.1.11591.4.11',
  HMAC_SHA512: '1.2.840.113549.2.11',
  HMAC_MD5: '1.2.840.113549.2.6',
  AES_128_CBC: '2.16.840.1.101.3.4.1.2',
  AES_256_CBC: '2.16.840.1.101.3.4.1.42',
  CAMELLIA_128_CBC: '1.2.392.200011.61.1.1.1.2',
  MD5: '1.2.840.113549.2.5',
} as const

/** A PFX: version, an authSafe of `contentInfos` as data, and optional MacData. */
export function pfx(contentInfos: Buffer[], options: { version?: number; type?: string; mac?: Buffer } = {}) {
  const authSafe = derSequence(...contentInfos)
  const authSafeInfo = derSequence(
    derOid(options.type ?? P12_OID.DATA),
    derContext(0, derOctetString(authSafe), 'explicit'),
  )
  return derSequence(
    derSmallInteger(options.version ?? 3),
    authSafeInfo,
    ...(options.mac ? [options.mac] : []),
  )
}

/** A ContentInfo of type data holding SafeContents of `bags`. */
export function dataContent(bags: Buffer[]): Buffer {
  return derSequence(derOid(P12_OID.DATA), derContext(0, derOctetString(derSequence(...bags)), 'explicit'))
}

/** A ContentInfo of any `type` whose content is `content`. */
export function contentInfo(type: string, content: Buffer): Buffer {
  return derSequence(derOid(type), derContext(0, content, 'explicit'))
}

/** A ContentInfo of type encryptedData; without `encrypted`, the optional encryptedContent is absent. */
export function encryptedContent(algorithm: Buffer, encrypted?: Buffer): Buffer {
  const encryptedContentInfo = derSequence(
    derOid(P12_OID.DATA),
    algorithm,
    ...(encrypted ? [derTlv(0x80, encrypted)] : []),
  )
  return contentInfo(P12_OID.ENCRYPTED_DATA, derSequence(derSmallInteger(0), encryptedContentInfo))
}

/** A SafeBag. */
export function bag(bagId: string, value: Buffer): Buffer {
  return derSequence(derOid(bagId), derContext(0, value, 'explicit'))
}

/** A CertBag of `type` (X.509 by default) holding `certificate`. */
export function certBag(certificate: Buffer, type: string = P12_OID.X509_CERTIFICATE): Buffer {
  return bag(
    P12_OID.CERT_BAG,
    derSequence(derOid(type), derContext(0, derOctetString(certificate), 'explicit')),
  )
}

/** PBES2 parameters: PBKDF2 (with an optional explicit key length and PRF) and a CBC cipher. */
export interface Pbes2 {
  password: string
  cipher?: { oid: string; name: string; keyLength: number }
  kdfOid?: string
  iterations?: number
  /** An explicit keyLength INTEGER in the PBKDF2 parameters. */
  keyLength?: number
  /** A PRF AlgorithmIdentifier in the PBKDF2 parameters: its OID, and node's digest name. */
  prf?: { oid: string; digest: string }
}

const SALT = Buffer.from('0123456789abcdef', 'hex')
const IV = Buffer.alloc(16, 7)

/** The PBES2 AlgorithmIdentifier for `options`. */
export function pbes2Algorithm(options: Pbes2): Buffer {
  const cipher = options.cipher ?? { oid: P12_OID.AES_256_CBC, name: 'aes-256-cbc', keyLength: 32 }
  const kdfParams = derSequence(
    derOctetString(SALT),
    derSmallInteger(options.iterations ?? 1000),
    ...(options.keyLength === undefined ? [] : [derSmallInteger(options.keyLength)]),
    ...(options.prf ? [derSequence(derOid(options.prf.oid), derNull())] : []),
  )
  return derSequence(
    derOid(P12_OID.PBES2),
    derSequence(
      derSequence(derOid(options.kdfOid ?? P12_OID.PBKDF2), kdfParams),
      derSequence(derOid(cipher.oid), derOctetString(IV)),
    ),
  )
}

/** `plain` encrypted as PBES2 `options` describe (PBKDF2 with HMAC-SHA1 unless a PRF is given). */
export function pbes2Encrypt(plain: Buffer, options: Pbes2): Buffer {
  const cipher = options.cipher ?? { oid: P12_OID.AES_256_CBC, name: 'aes-256-cbc', keyLength: 32 }
  const key = pbkdf2Sync(
    Buffer.from(options.password, 'utf8'),
    SALT,
    options.iterations ?? 1000,
    options.keyLength ?? cipher.keyLength,
    options.prf?.digest ?? 'sha1',
  )
  const encryptor = createCipheriv(cipher.name, key, IV)
  return Buffer.concat([encryptor.update(plain), encryptor.final()])
}

/** MacData with a digest algorithm `digestOid`, a made-up MAC and salt, and no iterations. */
export function macData(digestOid: string): Buffer {
  return derSequence(
    derSequence(derSequence(derOid(digestOid), derNull()), derOctetString(Buffer.alloc(16))),
    derOctetString(SALT),
  )
}

/** MacData with a digest algorithm `digestOid`, a made-up MAC and salt, and `iterations`. */
export function macDataWithIterations(digestOid: string, iterations: number): Buffer {
  return derSequence(
    derSequence(derSequence(derOid(digestOid), derNull()), derOctetString(Buffer.alloc(32))),
    derOctetString(SALT),
    derSmallInteger(iterations),
  )
}

/** The AlgorithmIdentifier of pbeWithSHAAnd3-KeyTripleDES-CBC (PKCS#12 KDF) with `iterations`. */
export function tripleDesAlgorithm(iterations: number): Buffer {
  return derSequence(
    derOid('1.2.840.113549.1.12.1.3'),
    derSequence(derOctetString(SALT), derSmallInteger(iterations)),
  )
}
