import { describe, expect, it } from 'vitest'
import { abandonable } from '../src/abandonable.js'

describe('abandonable', () => {
  it('answers with the promise while the signal has not aborted', async () => {
    await expect(abandonable(Promise.resolve(1), new AbortController().signal)).resolves.toBe(1)
    const failure = new Error('no')
    await expect(abandonable(Promise.reject(failure), new AbortController().signal)).rejects.toBe(failure)
  })

  it("rejects with the signal's reason as soon as it aborts, the promise still pending", async () => {
    const controller = new AbortController()
    const waiting = abandonable(new Promise(() => {}), controller.signal)
    const reason = new Error('closed')
    controller.abort(reason)
    await expect(waiting).rejects.toBe(reason)
  })

  it('handles the rejection of a promise it let go of (an already aborted signal)', async () => {
    const seen: unknown[] = []
    const listener = (reason: unknown) => seen.push(reason)
    process.on('unhandledRejection', listener)
    try {
      const reason = new Error('closed')
      await expect(abandonable(Promise.reject(new Error('late')), AbortSignal.abort(reason))).rejects.toBe(
        reason,
      )
      await new Promise((resolve) => setImmediate(resolve))
      expect(seen).toEqual([])
    } finally {
      process.off('unhandledRejection', listener)
    }
  })
})
