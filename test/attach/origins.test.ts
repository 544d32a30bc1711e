import fc from 'fast-check'
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

describe('requestOrigin remembers origins by URL prefix', () => {
  /** What the URL parser says, every time: the reference the remembered answers must equal. */
  const parsed = (href: string) => {
    try {
      const url = new URL(href)
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined
    } catch {
      return undefined
    }
  }

  test.each([
    'https://api.contoso.com/orders',
    'https://api.contoso.com:443/orders',
    'https://api.contoso.com:08443/x',
    'https://api.contoso.com:99999/x',
    'https://api.contoso.com.:8443?x',
    'https://a..b/x',
    'https://0x7f.1/x',
    'https://xn--nxasmq6b.example/x',
    'https://xn--a/x',
    'http://127.0.0.1:80/x',
    'https://api.contoso.com@evil.example/x',
    'https://api.contoso.com\\@evil.example/x',
    'https://api.contoso.com%2f@evil.example/',
    'https://API.contoso.com/x',
    'https://api.contoso.com\t/x',
    ' https://api.contoso.com/x',
    'https://api.contoso.com:/x',
    'https://api.contoso.com',
    'https://-/x',
  ])('%s: the parser’s origin, first call and second', (href) => {
    expect(requestOrigin(href)).toBe(parsed(href))
    expect(requestOrigin(href)).toBe(parsed(href))
  })

  test('any URL-like string: the parser’s origin', () => {
    const piece = fc.constantFrom(
      'a',
      'A',
      '0',
      '.',
      '-',
      ':',
      '/',
      '\\',
      '@',
      '%2f',
      '?',
      '#',
      '\t',
      ' ',
      '443',
      'xn--',
    )
    const href = fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', 'https:/'),
        fc.array(piece, { maxLength: 12 }),
      )
      .map(([scheme, parts]) => scheme + parts.join(''))
    fc.assert(
      fc.property(href, (value) => {
        expect(requestOrigin(value)).toBe(parsed(value))
        expect(requestOrigin(value)).toBe(parsed(value))
      }),
      { numRuns: 2000 },
    )
  })
})
