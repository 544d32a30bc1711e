import { describe, expect, it } from 'vitest'
import { createReplayCache, replayId } from '../../src/verify/replay-cache.js'

describe('createReplayCache', () => {
  it('answers true the first time and false for a replay until the entry expires', () => {
    let now = 1_000
    const cache = createReplayCache({ max: 10, now: () => now })
    expect(cache.use('a', 2_000)).toBe(true)
    expect(cache.use('a', 2_000)).toBe(false)
    now = 1_999
    expect(cache.use('a', 2_000)).toBe(false)
    now = 2_000
    expect(cache.use('a', 3_000)).toBe(true)
    expect(cache.use('a', 3_000)).toBe(false)
  })

  it('stays within its bound however many proofs arrive, evicting the least recently used', () => {
    const cache = createReplayCache({ max: 3, now: () => 0 })
    for (let i = 0; i < 1_000; i++) expect(cache.use(`id-${i}`, 1_000)).toBe(true)
    expect(cache.size).toBe(3)
    expect(cache.use('id-999', 1_000)).toBe(false)
    expect(cache.use('id-0', 1_000)).toBe(true)
  })
})

describe('replayId', () => {
  it('has a fixed length whatever the jti, and depends on both key and jti', () => {
    const ids = [
      replayId('k1', 'j'),
      replayId('k1', 'j'.repeat(10_000)),
      replayId('k2', 'j'),
      replayId('k1\u0000j', ''),
    ]
    expect(ids.map((id) => id.length)).toEqual([43, 43, 43, 43])
    expect(new Set(ids).size).toBe(4)
    expect(replayId('k1', 'j')).toBe(ids[0])
  })
})
