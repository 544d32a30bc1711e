/**
 * msw network for tests: sees requests made by the npm undici package (`undici.request`, `undici.fetch`)
 * and by the global fetch. Unhandled requests fail the test: nothing leaves the machine.
 */
import { HttpRequestInterceptor } from '@mswjs/interceptors/http'
import { defineNetwork, InterceptorSource } from 'msw/experimental'
import { afterAll, afterEach, beforeAll } from 'vitest'

/** Starts interception for the test file; handlers are reset after each test. */
export function useNetwork() {
  const network = defineNetwork({
    sources: [new InterceptorSource({ interceptors: [new HttpRequestInterceptor()] })],
    onUnhandledFrame: 'error',
    context: { quiet: true },
  })
  beforeAll(() => network.enable())
  afterEach(() => network.resetHandlers())
  afterAll(() => network.disable())
  return network
}
