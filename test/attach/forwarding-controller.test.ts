import type { Dispatcher } from 'undici'
import { describe, expect, it } from 'vitest'
import { ForwardingController } from '../../src/attach/forwarding-controller.js'

function attempt() {
  const calls: string[] = []
  const controller: Dispatcher.DispatchController = {
    aborted: false,
    paused: false,
    reason: null,
    rawHeaders: ['x', '1'],
    abort: (reason) => calls.push(`abort ${reason.message}`),
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
  }
  return { controller, calls }
}

describe('ForwardingController', () => {
  it('acts on the attempt under way', () => {
    const forwarding = new ForwardingController()
    const first = attempt()
    forwarding.target = first.controller
    forwarding.pause()
    forwarding.resume()
    expect(first.calls).toEqual(['pause', 'resume'])
    expect(forwarding.rawHeaders).toEqual(['x', '1'])
    expect([forwarding.aborted, forwarding.paused, forwarding.reason]).toEqual([false, false, null])
  })

  it('carries an abort or a pause over to the next attempt', () => {
    const paused = new ForwardingController()
    paused.pause()
    const next = attempt()
    paused.target = next.controller
    expect(next.calls).toEqual(['pause'])

    const aborted = new ForwardingController()
    aborted.abort(new Error('gone'))
    aborted.abort(new Error('again'))
    const after = attempt()
    aborted.target = after.controller
    expect(after.calls).toEqual(['abort gone'])
    expect([aborted.aborted, aborted.reason?.message]).toEqual([true, 'gone'])
  })
})
