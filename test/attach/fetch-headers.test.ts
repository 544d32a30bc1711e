import { describe, expect, it } from 'vitest'
import { callerHeaders } from '../../src/attach/fetch-headers.js'

const asHeaders = (init: Headers | Record<string, string>) => [...new Headers(init)]

describe('callerHeaders', () => {
  it('adds the token to no headers, a plain object, a Headers and a list of pairs alike', () => {
    const given = [
      undefined,
      { accept: 'a' },
      new Headers({ accept: 'a' }),
      [['accept', 'a']] as [string, string][],
    ]
    const expected = [
      [['authorization', 'Bearer t']],
      [
        ['accept', 'a'],
        ['authorization', 'Bearer t'],
      ],
    ]
    given.forEach((headers, i) => {
      expect(asHeaders(callerHeaders(headers)?.('Bearer t') ?? {})).toEqual(expected[Math.min(i, 1)])
    })
  })

  it('leaves headers that carry an authorization (in any case, in any form) alone', () => {
    for (const headers of [
      { Authorization: 'Basic x' },
      { AUTHORIZATION: 'Basic x' },
      new Headers({ authorization: 'Basic x' }),
      [['Authorization', 'Basic x']] as [string, string][],
    ]) {
      expect(callerHeaders(headers)).toBeUndefined()
    }
  })

  it("never changes the caller's headers, and the retry's token replaces the first", () => {
    const mine = { accept: 'a' }
    const withToken = callerHeaders(mine)
    const first = asHeaders(withToken?.('Bearer one') ?? {})
    const retry = asHeaders(withToken?.('Bearer two') ?? {})
    expect(mine).toEqual({ accept: 'a' })
    expect(first).toContainEqual(['authorization', 'Bearer one'])
    expect(retry).toContainEqual(['authorization', 'Bearer two'])
    expect(retry).not.toContainEqual(['authorization', 'Bearer one'])

    const theirs = new Headers({ accept: 'a' })
    callerHeaders(theirs)?.('Bearer one')
    expect(theirs.has('authorization')).toBe(false)
  })

  it('adds a DPoP proof beside the token in every form, replacing a dpop header the caller gave', () => {
    for (const headers of [
      undefined,
      { accept: 'a', DPoP: 'stale' },
      new Headers({ accept: 'a', dpop: 'stale' }),
      [['DPoP', 'stale']] as [string, string][],
    ]) {
      const sent = new Headers(callerHeaders(headers)?.('DPoP t', 'proof') ?? {})
      expect(sent.get('authorization')).toBe('DPoP t')
      expect(sent.get('dpop')).toBe('proof')
    }
  })
})
