import { describe, expect, it } from 'vitest'
import {
  authorityHostProblem,
  insecureUrlProblem,
  isLoopbackHost,
  normalizeAuthorityHost,
  splitAuthority,
  tenantProblem,
  tokenEndpointProblem,
  tokenEndpointUrl,
} from '../src/authority.js'

describe('tenantProblem', () => {
  it.each([
    'f6aba1d9-da41-4ea3-8f30-4970725586a8',
    'F6ABA1D9-DA41-4EA3-8F30-4970725586A8',
    'contoso.onmicrosoft.com',
    'contoso.com',
    'my-org.example.co.uk',
  ])('accepts %s', (tenant) => {
    expect(tenantProblem(tenant)).toBeUndefined()
  })

  it.each([
    ['common', 'AADSTS900023'],
    ['organizations', 'not a tenant'],
    ['Consumers', 'not a tenant'],
    ['00000000-0000-0000-0000-000000000000', 'all-zero GUID'],
    ['contoso', 'verified domain'],
    ['contoso.com/oauth2', 'verified domain'],
    ['../token', 'verified domain'],
    ['contoso..com', 'verified domain'],
    ['-bad.example.com', 'verified domain'],
    ['contoso.com?x=1', 'verified domain'],
    ['', 'verified domain'],
  ])('refuses %j saying why', (tenant, words) => {
    expect(tenantProblem(tenant)).toContain(words)
  })
})

describe('urls', () => {
  it.each(['localhost', '127.0.0.1', '127.255.0.9', '[::1]'])('treats %s as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true)
  })

  it.each(['example.com', '10.0.0.1', '128.0.0.1', 'localhost.example.com'])(
    'does not treat %s as loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false)
    },
  )

  it('allows https anywhere and http only on loopback hosts', () => {
    expect(insecureUrlProblem(new URL('https://login.example.com'))).toBeUndefined()
    expect(insecureUrlProblem(new URL('http://127.0.0.1:8080'))).toBeUndefined()
    expect(insecureUrlProblem(new URL('http://[::1]:8080'))).toBeUndefined()
    expect(insecureUrlProblem(new URL('http://login.example.com'))).toContain('loopback')
    expect(insecureUrlProblem(new URL('ftp://login.example.com'))).toContain('https')
  })

  it('builds the v1 and v2 token endpoint URLs exactly', () => {
    const host = normalizeAuthorityHost('https://login.microsoftonline.com/')
    expect(tokenEndpointUrl(host, 'contoso.onmicrosoft.com', 'v2')).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    )
    expect(tokenEndpointUrl(host, 'contoso.onmicrosoft.com', 'v1')).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token',
    )
  })
})

describe('authorityHostProblem', () => {
  it.each([
    'https://login.microsoftonline.com',
    'https://login.microsoftonline.com/',
    'https://login.microsoftonline.us',
    'http://127.0.0.1:8400',
    'http://localhost:3000/',
    'http://[::1]:8080',
    'https://login.contoso.com:8443',
  ])('accepts the scheme and host %s', (value) => {
    expect(authorityHostProblem(value)).toBeUndefined()
  })

  it.each([
    ['https://login.microsoftonline.com/contoso.onmicrosoft.com', "tenant: 'contoso.onmicrosoft.com'"],
    [`https://login.microsoftonline.com/${'f6aba1d9-da41-4ea3-8f30-4970725586a8'}/`, 'tenant'],
    ['https://login.microsoftonline.com/common', 'scheme and host only'],
    ['https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token', 'tokenEndpoint'],
    ['https://idp.example.com/realms/x', 'scheme and host only'],
    ['login.microsoftonline.com', 'no scheme'],
    ['login.microsoftonline.com:443', 'no scheme'],
    ['//login.microsoftonline.com', 'no scheme'],
    ['https://login.microsoftonline.com/?x=1', 'query'],
    ['https://login.microsoftonline.com/#frag', 'fragment'],
    ['https://u:p@login.microsoftonline.com', 'user name or password'],
    ['https://alice@login.microsoftonline.com', 'user name or password'],
    ['http://login.example.com', 'loopback'],
    ['ftp://login.example.com', 'https'],
    ['https://', 'not a valid URL'],
    ['', 'not a valid URL'],
  ])('refuses %j saying why', (value, words) => {
    expect(authorityHostProblem(value)).toContain(words)
  })

  it('never echoes a user name or password', () => {
    const problem = authorityHostProblem('https://alice:hunter2@login.microsoftonline.com/contoso.com') ?? ''
    expect(problem).not.toContain('hunter2')
    expect(problem).not.toContain('alice')
  })
})

describe('tokenEndpointProblem', () => {
  it.each([
    'https://idp.example.com/oauth/token',
    'https://idp.example.com/token?tenant=a',
    'http://127.0.0.1:8080/token',
  ])('accepts %s', (value) => {
    expect(tokenEndpointProblem(value)).toBeUndefined()
  })

  it.each([
    ['https://client:secret@idp.example.com/token', 'user name or password'],
    ['https://idp.example.com/token#x', 'fragment'],
    ['idp.example.com/token', 'no scheme'],
    ['http://idp.example.com/token', 'loopback'],
  ])('refuses %j saying why', (value, words) => {
    const problem = tokenEndpointProblem(value)
    expect(problem).toContain(words)
    expect(problem).not.toContain('secret@')
  })
})

describe('splitAuthority', () => {
  it("splits MSAL's authority into the host and the tenant", () => {
    expect(splitAuthority('https://login.microsoftonline.com/contoso.onmicrosoft.com/')).toEqual({
      authorityHost: 'https://login.microsoftonline.com',
      tenant: 'contoso.onmicrosoft.com',
    })
    expect(splitAuthority('https://login.microsoftonline.com/common')).toEqual({
      authorityHost: 'https://login.microsoftonline.com',
      tenant: undefined,
    })
    expect(splitAuthority('https://u:p@login.microsoftonline.com/contoso.com')).toBeUndefined()
    expect(splitAuthority('not a url')).toBeUndefined()
    expect(splitAuthority(42)).toBeUndefined()
  })
})
