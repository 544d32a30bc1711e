import { describe, expect, it } from 'vitest'
import { hasHeader, headerList, headerValue, isReplayable } from '../../src/attach/dispatch-headers.js'

describe('dispatch headers', () => {
  it('copies every form undici accepts to a flat list, without touching the original', () => {
    const flat = Object.freeze(['accept', 'a'])
    const copy = headerList(flat as string[])
    expect(copy).toEqual(['accept', 'a'])
    expect(copy).not.toBe(flat)
    expect(headerList({ accept: 'a', many: ['b', 'c'], gone: undefined, empty: null } as never)).toEqual([
      'accept',
      'a',
      'many',
      'b',
      'many',
      'c',
      'empty',
      '',
    ])
    expect(headerList([['accept', 'a']] as never)).toEqual(['accept', 'a'])
    expect(headerList(new Map([['accept', 'a']]))).toEqual(['accept', 'a'])
    expect(headerList(undefined)).toEqual([])
  })

  it('finds a header in any case, joins repeated values, and knows which bodies replay', () => {
    expect(hasHeader(['AUTHORIZATION', 'x'], 'authorization')).toBe(true)
    expect(hasHeader(['x-authorization', 'x'], 'authorization')).toBe(false)
    expect(headerValue(['a', 'b'])).toBe('a, b')
    expect(headerValue(undefined)).toBeUndefined()
    expect([undefined, null, 'x', Buffer.from('x')].every((body) => isReplayable(body))).toBe(true)
    expect(isReplayable(new ReadableStream() as never)).toBe(false)
  })
})
