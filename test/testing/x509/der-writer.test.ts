import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseAsn1 } from '../../../src/credentials/der.js'
import { generateCertificate } from '../../../src/testing/index.js'
import {
  derBoolean,
  derSmallInteger,
  derTime,
  derUnsignedInteger,
} from '../../../src/testing/x509/der-writer.js'

const hex = (bytes: Buffer) => bytes.toString('hex')

describe('the DER writer of the local authority', () => {
  it('writes minimal non-negative INTEGERs: leading zeros dropped, one added before a high bit, zero as 00', () => {
    expect(hex(derUnsignedInteger(Buffer.from([0, 0, 1, 2])))).toBe('02020102')
    expect(hex(derUnsignedInteger(Buffer.from([0x80])))).toBe('02020080')
    expect(hex(derUnsignedInteger(Buffer.alloc(0)))).toBe('020100')
    expect(hex(derSmallInteger(0))).toBe('020100')
    expect(hex(derSmallInteger(65_537))).toBe('0203010001')
  })

  it('writes BOOLEAN false as 00', () => {
    expect(hex(derBoolean(false))).toBe('010100')
  })

  it('writes times from 2050 on as GeneralizedTime, before as UTCTime', () => {
    expect(derTime(new Date('2049-12-31T23:59:59Z')).subarray(2).toString('ascii')).toBe('491231235959Z')
    const late = derTime(new Date('2050-01-01T00:00:00Z'))
    expect([late[0], late.subarray(2).toString('ascii')]).toEqual([0x18, '20500101000000Z'])
    expect(parseAsn1(late).tag).toBe(0x18)
  })
})

describe('generateCertificate', () => {
  it('writes a certificate valid past 2050 that node reads back, and refuses a foreign issuer or IPv6', async () => {
    const longLived = await generateCertificate({
      commonName: 'long-lived',
      notAfter: new Date('2060-01-01T00:00:00Z'),
    })
    expect(new X509Certificate(longLived.certificatePem).validTo).toBe('Jan  1 00:00:00 2060 GMT')
    const keyPair = { privateKey: longLived.privateKey, publicKey: longLived.publicKey }
    await expect(
      generateCertificate({ commonName: 'leaf', keyPair, issuer: { ...longLived } }),
    ).rejects.toThrow('issuer must come from generateCertificate()')
    await expect(generateCertificate({ commonName: 'leaf', keyPair, ipAddresses: ['::1'] })).rejects.toThrow(
      'only IPv4 addresses are supported in subjectAltName: ::1',
    )
  })
})
