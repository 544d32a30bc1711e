import { describe, expect, it } from 'vitest'
import { SigningKeyRing } from '../../../src/testing/token/signing-keys.js'

describe('SigningKeyRing', () => {
  it('retires every key but the current one when no kid is named, and only the named one otherwise', async () => {
    const ring = await SigningKeyRing.create()
    const first = ring.current.kid
    const second = (await ring.roll()).kid
    const third = (await ring.roll()).kid
    ring.retire(second)
    expect(ring.kids).toEqual([first, third])
    ring.retire()
    expect(ring.kids).toEqual([third])
    ring.retire(third)
    expect(ring.kids).toEqual([third]) // the current key stays
    expect(ring.jwks().keys.map((key) => [key.kid, key.issuer])).toEqual([[third, undefined]])
  })
})
