import { describe, expect, it } from 'vitest'
import { MAX_NONCE_CHARS, NonceStore } from '../../src/dpop/nonces.js'

describe('NonceStore', () => {
  it('keeps the latest nonce of each origin', () => {
    const nonces = new NonceStore()
    expect(nonces.remember('https://a.test', 'n1')).toBe(true)
    nonces.remember('https://a.test', 'n2')
    nonces.remember('https://b.test', 'm1')
    expect([nonces.get('https://a.test'), nonces.get('https://b.test'), nonces.size]).toEqual(['n2', 'm1', 2])
  })

  it('is bounded: the least recently set origin is forgotten first', () => {
    const nonces = new NonceStore(3)
    for (let i = 0; i < 10; i++) nonces.remember(`https://h${i}.test`, `n${i}`)
    expect(nonces.size).toBe(3)
    expect(nonces.get('https://h6.test')).toBeUndefined()
    expect(nonces.get('https://h9.test')).toBe('n9')
  })

  it('ignores what is not an RFC 9449 nonce: empty, too long, quotes, spaces, control characters', () => {
    const nonces = new NonceStore()
    for (const bad of ['', 'x'.repeat(MAX_NONCE_CHARS + 1), 'a"b', 'a b', 'a\\b', 'a\nb', null, undefined]) {
      expect(nonces.remember('https://a.test', bad)).toBe(false)
    }
    expect(nonces.size).toBe(0)
  })
})
