import { describe, expect, it } from 'vitest'
import {
  insecureUrlProblem,
  isLoopbackHost,
  normalizeAuthorityHost,
  tenantProblem,
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
