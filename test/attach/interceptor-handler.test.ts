import { Duplex } from 'node:stream'
import type { Dispatcher } from 'undici'
import { describe, expect, test } from 'vitest'
import { createAuthInterceptor } from '../../src/attach/interceptor.js'
import type { TokenSource } from '../../src/attach/source.js'
import { AccessToken } from '../../src/token.js'
import { RESOURCE, TENANT } from './interceptor-fixtures.js'

describe('the handler, driven by hand (a fake dispatch and controllers)', () => {
  const ORIGIN = 'https://api.contoso.com'
  const NOW = 10_000

  const tokenAt = (accessToken: string, requestedAt: number) =>
    new AccessToken({
      accessToken,
      requestedAt,
      expiresAt: requestedAt + 3_600_000,
      refreshAt: requestedAt + 3_000_000,
      scope: `${RESOURCE}/.default`,
      tenant: TENANT,
    })

  /** A controller of one attempt, recording what is done to it. */
  function attempt(name: string, raw = true) {
    const calls: string[] = []
    const controller: Dispatcher.DispatchController = {
      aborted: false,
      paused: false,
      reason: null,
      ...(raw ? { rawHeaders: [`x-attempt`, name], rawTrailers: [`x-trailer`, name] } : {}),
      abort: (reason) => void calls.push(`abort ${reason.message}`),
      pause: () => void calls.push('pause'),
      resume: () => void calls.push('resume'),
    }
    return { controller, calls }
  }

  /** The caller's handler, recording the events it sees and keeping the controller it was given. */
  function callerHandler() {
    const events: string[] = []
    const state: { controller?: Dispatcher.DispatchController; error?: Error } = {}
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (controller) => {
        state.controller = controller
        events.push('start')
      },
      onRequestUpgrade: (_c, status) => void events.push(`upgrade ${status}`),
      onResponseStart: (_c, status) => void events.push(`response ${status}`),
      onResponseData: (_c, chunk) => void events.push(`data ${chunk.toString()}`),
      onResponseEnd: () => void events.push('end'),
      onResponseError: (_c, error) => {
        state.error = error
        events.push(`error ${error.message}`)
      },
      onResponseStarted: () => void events.push('started'),
      onBodySent: (chunk) => void events.push(`body sent ${chunk.toString()}`),
      onRequestSent: () => void events.push('request sent'),
    }
    return { handler, events, state }
  }

  /** An interceptor over a fake dispatch that records each attempt's options and handler. */
  function intercept(getToken: TokenSource['getToken'], dispatchImpl?: () => boolean) {
    const sent: Array<{ opts: Dispatcher.DispatchOptions; handler: Dispatcher.DispatchHandler }> = []
    const dispatch: Dispatcher.Dispatch = (opts, handler) => {
      sent.push({ opts, handler })
      return dispatchImpl ? dispatchImpl() : true
    }
    const clock = { now: () => NOW }
    const run = createAuthInterceptor({ getToken }, { [ORIGIN]: RESOURCE }, { clock })(dispatch)
    return { sent, run }
  }

  const flush = () => new Promise<void>((resolve) => setImmediate(resolve))
  const sentHeaders = (opts: Dispatcher.DispatchOptions | undefined) => opts?.headers as string[]

  test('sends headers given as pairs, with repeated values and nulls, plus the bearer token', async () => {
    const { sent, run } = intercept(async () => tokenAt('token-1', NOW))
    const headers = [
      ['x-a', '1'],
      ['x-b', ['2', '3']],
    ] as unknown as string[]
    run({ origin: ORIGIN, path: '/', method: 'GET', headers }, callerHandler().handler)
    run(
      {
        origin: ORIGIN,
        path: '/',
        method: 'GET',
        headers: { 'x-c': undefined, 'x-d': null as unknown as string },
      },
      callerHandler().handler,
    )
    await flush()
    expect(sentHeaders(sent[0]?.opts)).toEqual([
      'x-a',
      '1',
      'x-b',
      '2',
      'x-b',
      '3',
      'authorization',
      'Bearer token-1',
    ])
    expect(sentHeaders(sent[1]?.opts)).toEqual(['x-d', '', 'authorization', 'Bearer token-1'])
  })

  test("forwards the attempt's events and the caller's pause, resume and headers to the attempt", async () => {
    const { sent, run } = intercept(async () => tokenAt('token-1', NOW))
    const caller = callerHandler()
    run({ origin: ORIGIN, path: '/', method: 'POST', body: 'order' }, caller.handler)
    await flush()
    const first = attempt('1')
    const handler = sent[0]?.handler
    handler?.onRequestStart?.(first.controller, {})
    handler?.onBodySent?.(Buffer.from('order'))
    handler?.onRequestSent?.()
    handler?.onResponseStarted?.()
    const forwarding = caller.state.controller
    forwarding?.pause()
    expect(forwarding?.paused).toBe(true)
    forwarding?.resume()
    expect([forwarding?.paused, forwarding?.aborted, forwarding?.reason]).toEqual([false, false, null])
    expect([forwarding?.rawHeaders, forwarding?.rawTrailers]).toEqual([
      ['x-attempt', '1'],
      ['x-trailer', '1'],
    ])
    handler?.onResponseStart?.(first.controller, 200, {}, 'OK')
    handler?.onResponseData?.(first.controller, Buffer.from('done'))
    handler?.onResponseEnd?.(first.controller, {})
    expect(first.calls).toEqual(['pause', 'resume'])
    expect(caller.events).toEqual([
      'start',
      'body sent order',
      'request sent',
      'started',
      'response 200',
      'data done',
      'end',
    ])
  })

  /** A cached token refused with 401: the refusal is drained and the retry waits for `retryToken`. */
  async function refusedOnce(retryToken: () => Promise<AccessToken>) {
    let calls = 0
    const { sent, run } = intercept(async () => {
      calls++
      if (calls === 1) return tokenAt('token-1', NOW - 60_000) // from the cache: not fresh
      if (calls === 2) return tokenAt('token-1', NOW - 60_000) // still the refused one
      return retryToken() // the forced refresh
    })
    const caller = callerHandler()
    run({ origin: ORIGIN, path: '/', method: 'GET' }, caller.handler)
    await flush()
    const first = attempt('1')
    const handler = sent[0]?.handler
    handler?.onRequestStart?.(first.controller, {})
    handler?.onResponseStart?.(first.controller, 401, { 'www-authenticate': ['Bearer realm=""', 'Basic'] })
    handler?.onResponseData?.(first.controller, Buffer.from('refused'))
    handler?.onResponseEnd?.(first.controller, {})
    return { sent, caller, first, handler }
  }

  test('a 401 is drained unseen; the retry keeps the pause, starts the caller only once and shows its raw headers', async () => {
    const { sent, caller, handler } = await refusedOnce(async () => tokenAt('token-2', NOW))
    caller.state.controller?.pause()
    await flush()
    expect(sentHeaders(sent[1]?.opts)).toEqual(['authorization', 'Bearer token-2'])
    const second = attempt('2', false)
    handler?.onRequestStart?.(second.controller, {})
    expect(second.calls).toEqual(['pause'])
    expect([caller.state.controller?.rawHeaders, caller.state.controller?.rawTrailers]).toEqual([null, null])
    handler?.onResponseStart?.(second.controller, 200, {})
    handler?.onResponseEnd?.(second.controller, {})
    expect(caller.events).toEqual(['start', 'response 200', 'end'])
  })

  test('an abort while the retry token is fetched stops the retry and gives the caller the reason', async () => {
    let deliver!: (token: AccessToken) => void
    const { sent, caller } = await refusedOnce(() => new Promise((resolve) => (deliver = resolve)))
    const reason = new Error('caller gave up')
    caller.state.controller?.abort(reason)
    expect([caller.state.controller?.aborted, caller.state.controller?.reason]).toEqual([true, reason])
    deliver(tokenAt('token-2', NOW))
    await flush()
    expect(sent).toHaveLength(1)
    expect(caller.events).toEqual(['start', 'error caller gave up'])
    expect(caller.state.error).toBe(reason)
  })

  test('when the token for the retry cannot be had, the caller gets that error and nothing is resent', async () => {
    const { sent, caller } = await refusedOnce(() => Promise.reject(new Error('authority down')))
    await flush()
    expect(sent).toHaveLength(1)
    expect(caller.events).toEqual(['start', 'error authority down'])
  })

  test('a request without an origin passes untouched, with no token asked for', () => {
    let asked = 0
    const { sent, run } = intercept(async () => {
      asked++
      return tokenAt('token-1', NOW)
    })
    const opts = { path: '/', method: 'GET' as const, headers: ['x-a', '1'] }
    run(opts, callerHandler().handler)
    expect(sent[0]?.opts).toBe(opts)
    expect(asked).toBe(0)
  })

  test('an abort between the retry being dispatched and starting aborts the retry', async () => {
    const { sent, caller, handler } = await refusedOnce(async () => tokenAt('token-2', NOW))
    await flush()
    expect(sent).toHaveLength(2)
    caller.state.controller?.abort(new Error('too late'))
    const second = attempt('2')
    handler?.onRequestStart?.(second.controller, {})
    expect(second.calls).toEqual(['abort too late'])
  })

  test('a dispatch that throws, or a token source that rejects with a non-Error, fails the request with an Error', async () => {
    const throwing = intercept(
      async () => tokenAt('token-1', NOW),
      () => {
        throw new TypeError('invalid method')
      },
    )
    const first = callerHandler()
    throwing.run({ origin: ORIGIN, path: '/', method: 'GET' }, first.handler)
    const rejecting = intercept(() => Promise.reject('authority unreachable'))
    const second = callerHandler()
    rejecting.run({ origin: ORIGIN, path: '/', method: 'GET' }, second.handler)
    await flush()
    expect(first.events).toEqual(['error invalid method'])
    expect(first.state.error).toBeInstanceOf(TypeError)
    expect(second.events).toEqual(['error authority unreachable'])
    expect(second.state.error).toBeInstanceOf(Error)
    expect(rejecting.sent).toHaveLength(0)
  })

  test('hands an upgrade to the caller, and does not report a later error of that attempt', async () => {
    const { sent, run } = intercept(async () => tokenAt('token-1', NOW))
    const caller = callerHandler()
    run({ origin: ORIGIN, path: '/', method: 'GET', upgrade: 'websocket' }, caller.handler)
    await flush()
    const first = attempt('1')
    sent[0]?.handler.onRequestStart?.(first.controller, {})
    sent[0]?.handler.onRequestUpgrade?.(first.controller, 101, {}, new Duplex())
    sent[0]?.handler.onResponseError?.(first.controller, new Error('socket closed'))
    expect(caller.events).toEqual(['start', 'upgrade 101'])
  })
})
