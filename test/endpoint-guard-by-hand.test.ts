/**
 * The endpoint guard's handler, driven by hand: a fake dispatcher (without `compose`, so the guard wraps
 * it by inheritance) plays undici's part, so each check is seen on its own.
 */
import type { Dispatcher } from 'undici'
import { describe, expect, it } from 'vitest'
import { guardEndpoint } from '../src/endpoint-guard.js'
import { TransportError } from '../src/errors.js'
import { watchedRequests } from '../src/request-watch.js'

describe('the guard, driven by hand (a fake dispatcher without compose)', () => {
  const ENDPOINT = 'https://login.example.com/tenant/oauth2/v2.0/token'

  /** Dispatches through a guard over a fake dispatcher; `script` plays the dispatcher's part. */
  function drive(
    script: (handler: Dispatcher.DispatchHandler, controller: Dispatcher.DispatchController) => void,
  ) {
    const events: string[] = []
    let dispatched: Dispatcher.DispatchOptions | undefined
    let aborted: Error | undefined
    const controller: Dispatcher.DispatchController = {
      aborted: false,
      paused: false,
      reason: null,
      abort: (reason) => {
        aborted ??= reason
      },
      pause: () => {},
      resume: () => {},
    }
    const fake = {
      dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
        dispatched = opts
        script(handler, controller)
        return true
      },
    } as unknown as Dispatcher
    const guard = guardEndpoint(fake, { url: ENDPOINT, clientRequestId: 'id-hand' })
    guard.dispatcher.dispatch(
      { origin: 'https://login.example.com', path: '/tenant/oauth2/v2.0/token', method: 'POST' },
      {
        onRequestStart: () => events.push('start'),
        onResponseStart: (_c, status) => events.push(`response ${status}`),
        onResponseData: () => events.push('data'),
        onResponseEnd: () => events.push('end'),
        onResponseError: (_c, error) => events.push(`error ${error.message}`),
      },
    )
    guard.close()
    return { events, dispatched, aborted: () => aborted as TransportError | undefined }
  }

  it('asks every redirect interceptor not to follow, and passes a plain answer on untouched', () => {
    const run = drive((handler, controller) => {
      handler.onRequestStart?.(controller, {})
      handler.onResponseStart?.(controller, 200, {}, 'OK')
      handler.onResponseData?.(controller, Buffer.from('{}'))
      handler.onResponseEnd?.(controller, {})
    })
    expect(run.dispatched).toMatchObject({ maxRedirections: 0 })
    expect(run.events).toEqual(['start', 'response 200', 'data', 'end'])
    expect(run.aborted()).toBeUndefined()
  })

  it('stops a hop that starts after a followed redirect (a redirect history), before it is written', () => {
    const run = drive((handler, controller) => {
      handler.onRequestStart?.(controller, { history: [new URL(ENDPOINT)] })
    })
    expect(run.aborted()).toBeInstanceOf(TransportError)
    expect(run.aborted()?.reason).toBe('redirect')
  })

  it('refuses an answer that came from anywhere but the endpoint, without showing it to the caller', () => {
    const run = drive((handler, controller) => {
      const history: URL[] = []
      handler.onRequestStart?.(controller, { history })
      history.push(new URL('http://token-thief.test/steal'))
      handler.onResponseStart?.(controller, 200, {}, 'OK')
      handler.onResponseData?.(controller, Buffer.from('{"access_token":"x"}'))
      handler.onResponseEnd?.(controller, {})
    })
    expect(run.aborted()?.reason).toBe('redirect')
    expect(run.events).toEqual(['start'])
  })

  it('stops watching when closed', () => {
    drive(() => {})
    expect(watchedRequests()).toBe(0)
  })
})
