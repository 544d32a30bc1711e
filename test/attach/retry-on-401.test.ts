import { describe, expect, test } from 'vitest'
import { type Grant, grantFor, grantForRetry, retryPlan } from '../../src/attach/retry-on-401.js'
import type { TokenSource } from '../../src/attach/source.js'
import type { GetTokenOptions, TokenRequest } from '../../src/options.js'
import { AccessToken } from '../../src/token.js'

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
