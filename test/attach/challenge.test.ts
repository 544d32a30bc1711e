import { describe, expect, test } from 'vitest'
import { claimsChallenge, parseChallenges } from '../../src/attach/challenge.js'

const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1764000000"}}}'
const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('WWW-Authenticate challenges', () => {
  test('challenges and their parameters are parsed, quoted or not, several per header', () => {
    expect(parseChallenges('Bearer realm="api", error="invalid_token", Basic realm=x')).toEqual([
      { scheme: 'bearer', params: { realm: 'api', error: 'invalid_token' } },
      { scheme: 'basic', params: { realm: 'x' } },
    ])
    expect(parseChallenges('Negotiate abc+/==, Bearer')).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'bearer', params: {} },
    ])
    expect(parseChallenges('Bearer error_description="say \\"hi\\", then go"')).toEqual([
      { scheme: 'bearer', params: { error_description: 'say "hi", then go' } },
    ])
  })

  test('broken text ends the list without throwing', () => {
    expect(parseChallenges('Bearer error="unterminated')).toEqual([{ scheme: 'bearer', params: {} }])
    expect(parseChallenges('')).toEqual([])
    expect(parseChallenges(' , ')).toEqual([])
  })

  test('a CAE challenge yields its claims decoded from base64', () => {
    const header = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${b64(CLAIMS)}"`
    expect(claimsChallenge(header)).toBe(CLAIMS)
    expect(claimsChallenge(`PoP nonce="x", ${header}`)).toBe(CLAIMS)
  })

  test('no claims without error="insufficient_claims", a Bearer scheme, or base64 of a JSON object', () => {
    expect(claimsChallenge(`Bearer error="invalid_token", claims="${b64(CLAIMS)}"`)).toBeUndefined()
    expect(claimsChallenge(`Basic error="insufficient_claims", claims="${b64(CLAIMS)}"`)).toBeUndefined()
    expect(claimsChallenge('Bearer error="insufficient_claims", claims="not base64!"')).toBeUndefined()
    expect(claimsChallenge(`Bearer error="insufficient_claims", claims="${b64('[1]')}"`)).toBeUndefined()
    expect(claimsChallenge(null)).toBeUndefined()
  })
})
