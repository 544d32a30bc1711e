import { describe, expect, it } from 'vitest'
import { tokenHeaders } from '../../src/attach/fetch-headers.js'

const asHeaders = (init: Headers | Record<string, string>) => [...new Headers(init)]

describe('tokenHeaders', () => {
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
      expect(asHeaders(tokenHeaders(headers)?.('Bearer t') ?? {})).toEqual(expected[Math.min(i, 1)])
    })
  })

  it('leaves headers that carry an authorization (in any case, in any form) alone', () => {
    for (const headers of [
      { Authorization: 'Basic x' },
      { AUTHORIZATION: 'Basic x' },
      new Headers({ authorization: 'Basic x' }),
      [['Authorization', 'Basic x']] as [string, string][],
    ]) {
      expect(tokenHeaders(headers)).toBeUndefined()
    }
  })

  it("never changes the caller's headers, and the retry's token replaces the first", () => {
    const mine = { accept: 'a' }
    const withToken = tokenHeaders(mine)
    const first = asHeaders(withToken?.('Bearer one') ?? {})
    const retry = asHeaders(withToken?.('Bearer two') ?? {})
    expect(mine).toEqual({ accept: 'a' })
    expect(first).toContainEqual(['authorization', 'Bearer one'])
    expect(retry).toContainEqual(['authorization', 'Bearer two'])
    expect(retry).not.toContainEqual(['authorization', 'Bearer one'])

    const theirs = new Headers({ accept: 'a' })
    tokenHeaders(theirs)?.('Bearer one')
    expect(theirs.has('authorization')).toBe(false)
  })
})
