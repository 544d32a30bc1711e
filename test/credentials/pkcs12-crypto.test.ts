import { describe, expect, it } from 'vitest'
import { Asn1Error } from '../../src/credentials/der.js'
import { pkcs12Kdf } from '../../src/credentials/pkcs12-crypto.js'

/** "sesame" as PKCS#12 passwords are written: UTF-16BE with a zero terminator. */
const SESAME = Buffer.from('sesame\0', 'utf16le').swap16()
const SALT = Buffer.alloc(8, 0xff)

describe('pkcs12Kdf', () => {
  // The expected values are OpenSSL 3's, e.g. for the first:
  // openssl kdf -keylen 24 -kdfopt digest:SHA1 -kdfopt hexpass:0073006500730061006d00650000
  //   -kdfopt hexsalt:ffffffffffffffff -kdfopt iter:2048 -kdfopt id:1 PKCS12KDF
  it.each([
    ['a 3DES key with SHA-1', 'sha1', 2048, 1, 24, '7cd9fd3e2b3be7691a44e3bef0f9ea0fb9b897d4e325d9d1'],
    [
      'a MAC key with SHA-512 (128-byte blocks)',
      'sha512',
      3,
      3,
      40,
      '533a9e1600580cc03741f05b4f2bb3cc071d158e5c93b3955eaf584b5aea57f35fe0c0f730fd20ef',
    ],
  ] as const)('derives %s as OpenSSL does', (_name, hash, iterations, id, length, expected) => {
    expect(pkcs12Kdf(hash, SESAME, SALT, iterations, id, length).toString('hex')).toBe(expected)
  })

  it('refuses a hash whose block size it does not know', () => {
    expect(() => pkcs12Kdf('md5', SESAME, SALT, 1, 3, 16)).toThrow(Asn1Error)
  })
})
