import { describe, expect, it } from 'vitest'
import { Asn1Error, child, oid, parseAsn1, smallInt, TAG } from '../../src/credentials/der.js'
import { derOid, derSequence, derSmallInteger } from '../../src/testing/x509/der-writer.js'

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex')

describe('parseAsn1', () => {
  it.each([
    ['bytes after the element', '05 00 00', /trailing bytes/],
    ['a multi-byte tag', '1f 81 00 00', /multi-byte ASN\.1 tags/],
    ['an indefinite length on a primitive element', '04 80 00 00', /indefinite length on a primitive/],
    ['a length past the end of the input', '04 05 01 02', /runs past the end/],
    ['a child that runs past its parent', '30 03 04 02 01 02', /children overrun their parent/],
    ['a length of more than four bytes', '04 85 01 00 00 00 00', /length too large/],
    ['input that ends inside the header', '30', /ends early/],
  ])('refuses %s with an Asn1Error', (_name, bytes, message) => {
    expect(() => parseAsn1(hex(bytes))).toThrow(Asn1Error)
    expect(() => parseAsn1(hex(bytes))).toThrow(message)
  })

  it('refuses elements nested more than 32 deep, and reads 32', () => {
    const nest = (depth: number) => {
      let out: Buffer = Buffer.from([0x05, 0x00])
      for (let i = 0; i < depth; i++) out = derSequence(out)
      return out
    }
    expect(parseAsn1(nest(32)).tag).toBe(TAG.SEQUENCE)
    expect(() => parseAsn1(nest(33))).toThrow(/nested too deeply/)
  })
})

describe('child', () => {
  const sequence = parseAsn1(derSequence(derSmallInteger(3)))

  it('gives the child of the expected tag, and refuses a missing child or another tag', () => {
    expect(smallInt(child(sequence, 0, TAG.INTEGER))).toBe(3)
    expect(() => child(sequence, 1)).toThrow(/has no child 1/)
    expect(() => child(sequence, 0, TAG.OID)).toThrow(/tag 0x2 where 0x6 was expected/)
  })
})

describe('oid', () => {
  it('reads the dotted form, including arcs under 2 above 39', () => {
    expect(oid(parseAsn1(derOid('1.2.840.113549.1.7.1')))).toBe('1.2.840.113549.1.7.1')
    expect(oid(parseAsn1(hex('06 03 88 37 03')))).toBe('2.999.3')
  })

  // BUG (reported with issue 7 part 7): a last byte with the continuation bit set is a truncated arc;
  // oid() drops it silently, so AES-256-CBC followed by a stray 0x81 still reads as AES-256-CBC.
  it('refuses an OID whose last arc is truncated (continuation bit on its last byte)', () => {
    const aes256 = derOid('2.16.840.1.101.3.4.1.42')
    const truncated = Buffer.concat([
      Buffer.from([0x06, aes256.length - 1]),
      aes256.subarray(2),
      Buffer.from([0x81]),
    ])
    expect(() => oid(parseAsn1(truncated))).toThrow(Asn1Error)
    expect(() => oid(parseAsn1(hex('06 01 81')))).toThrow(Asn1Error)
  })

  it('refuses an element that is not an OID, or an empty OID', () => {
    expect(() => oid(parseAsn1(derSmallInteger(1)))).toThrow(/expected an ASN\.1 OID/)
    expect(() => oid(parseAsn1(hex('06 00')))).toThrow(/expected an ASN\.1 OID/)
  })
})

describe('smallInt', () => {
  it('reads up to six bytes', () => {
    expect(smallInt(parseAsn1(hex('02 06 01 00 00 00 00 00')))).toBe(2 ** 40)
  })

  it.each([
    ['another tag', '04 01 01', /small ASN\.1 INTEGER/],
    ['an empty INTEGER', '02 00', /small ASN\.1 INTEGER/],
    ['more than six bytes', '02 07 01 00 00 00 00 00 00', /small ASN\.1 INTEGER/],
    ['a negative INTEGER', '02 01 ff', /non-negative/],
  ])('refuses %s', (_name, bytes, message) => {
    expect(() => smallInt(parseAsn1(hex(bytes)))).toThrow(message)
  })
})
