import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { mtlsAuthorityHost } from '../../src/mtls/endpoints.js'

describe('the mTLS host of an Entra authority host', () => {
  it.each([
    ['https://login.microsoftonline.com', 'https://mtlsauth.microsoft.com'],
    ['https://login.microsoft.com', 'https://mtlsauth.microsoft.com'],
    ['https://login.windows.net', 'https://mtlsauth.microsoft.com'],
    ['https://login.microsoftonline.us', 'https://mtlsauth.microsoftonline.us'],
    ['https://login.usgovcloudapi.net', 'https://mtlsauth.microsoftonline.us'],
    ['https://login.partner.microsoftonline.cn', 'https://mtlsauth.partner.microsoftonline.cn'],
    ['https://login.chinacloudapi.cn', 'https://mtlsauth.partner.microsoftonline.cn'],
  ])('%s → %s (global)', (authorityHost, expected) => {
    expect(mtlsAuthorityHost(authorityHost, {})).toBe(expected)
  })

  it('is regional when a region is given', () => {
    expect(mtlsAuthorityHost('https://login.microsoftonline.com', { region: 'westus2' })).toBe(
      'https://westus2.mtlsauth.microsoft.com',
    )
    expect(mtlsAuthorityHost('https://login.microsoftonline.us', { region: 'usgovvirginia' })).toBe(
      'https://usgovvirginia.mtlsauth.microsoftonline.us',
    )
  })

  it('refuses a region that is not one DNS label (it becomes part of the host the certificate goes to)', () => {
    for (const region of ['evil.example/x', 'West US', '-westus', 'a'.repeat(64)]) {
      expect(() => mtlsAuthorityHost('https://login.microsoftonline.com', { region })).toThrow(
        /^mtls\.region: must be one lowercase DNS label/,
      )
    }
  })

  it('is the same host for a loopback (local) authority, which must be https', () => {
    expect(mtlsAuthorityHost('https://127.0.0.1:8443', {})).toBe('https://127.0.0.1:8443')
    expect(mtlsAuthorityHost('https://localhost:8443', {})).toBe('https://localhost:8443')
    expect(() => mtlsAuthorityHost('http://127.0.0.1:8080', {})).toThrow(/^authorityHost: must be https/)
  })

  it('takes an explicit host, https only, over any derivation', () => {
    expect(
      mtlsAuthorityHost('https://login.microsoftonline.com', { host: 'https://mtls.contoso.test/' }),
    ).toBe('https://mtls.contoso.test')
    expect(() =>
      mtlsAuthorityHost('https://login.microsoftonline.com', { host: 'http://mtls.contoso.test' }),
    ).toThrow(/^mtls\.host: must be https/)
  })

  it('asks for the host of an authority host Entra does not run, rather than guessing one', () => {
    const attempt = () => mtlsAuthorityHost('https://login.contoso.test', {})
    expect(attempt).toThrow(ConfigurationError)
    expect(attempt).toThrow(/^mtls\.host: is needed/)
  })
})
