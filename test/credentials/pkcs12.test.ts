import { createPrivateKey, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { type Asn1, parseAsn1 } from '../../src/credentials/der.js'
import { looksLikePkcs12, Pkcs12Error, readPkcs12 } from '../../src/credentials/pkcs12.js'
import { derOctetString, derOid, derSequence, derSmallInteger } from '../../src/testing/x509/der-writer.js'
import { fixture, PASSPHRASE } from './fixtures.js'
import {
  bag,
  certBag,
  contentInfo,
  dataContent,
  encryptedContent,
  macData,
  macDataWithIterations,
  P12_OID,
  type Pbes2,
  pbes2Algorithm,
  pbes2Encrypt,
  pfx,
  tripleDesAlgorithm,
} from './pkcs12-builder.js'

const mainKeyDer = createPrivateKey(fixture('rsa.key.pem')).export({ format: 'der', type: 'pkcs8' })
const mainCertificate = new X509Certificate(fixture('rsa.cert.pem'))

function reason(bytes: Buffer, password: string): Pkcs12Error['reason'] {
  try {
    readPkcs12(bytes, password)
  } catch (error) {
    expect(error).toBeInstanceOf(Pkcs12Error)
    return (error as Pkcs12Error).reason
  }
  throw new Error('expected a Pkcs12Error')
}

/** Re-encodes with BER indefinite lengths for every constructed element, and splits OCTET STRINGs. */
function toBer(node: Asn1): Buffer {
  if (node.children.length > 0 || (node.tag & 0x20) !== 0) {
    return Buffer.concat([Buffer.from([node.tag, 0x80]), ...node.children.map(toBer), Buffer.from([0, 0])])
  }
  if (node.tag === 0x04 && node.content.length > 64) {
    const half = node.content.length >> 1
    const segments = [node.content.subarray(0, half), node.content.subarray(half)].map((part) =>
      Buffer.concat([Buffer.from([0x04]), lengthOf(part.length), part]),
    )
    return Buffer.concat([Buffer.from([0x24, 0x80]), ...segments, Buffer.from([0, 0])])
  }
  return Buffer.concat([Buffer.from([node.tag]), lengthOf(node.content.length), node.content])
}

function lengthOf(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

describe('readPkcs12', () => {
  it.each([
    ['PBES2/AES-256 with a SHA-256 MAC', 'rsa.aes.pfx', PASSPHRASE],
    ['3DES with a SHA-1 MAC', 'rsa.3des.pfx', PASSPHRASE],
    ['an empty password', 'rsa.nopass.pfx', ''],
    ['no MAC', 'rsa.nomac.pfx', PASSPHRASE],
  ])('reads the key and certificate of a file with %s', (_name, file, password) => {
    const { keys, certificates } = readPkcs12(fixture(file), password)
    expect(keys).toHaveLength(1)
    expect(keys[0]?.equals(mainKeyDer)).toBe(true)
    expect(certificates).toHaveLength(1)
    expect(certificates[0]?.equals(mainCertificate.raw)).toBe(true)
  })

  it('reads a chain: the leaf and its CA', () => {
    expect(readPkcs12(fixture('chain.pfx'), PASSPHRASE).certificates).toHaveLength(2)
  })

  it('reads BER (indefinite lengths, segmented OCTET STRINGs), as some Windows and Java tools write', () => {
    const ber = toBer(parseAsn1(fixture('rsa.aes.pfx')))
    expect(ber.equals(fixture('rsa.aes.pfx'))).toBe(false)
    expect(looksLikePkcs12(ber)).toBe(true)
    expect(readPkcs12(ber, PASSPHRASE).keys[0]?.equals(mainKeyDer)).toBe(true)
  })

  it('reports a wrong password as such, with or without a MAC', () => {
    expect(reason(fixture('rsa.aes.pfx'), 'wrong')).toBe('password')
    expect(reason(fixture('rsa.3des.pfx'), 'wrong')).toBe('password')
    expect(reason(fixture('rsa.nomac.pfx'), 'wrong')).toBe('password')
    expect(reason(fixture('rsa.aes.pfx'), '')).toBe('password')
  })

  it('refuses legacy RC2-40 encryption', () => {
    expect(reason(fixture('rsa.rc2.pfx'), PASSPHRASE)).toBe('legacy')
  })

  it('reports a truncated file as malformed', () => {
    const bytes = fixture('rsa.aes.pfx')
    expect(reason(bytes.subarray(0, bytes.length - 10), PASSPHRASE)).toBe('format')
  })

  it('tells PKCS#12 from keys and certificates', () => {
    expect(looksLikePkcs12(fixture('rsa.aes.pfx'))).toBe(true)
    expect(looksLikePkcs12(fixture('rsa.key.der'))).toBe(false)
    expect(looksLikePkcs12(fixture('rsa.cert.der'))).toBe(false)
    expect(looksLikePkcs12(Buffer.from('not der'))).toBe(false)
  })
})

describe('readPkcs12: the shapes of hand-built files', () => {
  const certificateDer = mainCertificate.raw

  it('reads a key bag in the clear and certificates from nested bags, skipping CRL bags and non-X.509 certificates', () => {
    const bytes = pfx([
      dataContent([
        bag(P12_OID.KEY_BAG, mainKeyDer),
        bag(P12_OID.SAFE_CONTENTS_BAG, derSequence(certBag(certificateDer))),
        bag(P12_OID.CRL_BAG, derSequence()),
        certBag(Buffer.from('an SDSI certificate'), P12_OID.SDSI_CERTIFICATE),
      ]),
    ])
    const { keys, certificates } = readPkcs12(bytes, '')
    expect(keys).toHaveLength(1)
    expect(keys[0]?.equals(mainKeyDer)).toBe(true)
    expect(certificates).toHaveLength(1)
    expect(certificates[0]?.equals(certificateDer)).toBe(true)
  })

  it('refuses bags nested more than four deep', () => {
    let nested = derSequence(certBag(certificateDer))
    for (let depth = 0; depth < 5; depth++) nested = derSequence(bag(P12_OID.SAFE_CONTENTS_BAG, nested))
    const deep = pfx([dataContent([bag(P12_OID.SAFE_CONTENTS_BAG, nested)])])
    expect(() => readPkcs12(deep, '')).toThrow(/nested too deeply/)
    expect(reason(deep, '')).toBe('format')
  })

  it('skips an encryptedData content without encryptedContent, and content types it does not know', () => {
    const bytes = pfx([
      encryptedContent(pbes2Algorithm({ password: PASSPHRASE })),
      contentInfo(P12_OID.DIGESTED_DATA, derSequence()),
      dataContent([certBag(certificateDer)]),
    ])
    const { keys, certificates } = readPkcs12(bytes, PASSPHRASE)
    expect(keys).toEqual([])
    expect(certificates).toHaveLength(1)
  })

  it.each([
    ['a version other than 3', pfx([], { version: 2 }), /not version 3/],
    ['public-key integrity (signed data)', pfx([], { type: P12_OID.SIGNED_DATA }), /public-key integrity/],
    ['an authSafe that is not data', pfx([], { type: P12_OID.ENCRYPTED_DATA }), /content is not data/],
    [
      'public-key encrypted (enveloped) contents',
      pfx([contentInfo(P12_OID.ENVELOPED_DATA, derSequence())]),
      /enveloped/,
    ],
    ['a MAC hash it does not know (MD5)', pfx([], { mac: macData(P12_OID.MD5) }), /unsupported MAC hash/],
  ])('refuses %s as a format error', (_name, bytes, message) => {
    expect(() => readPkcs12(bytes, PASSPHRASE)).toThrow(message)
    expect(reason(bytes, PASSPHRASE)).toBe('format')
  })

  it('checks a MAC without an iterations field as one iteration, as openssl -nomaciter writes it', () => {
    const bytes = fixture('rsa.maciter1.pfx')
    expect(readPkcs12(bytes, PASSPHRASE).keys[0]?.equals(mainKeyDer)).toBe(true)
    expect(reason(bytes, 'wrong')).toBe('password')
  })
})

describe('readPkcs12: PBES2 parameters', () => {
  const safeContents = derSequence(bag(P12_OID.KEY_BAG, mainKeyDer))
  const encryptedFile = (options: Pbes2, encrypted = pbes2Encrypt(safeContents, options)) =>
    pfx([encryptedContent(pbes2Algorithm(options), encrypted)])

  it('decrypts AES-128 with an explicit PBKDF2 key length and an HMAC-SHA512 PRF', () => {
    const options: Pbes2 = {
      password: PASSPHRASE,
      cipher: { oid: P12_OID.AES_128_CBC, name: 'aes-128-cbc', keyLength: 16 },
      keyLength: 16,
      prf: { oid: P12_OID.HMAC_SHA512, digest: 'sha512' },
    }
    const { keys } = readPkcs12(encryptedFile(options), PASSPHRASE)
    expect(keys[0]?.equals(mainKeyDer)).toBe(true)
    expect(reason(encryptedFile(options), 'wrong')).toBe('password')
  })

  const garbage = Buffer.alloc(32, 1)
  it.each([
    [
      'a cipher it does not know (Camellia)',
      { cipher: { oid: P12_OID.CAMELLIA_128_CBC, name: 'camellia-128-cbc', keyLength: 16 } },
      /unsupported PBES2 cipher/,
    ],
    ['a key derivation other than PBKDF2 (scrypt)', { kdfOid: P12_OID.SCRYPT }, /not PBKDF2/],
    [
      'a PBKDF2 hash it does not know (HMAC-MD5)',
      { prf: { oid: P12_OID.HMAC_MD5, digest: 'md5' } },
      /unsupported PBKDF2 hash/,
    ],
  ])('refuses %s as a format error', (_name, options, message) => {
    const bytes = encryptedFile({ password: PASSPHRASE, ...options }, garbage)
    expect(() => readPkcs12(bytes, PASSPHRASE)).toThrow(message)
    expect(reason(bytes, PASSPHRASE)).toBe('format')
  })

  it('refuses an encryption scheme it does not know (PBES1 MD5-DES) as a format error', () => {
    const pbes1 = derSequence(
      derOid('1.2.840.113549.1.5.3'),
      derSequence(derOctetString(Buffer.alloc(8)), derSmallInteger(1)),
    )
    const bytes = pfx([encryptedContent(pbes1, garbage)])
    expect(() => readPkcs12(bytes, PASSPHRASE)).toThrow(
      /unsupported encryption scheme \(1\.2\.840\.113549\.1\.5\.3\)/,
    )
    expect(reason(bytes, PASSPHRASE)).toBe('format')
  })

  // BUG (reported with issue 7 part 7): node's pbkdf2Sync throws a RangeError for an iteration count
  // of 0 or a key length over 2^31 - 1, and readPkcs12 lets it escape instead of a Pkcs12Error.
  it.each([
    ['an iteration count of 0', { iterations: 0 }],
    ['a key length over 2^31 - 1', { keyLength: 2 ** 40 }],
  ])('refuses a PBKDF2 with %s as a format error, not a RangeError', (_name, options) => {
    const bytes = encryptedFile({ password: PASSPHRASE, ...options }, garbage)
    expect(reason(bytes, PASSPHRASE)).toBe('format')
  })
})

describe('readPkcs12: the work a file may ask for (issue 13 finding 9)', () => {
  const SHA256 = '2.16.840.1.101.3.4.2.1'
  const keyContents = derSequence(bag(P12_OID.KEY_BAG, mainKeyDer))
  const pbes2File = (iterations: number, contents = keyContents) => {
    const options: Pbes2 = { password: PASSPHRASE, iterations }
    return encryptedContent(pbes2Algorithm(options), pbes2Encrypt(contents, options))
  }

  function formatError(bytes: Buffer): Pkcs12Error {
    try {
      readPkcs12(bytes, PASSPHRASE)
    } catch (error) {
      expect(error).toBeInstanceOf(Pkcs12Error)
      expect((error as Pkcs12Error).reason).toBe('format')
      return error as Pkcs12Error
    }
    throw new Error('expected a Pkcs12Error')
  }

  it('refuses a MAC of more than 200,000 iterations before deriving anything, saying how to re-export', () => {
    const error = formatError(pfx([], { mac: macDataWithIterations(SHA256, 1_000_000) }))
    expect(error.message).toMatch(/1,000,000 iterations/)
    expect(error.message).toMatch(/at most 200,000/)
    expect(error.message).toMatch(/openssl pkcs12 -export/)
  })

  it('refuses 3DES encryption of more than 200,000 iterations', () => {
    const bytes = pfx([encryptedContent(tripleDesAlgorithm(300_000), Buffer.alloc(32, 1))])
    expect(formatError(bytes).message).toMatch(/300,000 iterations/)
  })

  it('refuses PBKDF2 of more than 1,000,000 iterations', () => {
    const bytes = pfx([
      encryptedContent(pbes2Algorithm({ password: PASSPHRASE, iterations: 2_000_000 }), Buffer.alloc(32, 1)),
    ])
    const error = formatError(bytes)
    expect(error.message).toMatch(/2,000,000 iterations/)
    expect(error.message).toMatch(/at most 1,000,000/)
  })

  it('reads a hardened file of 600,000 PBKDF2 iterations', () => {
    expect(readPkcs12(pfx([pbes2File(600_000)]), PASSPHRASE).keys[0]?.equals(mainKeyDer)).toBe(true)
  })

  it('refuses a file whose derivations add up to more than 2,000,000 iterations, before running the one too many', () => {
    const empty = derSequence()
    const bytes = pfx([pbes2File(700_000, empty), pbes2File(700_000, empty), pbes2File(700_000, empty)])
    expect(formatError(bytes).message).toMatch(/2,000,000 iterations in all/)
  })

  it('refuses a file of more than 256 bags', () => {
    const certificate = mainCertificate.raw
    const bytes = pfx([dataContent(Array.from({ length: 300 }, () => certBag(certificate)))])
    expect(formatError(bytes).message).toMatch(/more than 256 bags/)
  })
})
