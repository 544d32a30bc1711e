import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { createDpopKey } from '../../src/dpop/key.js'
import { attachDpopSession, DpopSession, dpopSession, dpopSessionOf } from '../../src/dpop/session.js'
import { AuthorityError } from '../../src/errors.js'

const clock = { now: () => Date.now() }
const URL_ = 'https://as.example.test/token'
const nonceError = () => new AuthorityError('use_dpop_nonce', { status: 400, error: 'use_dpop_nonce' })

describe('DpopSession', () => {
  it("puts the origin's latest nonce in the next proof", async () => {
    const session = new DpopSession(createDpopKey({}), clock)
    expect(decodeJwt(await session.proof({ method: 'POST', url: URL_ })).nonce).toBeUndefined()
    session.noteNonce('https://as.example.test/other', 'n-7')
    expect(decodeJwt(await session.proof({ method: 'POST', url: URL_ })).nonce).toBe('n-7')
  })

  it('retries once when the server asks for a nonce and sends one', async () => {
    const session = new DpopSession(createDpopKey({}), clock)
    let calls = 0
    const result = await session.withNonceRetry(URL_, async () => {
      calls++
      if (calls === 1) {
        session.noteNonce(URL_, 'n-1')
        throw nonceError()
      }
      return 'token'
    })
    expect([result, calls]).toEqual(['token', 2])
  })

  it('stops after one retry when the server asks for a nonce forever (a storm is two requests)', async () => {
    const session = new DpopSession(createDpopKey({}), clock)
    let calls = 0
    const storm = session.withNonceRetry(URL_, async () => {
      session.noteNonce(URL_, `n-${++calls}`)
      throw nonceError()
    })
    await expect(storm).rejects.toMatchObject({ code: 'ERR_AUTHORITY_REJECTED', error: 'use_dpop_nonce' })
    expect(calls).toBe(2)
  })

  it('does not retry a nonce request that carried no new nonce, nor any other error', async () => {
    const session = new DpopSession(createDpopKey({}), clock)
    let calls = 0
    await expect(
      session.withNonceRetry(URL_, async () => {
        calls++
        throw nonceError()
      }),
    ).rejects.toThrow()
    await expect(
      session.withNonceRetry(URL_, async () => {
        calls++
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(calls).toBe(2)
  })

  it('is found from the source it was attached to, and only from it', () => {
    const session = dpopSession(true, clock)
    const source = {}
    if (session) attachDpopSession(source, session)
    expect(dpopSessionOf(source)).toBe(session)
    expect(dpopSessionOf({})).toBeUndefined()
    expect(dpopSession(undefined, clock)).toBeUndefined()
  })
})
