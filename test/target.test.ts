import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../src/errors.js'
import { type AuthorityConfig, RequestResolver } from '../src/target.js'

const HOST = 'https://login.microsoftonline.com'
const CONTOSO = 'f6aba1d9-da41-4ea3-8f30-4970725586a8'
const FABRIKAM = 'a3d2c1b0-9e8f-4a7b-8c6d-5e4f3a2b1c0d'
const NORTHWIND = 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6'
const entra: AuthorityConfig = { kind: 'entra', authorityHost: HOST, tenant: CONTOSO, version: 'v2' }

function refusal(run: () => unknown): ConfigurationError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return error as ConfigurationError
  }
  throw new Error('expected a ConfigurationError')
}

describe('RequestResolver', () => {
  it('memoises per tenant, and forgets all tenants at once when more tenants than the limit are seen', () => {
    const requests = new RequestResolver(entra, 2)
    const first = requests.resolve('api://orders', FABRIKAM)
    expect(requests.resolve('api://orders', FABRIKAM)).toBe(first)
    requests.resolve('api://orders', NORTHWIND)
    requests.resolve('api://orders', CONTOSO) // a third tenant: the tenants' memos are dropped
    const again = requests.resolve('api://orders', FABRIKAM)
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
    expect(again.tokenEndpoint).toBe(`${HOST}/${FABRIKAM}/oauth2/v2.0/token`)
  })

  it('takes an Entra request naming its one API by resource', () => {
    const target = new RequestResolver(entra, 10).resolve({ resource: 'api://orders' }, undefined)
    expect(target.params).toEqual([['scope', 'api://orders/.default']])
  })

  it('refuses an Entra request naming both scope and resource', () => {
    const error = refusal(() =>
      new RequestResolver(entra, 10).resolve({ scope: 'api://a/.default', resource: 'api://a' }, undefined),
    )
    expect(error.path).toBe('scope')
    expect(error.message).toContain('give scope or resource for Entra, not both: both name the API')
  })

  it.each([
    ['two scopes', { scope: ['api://a/.default', 'api://b/.default'] }, 'scope'],
    ['two resources', { resource: ['api://a', 'api://b'] }, 'resource'],
  ])('refuses an Entra request with %s, naming the field', (_name, request, path) => {
    const error = refusal(() => new RequestResolver(entra, 10).resolve(request, undefined))
    expect(error.path).toBe(path)
    expect(error.message).toMatch(/exactly one resource/)
  })

  it('refuses a per-call tenant for a generic token endpoint', () => {
    const generic = new RequestResolver(
      { kind: 'generic', tokenEndpoint: 'https://auth.example.com/token' },
      10,
    )
    expect(generic.resolve('orders.read', undefined).params).toEqual([['scope', 'orders.read']])
    expect(refusal(() => generic.resolve('orders.read', CONTOSO)).path).toBe('tenant')
  })
})

describe('a resolved Entra request', () => {
  it('prints and serialises as the request, never as the token its cache slot holds', () => {
    const request = new RequestResolver(entra, 10).resolve('api://orders', undefined)
    const token = { accessToken: 'secret-token-value', refreshAt: 0 }
    Object.assign(request, { token, slot: request })
    for (const shown of [JSON.stringify(request), inspect(request, { showHidden: true, depth: 5 })]) {
      expect(shown).not.toContain('secret-token-value')
      expect(shown).toContain('api://orders/.default')
    }
  })

  it('builds its form parameters and label when asked, from the scope and its tenant', () => {
    const request = new RequestResolver(entra, 10).resolve('api://orders/.default', FABRIKAM)
    expect(request.params).toEqual([['scope', 'api://orders/.default']])
    expect(request.label).toBe(`${FABRIKAM} api://orders/.default`)
    expect(request.key).toBe(`${FABRIKAM}\u0000scope\u0000api://orders/.default`)
    const v1 = new RequestResolver({ ...entra, version: 'v1' }, 10).resolve(
      'api://orders/.default',
      undefined,
    )
    expect(v1.params).toEqual([['resource', 'api://orders']])
    expect(v1.key).toBe(`${CONTOSO}\u0000resource\u0000api://orders`)
  })
})
