/**
 * Properties of `decodeClaims`: it never throws, and a JWT's payload decodes to exactly the JSON
 * object that was encoded.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeClaims } from '../../src/claims.js'
import { anyText } from './arbitraries.js'

const part = (text: string) => Buffer.from(text, 'utf8').toString('base64url')
const HEADER = part('{"typ":"JWT","alg":"RS256","kid":"k1"}')

/** JSON objects as a JSON parser hands them back (so that -0 and the like compare as they will decode). */
const jsonObject = fc
  .dictionary(fc.string({ unit: 'binary', maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 })
  .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>)

describe('decodeClaims', () => {
  it('never throws, and gives undefined or a plain object, whatever the text', () => {
    const segments = fc.array(fc.oneof(anyText(30), fc.base64String({ maxLength: 40 })), { maxLength: 5 })
    const text = fc.oneof(
      anyText(120),
      segments.map((s) => s.join('.')),
      fc.jsonValue().map((v) => `${HEADER}.${part(JSON.stringify(v))}.c2ln`),
      fc
        .uint8Array({ maxLength: 60 })
        .map((bytes) => `${HEADER}.${Buffer.from(bytes).toString('base64url')}.c2ln`),
    )
    fc.assert(
      fc.property(text, (token) => {
        const claims = decodeClaims(token)
        if (claims !== undefined) {
          expect(typeof claims).toBe('object')
          expect(claims).not.toBeNull()
          expect(Array.isArray(claims)).toBe(false)
        }
      }),
      { numRuns: 5000 },
    )
  })

  it('decodes any JSON object encoded as a JWT payload back to the same object', () => {
    fc.assert(
      fc.property(jsonObject, fc.base64String({ maxLength: 40 }), (claims, signature) => {
        const sig = Buffer.from(signature, 'base64').toString('base64url') || 'c2ln'
        expect(decodeClaims(`${HEADER}.${part(JSON.stringify(claims))}.${sig}`)).toEqual(claims)
      }),
      { numRuns: 3000 },
    )
  })

  it('gives undefined for a payload that is JSON but not an object', () => {
    const notObject = fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
    fc.assert(
      fc.property(notObject, (value) => {
        expect(decodeClaims(`${HEADER}.${part(JSON.stringify(value))}.c2ln`)).toBeUndefined()
      }),
      { numRuns: 1000 },
    )
  })
})
