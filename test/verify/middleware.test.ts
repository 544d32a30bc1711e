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
