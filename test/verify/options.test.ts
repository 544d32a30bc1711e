import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { createGuard, createTokenVerifier, type TokenVerifierOptions } from '../../src/verify/index.js'

const TENANT = 'f6aba1d9-da41-4ea3-8f30-4970725586a8'
const valid = { tenant: TENANT, audience: 'api://orders' }

function configError(options: unknown): ConfigurationError {
  try {
    createTokenVerifier(options as TokenVerifierOptions)
  } catch (error) {
    if (error instanceof ConfigurationError) return error
    throw error
  }
  throw new Error('expected a ConfigurationError')
}

describe('verifier options', () => {
  it('accepts a tenant and an audience, and nothing more', () => {
    expect(() => createTokenVerifier(valid)).not.toThrow()
  })

  it.each([
    ['no audience', { tenant: TENANT }, 'audience'],
    ['an empty audience list', { ...valid, audience: [] }, 'audience'],
    ['a domain as tenant', { ...valid, tenant: 'contoso.onmicrosoft.com' }, 'tenant'],
    ['the all-zero tenant', { ...valid, tenant: '00000000-0000-0000-0000-000000000000' }, 'tenant'],
    ['a bad entry in tenants', { audience: 'x', tenants: [TENANT, 'common'] }, 'tenants.1'],
    ['tenant and tenants', { ...valid, tenants: [TENANT] }, 'tenants'],
    ['neither tenant nor a fixed issuer', { audience: 'x' }, 'tenant'],
    [
      'an issuer template without tenants',
      { audience: 'x', issuer: 'https://i/{tenantid}/', jwksUri: 'https://k' },
      'tenants',
    ],
    ['a fixed issuer without jwksUri', { audience: 'x', issuer: 'https://i/' }, 'jwksUri'],
    [
      'cloud and authorityHost',
      { ...valid, cloud: 'AzureChina', authorityHost: 'https://login.chinacloudapi.cn' },
      'authorityHost',
    ],
    ['an unknown cloud', { ...valid, cloud: 'Mars' }, 'cloud'],
    ['plain http to a remote JWKS', { ...valid, jwksUri: 'http://keys.example.com/keys' }, 'jwksUri'],
    ['a jwksUri that is not a URL', { ...valid, jwksUri: 'keys.example.com/keys' }, 'jwksUri'],
    ['alg none', { ...valid, algorithms: ['none'] }, 'algorithms.0'],
    ['an HMAC algorithm', { ...valid, algorithms: ['RS256', 'HS256'] }, 'algorithms.1'],
    ['a negative tolerance', { ...valid, clockToleranceSec: -1 }, 'clockToleranceSec'],
    ['an empty role list', { ...valid, requiredRoles: [] }, 'requiredRoles'],
    ['a role rule with neither all nor any', { ...valid, requiredRoles: {} }, 'requiredRoles'],
    ['an unknown option', { ...valid, audiences: ['x'] }, ''],
    ['an unknown profile', { ...valid, profile: 'okta' }, 'profile'],
    ['tenant with profile rfc9068', { ...valid, profile: 'rfc9068' }, 'tenant'],
    ['an HMAC DPoP algorithm', { ...valid, dpop: { algorithms: ['HS256'] } }, 'dpop.algorithms.0'],
    ['no DPoP algorithm', { ...valid, dpop: { algorithms: [] } }, 'dpop.algorithms'],
    ['a proof age of 0', { ...valid, dpop: { maxAgeSec: 0 } }, 'dpop.maxAgeSec'],
    ['a proof age over an hour', { ...valid, dpop: { maxAgeSec: 3601 } }, 'dpop.maxAgeSec'],
    ['an empty replay cache', { ...valid, dpop: { replayCacheSize: 0 } }, 'dpop.replayCacheSize'],
    ['a replay cache without use()', { ...valid, dpop: { replayCache: {} } }, 'dpop.replayCache'],
    ['a nonce without isValid()', { ...valid, dpop: { nonce: { current: () => 'n' } } }, 'dpop.nonce'],
    ['nonce: false', { ...valid, dpop: { nonce: false } }, 'dpop.nonce'],
    ['an unknown dpop option', { ...valid, dpop: { window: 60 } }, 'dpop'],
  ])('refuses %s, naming the option', (_, options, path) => {
    const error = configError(options)
    expect([error.code, error.path]).toEqual(['ERR_CONFIG_INVALID', path])
  })

  it('names the option a misspelt key probably meant, as the client does', () => {
    expect(configError({ ...valid, audiences: ['x'] }).message).toContain('did you mean audience?')
  })

  it('refuses a clock and the deprecated now together', () => {
    const clock = { now: () => 0 }
    expect(configError({ ...valid, clock, now: () => 0 }).path).toBe('now')
  })

  it('explains why a domain name is not accepted as tenant', () => {
    expect(configError({ ...valid, tenant: 'contoso.onmicrosoft.com' }).message).toContain(
      'never a domain name',
    )
  })

  it('explains that none and HMAC algorithms are never allowed', () => {
    expect(configError({ ...valid, algorithms: ['HS256'] }).message).toContain('never none, never an HMAC')
  })

  it('accepts http only for loopback hosts', () => {
    expect(() => createTokenVerifier({ ...valid, authorityHost: 'http://127.0.0.1:4000' })).not.toThrow()
    expect(() => createTokenVerifier({ ...valid, jwksUri: 'http://localhost:4000/keys' })).not.toThrow()
    expect(configError({ ...valid, authorityHost: 'http://login.example.com' }).path).toBe('authorityHost')
  })
})

describe('guard options', () => {
  it('refuses bad requiredRoles at construction, for the guard and for a route', () => {
    const verifier = createTokenVerifier(valid)
    const guardError = (() => {
      try {
        createGuard(verifier, { requiredRoles: [''] })
      } catch (error) {
        return error
      }
    })()
    expect(guardError).toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      path: 'options.requiredRoles.0',
      message: 'options.requiredRoles.0: a role name cannot be empty',
    })
    expect(() => createGuard(verifier).middleware({ requiredRoles: { every: ['A'] } as never })).toThrow(
      ConfigurationError,
    )
  })

  it('takes a baseUrl for DPoP proofs behind a proxy: https, or http on loopback', () => {
    const verifier = createTokenVerifier(valid)
    expect(() => createGuard(verifier, { baseUrl: 'https://api.contoso.com/orders' })).not.toThrow()
    expect(() => createGuard(verifier).middleware({ baseUrl: 'http://127.0.0.1:8080' })).not.toThrow()
    expect(() => createGuard(verifier, { baseUrl: 'http://api.contoso.com' })).toThrow(ConfigurationError)
    expect(() => createGuard(verifier, { baseUrl: 'api.contoso.com' })).toThrow(ConfigurationError)
  })

  it('refuses a request that is not an object, and an unknown call option', async () => {
    const guard = createGuard(createTokenVerifier(valid))
    await expect(guard.authorize('Bearer x', { request: 'GET /' as never })).rejects.toMatchObject({
      path: 'options.request',
    })
    await expect(guard.authorize('Bearer x', { dpop: 'x' } as never)).rejects.toBeInstanceOf(
      ConfigurationError,
    )
  })
})

describe('dpop options', () => {
  it('offers DPoP (its algorithms, and the nonce when it requires one) only when dpop is given', () => {
    expect(createTokenVerifier(valid).dpop).toBeUndefined()
    expect(createTokenVerifier({ ...valid, dpop: {} }).dpop?.algorithms).toContain('ES256')
    expect(createTokenVerifier({ ...valid, dpop: {} }).dpop?.nonce).toBeUndefined()
    const withNonce = createTokenVerifier({ ...valid, dpop: { algorithms: ['ES256'], nonce: true } })
    expect(withNonce.dpop?.algorithms).toEqual(['ES256'])
    expect(withNonce.dpop?.nonce?.()).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/)
  })

  it('takes your own nonce source and replay cache', () => {
    const nonce = { current: () => 'n-1', isValid: (value: string) => value === 'n-1' }
    const verifier = createTokenVerifier({ ...valid, dpop: { nonce, replayCache: { use: () => true } } })
    expect(verifier.dpop?.nonce?.()).toBe('n-1')
  })
})
