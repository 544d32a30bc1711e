import { createPrivateKey, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { type Asn1, parseAsn1 } from '../../src/credentials/der.js'
import { looksLikePkcs12, Pkcs12Error, readPkcs12 } from '../../src/credentials/pkcs12.js'
import { fixture, PASSPHRASE } from './fixtures.js'

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
