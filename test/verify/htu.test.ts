import { describe, expect, it } from 'vitest'
import { normalizeHtu, sameHtu } from '../../src/verify/htu.js'

describe('normalizeHtu (RFC 9449 §4.3, RFC 3986 §6.2.2-6.2.3)', () => {
  it.each([
    [
      'drops query and fragment',
      'https://api.example.com/orders?page=2#top',
      'https://api.example.com/orders',
    ],
    ['lower-cases scheme and host', 'HTTPS://API.Example.COM/Orders', 'https://api.example.com/Orders'],
    ['drops the default port', 'https://api.example.com:443/orders', 'https://api.example.com/orders'],
    ['keeps another port', 'http://127.0.0.1:8080/orders', 'http://127.0.0.1:8080/orders'],
    ['resolves dot segments', 'https://api.example.com/a/./b/../c', 'https://api.example.com/a/c'],
    ['gives an empty path as /', 'https://api.example.com', 'https://api.example.com/'],
    [
      'decodes percent-encoded unreserved characters',
      'https://h.test/%7Euser/%41%2d',
      'https://h.test/~user/A-',
    ],
    ['upper-cases other percent-encodings', 'https://h.test/a%2fb%c3%a9', 'https://h.test/a%2Fb%C3%A9'],
    ['leaves out userinfo', 'https://user:pass@h.test/x', 'https://h.test/x'],
    ['keeps IPv6 hosts', 'https://[::1]:8443/x', 'https://[::1]:8443/x'],
  ])('%s', (_, input, expected) => {
    expect(normalizeHtu(input)).toBe(expected)
  })

  it.each(['/orders', 'orders', 'ftp://h.test/x', 'not a url', ''])('refuses %j', (input) => {
    expect(normalizeHtu(input)).toBeUndefined()
  })

  it('takes a URL object', () => {
    expect(normalizeHtu(new URL('https://h.test/x?y'))).toBe('https://h.test/x')
  })
})

describe('sameHtu', () => {
  it('matches equivalent spellings and nothing else', () => {
    expect(sameHtu('https://api.example.com:443/orders', 'https://API.example.com/orders?x=1')).toBe(true)
    expect(sameHtu('https://api.example.com/orders/', 'https://api.example.com/orders')).toBe(false)
    expect(sameHtu('https://api.example.com/orders', 'http://api.example.com/orders')).toBe(false)
  })

  it('never matches when the request URL is unreadable', () => {
    expect(sameHtu('https://h.test/', '/')).toBe(false)
    expect(sameHtu('nonsense', 'nonsense')).toBe(false)
  })
})
