import { describe, expect, test } from 'vitest'
import type { GetTokenOptions, TokenRequest } from '../src/options.js'
import {
  claimsChallenge,
  type Grant,
  grantFor,
  grantForRetry,
  originProblem,
  originSchema,
  parseChallenges,
  requestOrigin,
  retryPlan,
  type TokenSource,
} from '../src/origins.js'
import { AccessToken } from '../src/token.js'

const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1764000000"}}}'
const b64 = (text: string) => Buffer.from(text).toString('base64')

function token(accessToken: string, requestedAt: number): AccessToken {
  return new AccessToken({
    accessToken,
    requestedAt,
    expiresAt: requestedAt + 3_600_000,
    refreshAt: requestedAt + 3_300_000,
    scope: 'api://myapis/mywebapi/.default',
    tenant: undefined,
  })
}

/** A source whose answers are scripted per call; records every call. */
function scriptedSource(...answers: AccessToken[]) {
  const calls: Array<{ what: string | TokenRequest; options: GetTokenOptions | undefined }> = []
  const source: TokenSource = {
    getToken(what, options) {
      calls.push({ what, options })
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)]
      return answer ? Promise.resolve(answer) : Promise.reject(new Error('no answer'))
    },
  }
  return { source, calls }
}

describe('origins', () => {
  test('an origin is normalised: case, default port and trailing slash go', () => {
    expect(originSchema.parse('HTTPS://API.Contoso.com:443/')).toBe('https://api.contoso.com')
    expect(originSchema.parse('https://api.contoso.com:8443')).toBe('https://api.contoso.com:8443')
    expect(originSchema.parse('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080')
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

describe('the 401 rule', () => {
  const clock = { now: () => 1_000 }

  test('a token requested before the call started is from the cache; one requested after is fresh', async () => {
    expect((await grantFor(scriptedSource(token('old', 999)).source, 'api://x', clock)).fresh).toBe(false)
    expect((await grantFor(scriptedSource(token('new', 1_000)).source, 'api://x', clock)).fresh).toBe(true)
  })

  test('a cached token is refreshed once; a fresh one is not; a claims challenge always gets its claims', () => {
    const cached: Grant = { token: token('old', 1), fresh: false }
    const fresh: Grant = { token: token('new', 2), fresh: true }
    const cae = `Bearer error="insufficient_claims", claims="${b64(CLAIMS)}"`
    expect(retryPlan(cached, 'Bearer error="invalid_token"')).toEqual({ kind: 'refresh' })
    expect(retryPlan(fresh, 'Bearer error="invalid_token"')).toBeUndefined()
    expect(retryPlan(fresh, null)).toBeUndefined()
    expect(retryPlan(fresh, cae)).toEqual({ kind: 'claims', claims: CLAIMS })
  })

  test('the retry forces a refresh when the cache still holds the refused token', async () => {
    const sent: Grant = { token: token('old', 1), fresh: false }
    const { source, calls } = scriptedSource(token('old', 1), token('new', 5))
    const next = await grantForRetry(source, 'api://x', sent, { kind: 'refresh' })
    expect(next.token.accessToken).toBe('new')
    expect(calls.map((c) => c.options)).toEqual([{}, { forceRefresh: true }])
  })

  test('the retry takes the token another request already refreshed, without forcing another', async () => {
    const sent: Grant = { token: token('old', 1), fresh: false }
    const { source, calls } = scriptedSource(token('newer', 5))
    expect((await grantForRetry(source, 'api://x', sent, { kind: 'refresh' })).token.accessToken).toBe(
      'newer',
    )
    expect(calls).toHaveLength(1)
  })

  test('a claims retry asks for a token with the claims (which bypasses the cache)', async () => {
    const sent: Grant = { token: token('old', 1), fresh: true }
    const { source, calls } = scriptedSource(token('cae', 5))
    const signal = new AbortController().signal
    await grantForRetry(source, 'api://x', sent, { kind: 'claims', claims: CLAIMS }, signal)
    expect(calls).toEqual([{ what: 'api://x', options: { claims: CLAIMS, signal } }])
  })
})
