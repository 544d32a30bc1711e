import { describe, expect, it } from 'vitest'
import { createRotatingNonce } from '../../src/verify/nonce.js'

const SECRET = new Uint8Array(32).fill(1)

describe('createRotatingNonce', () => {
  it('hands out a header-safe nonce that it accepts', () => {
    const nonce = createRotatingNonce({ secret: SECRET, now: () => 0 })
    const value = nonce.current()
    expect(value).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/)
    expect(nonce.isValid(value)).toBe(true)
  })

  it('reads the time from a clock given as { now() }', () => {
    let now = 0
    const nonce = createRotatingNonce({ secret: SECRET, rotateEverySec: 60, clock: { now: () => now } })
    const first = nonce.current()
    now = 60_000
    expect(nonce.current()).not.toBe(first)
  })

  it('rotates every period, accepting the previous nonce for one more period only', () => {
    let now = 0
    const nonce = createRotatingNonce({ secret: SECRET, rotateEverySec: 60, now: () => now })
    const first = nonce.current()
    now = 59_999
    expect(nonce.current()).toBe(first)
    now = 60_000
    const second = nonce.current()
    expect(second).not.toBe(first)
    expect([nonce.isValid(first), nonce.isValid(second)]).toEqual([true, true])
    now = 120_000
    expect([nonce.isValid(first), nonce.isValid(second)]).toEqual([false, true])
  })

  it('refuses a nonce from the future, a forged or altered one, and one made with another secret', () => {
    let now = 600_000
    const nonce = createRotatingNonce({ secret: SECRET, now: () => now })
    const elsewhere = createRotatingNonce({ secret: new Uint8Array(32).fill(2), now: () => now })
    now = 900_000
    const future = nonce.current()
    now = 600_000
    const current = nonce.current()
    const [window] = current.split('.')
    expect(nonce.isValid(future)).toBe(false)
    expect(nonce.isValid(`${window}.${'A'.repeat(43)}`)).toBe(false)
    expect(nonce.isValid(`${current}x`)).toBe(false)
    expect(nonce.isValid(elsewhere.current())).toBe(false)
  })

  it('accepts the nonces of another instance with the same secret (a fleet)', () => {
    const a = createRotatingNonce({ secret: SECRET, now: () => 5_000 })
    const b = createRotatingNonce({ secret: SECRET, now: () => 5_000 })
    expect(b.isValid(a.current())).toBe(true)
  })

  it.each(['', '.', 'x', 'a.b.c', '-1.abc', 'zzzzzzzzzzzzzz.abc', 'n'.repeat(129)])('refuses %j', (value) => {
    expect(createRotatingNonce({ secret: SECRET, now: () => 0 }).isValid(value)).toBe(false)
  })
})
