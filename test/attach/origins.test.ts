import { describe, expect, test } from 'vitest'
import { originProblem, originSchema, requestOrigin } from '../../src/attach/origins.js'

describe('origins', () => {
  test('an origin is normalised: case, default port and trailing slash go', () => {
    expect(originSchema().parse('HTTPS://API.Contoso.com:443/')).toBe('https://api.contoso.com')
    expect(originSchema().parse('https://api.contoso.com:8443')).toBe('https://api.contoso.com:8443')
    expect(originSchema().parse('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080')
  })

  test('an origin with a path, query, fragment or user info is refused, and so is http off loopback', () => {
    expect(originProblem('https://api.contoso.com/orders')).toMatch(/origin only/)
    expect(originProblem('https://api.contoso.com?x=1')).toMatch(/origin only/)
    expect(originProblem('https://api.contoso.com#top')).toMatch(/origin only/)
    expect(originProblem('https://user:pw@api.contoso.com')).toMatch(/user name or password/)
    expect(originProblem('http://api.contoso.com')).toMatch(/https/)
    expect(originProblem('ftp://api.contoso.com')).toMatch(/https/)
    expect(originProblem('api.contoso.com')).toMatch(/not a valid URL/)
    expect(originProblem('http://localhost:3000')).toBeUndefined()
  })

  test('a request origin is compared by scheme, host and port only', () => {
    expect(requestOrigin('HTTPS://API.contoso.com:443/orders?id=1')).toBe('https://api.contoso.com')
    expect(requestOrigin(new URL('http://api.contoso.com:80/x'))).toBe('http://api.contoso.com')
    expect(requestOrigin('https://api.contoso.com:8443/x')).toBe('https://api.contoso.com:8443')
    expect(requestOrigin('/relative')).toBeUndefined()
    expect(requestOrigin('data:text/plain,hi')).toBeUndefined()
    expect(requestOrigin({ toString: () => 'https://api.contoso.com' })).toBeUndefined()
  })
})
