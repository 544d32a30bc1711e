import { describe, expect, it, vi } from 'vitest'
import { TokenVerificationError } from '../../src/errors.js'
import type { AuthorizeResult } from '../../src/verify/guard.js'
import { guardMiddleware, type ResponseLike } from '../../src/verify/middleware.js'

/** A response that records what the middleware writes. */
function recordingResponse(headersSent = false) {
  const headers = new Map<string, string>()
  const ends: string[] = []
  const res: ResponseLike = {
    statusCode: 200,
    headersSent,
    setHeader: (name, value) => headers.set(name, value),
    end: (body) => ends.push(body),
  }
  return { res, headers, ends }
}

const refusal: AuthorizeResult = {
  ok: false,
  status: 401,
  headers: { 'www-authenticate': 'Bearer realm="orders"' },
  body: { error: 'unauthorized', error_description: 'no bearer token in the request' },
  error: new TokenVerificationError('malformed', 'no bearer token in the request', 'Bearer realm="orders"'),
}

describe('guardMiddleware', () => {
  const boom = new Error('the verifier broke')
  const broken = { authorize: () => Promise.reject(boom) }

  it('passes an unexpected failure to next(error) and answers nothing itself', async () => {
    const { res, ends } = recordingResponse()
    const next = vi.fn()
    expect(await guardMiddleware(broken)({ headers: {} }, res, next)).toBeUndefined()
    expect(next).toHaveBeenCalledExactlyOnceWith(boom)
    expect(ends).toEqual([])
  })

  it('rejects with an unexpected failure when there is no next (plain node:http)', async () => {
    const { res } = recordingResponse()
    await expect(guardMiddleware(broken)({ headers: {} }, res)).rejects.toBe(boom)
  })

  it('writes nothing for a refusal when the headers were already sent', async () => {
    const { res, headers, ends } = recordingResponse(true)
    const next = vi.fn()
    const refusing = { authorize: async () => refusal }
    expect(await guardMiddleware(refusing)({ headers: {} }, res, next)).toBeUndefined()
    expect([res.statusCode, headers.size, ends, next.mock.calls]).toEqual([200, 0, [], []])
  })

  it('answers a refusal with its status, headers and JSON body, without calling next', async () => {
    const { res, headers, ends } = recordingResponse()
    const next = vi.fn()
    await guardMiddleware({ authorize: async () => refusal })({ headers: {} }, res, next)
    expect(res.statusCode).toBe(401)
    expect(Object.fromEntries(headers)).toEqual({
      'www-authenticate': 'Bearer realm="orders"',
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    })
    expect(ends.map((body) => JSON.parse(body))).toEqual([refusal.body])
    expect(next).not.toHaveBeenCalled()
  })
})

describe('guardMiddleware on success', () => {
  const auth = {
    profile: 'rfc9068',
    roles: [],
    appId: 'c',
    tenantId: undefined,
    version: undefined,
    appOnly: true,
  }
  const allowed = {
    ok: true,
    auth,
    headers: { 'dpop-nonce': 'n-2' },
  } as unknown as AuthorizeResult

  it('sets the headers of the result (a fresh DPoP-Nonce) and req.auth, then calls next', async () => {
    const { res, headers } = recordingResponse()
    const next = vi.fn()
    const req: Parameters<ReturnType<typeof guardMiddleware>>[0] = { headers: {} }
    await guardMiddleware({ authorize: async () => allowed })(req, res, next)
    expect(Object.fromEntries(headers)).toEqual({ 'dpop-nonce': 'n-2' })
    expect(req.auth).toBe(auth)
    expect(next).toHaveBeenCalledExactlyOnceWith()
  })

  it('hands the guard the request evidence: method, URL, DPoP header, and the baseUrl it was given', async () => {
    const authorize = vi.fn(async () => allowed)
    const req = {
      method: 'PUT',
      url: '/orders/1',
      headers: { host: 'x', dpop: 'a.b.c', authorization: 'DPoP t' },
    }
    await guardMiddleware({ authorize }, { baseUrl: 'https://api.contoso.com' })(req, recordingResponse().res)
    expect(authorize).toHaveBeenCalledExactlyOnceWith('DPoP t', {
      request: expect.objectContaining({
        method: 'PUT',
        url: 'https://api.contoso.com/orders/1',
        dpop: 'a.b.c',
      }),
    })
  })
})
