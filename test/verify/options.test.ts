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
  ])('refuses %s, naming the option', (_, options, path) => {
    const error = configError(options)
    expect([error.code, error.path]).toEqual(['ERR_CONFIG_INVALID', path])
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
})
