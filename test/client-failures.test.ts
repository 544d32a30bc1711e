/** TokenClient's failures: retries and their budget, errors that are not retried, refusals. */
import { HttpResponse, http } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../src/client.js'
import { AuthorityError, ConfigurationError, TransportError } from '../src/errors.js'
import { API, newClient } from './helpers/client.js'
import { useNetwork } from './helpers/network.js'
import { entraError, scriptedEndpoint, V2_URL, v2Token } from './helpers/token-endpoint.js'

const network = useNetwork()

afterEach(() => {
  vi.useRealTimers()
})

describe('failures', () => {
  it('waits the 2 s a 429 asks for, then succeeds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const endpoint = scriptedEndpoint(V2_URL, [
      new HttpResponse('Too Many Requests', {
        status: 429,
        headers: { 'retry-after': '2', 'content-type': 'text/plain' },
      }),
      v2Token('after-throttle'),
    ])
    network.use(endpoint.handler)
    const pending = newClient().getToken(API)
    // (vi.waitFor would move the fake clock itself; poll on real immediates instead)
    while (endpoint.count < 1) await new Promise((resolve) => setImmediate(resolve))
    await vi.advanceTimersByTimeAsync(1999)
    expect(endpoint.count).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect((await pending).accessToken).toBe('after-throttle')
    expect(endpoint.count).toBe(2)
  })

  it('gives up on a Retry-After longer than maxRetryDelayMs and reports how long to wait', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [
      new HttpResponse('Too Many Requests', { status: 429, headers: { 'retry-after': '120' } }),
    ])
    network.use(endpoint.handler)
    await expect(newClient().getToken(API)).rejects.toMatchObject({
      status: 429,
      retryAfterMs: 120_000,
      retryable: true,
    })
    expect(endpoint.count).toBe(1)
  })

  it('retries 5xx with backoff up to the retry budget', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const endpoint = scriptedEndpoint(V2_URL, [entraError(500, 'server_error', 50000, 'oops')])
    network.use(endpoint.handler)
    const pending = newClient({ http: { retries: 2 } }).getToken(API)
    const outcome = pending.then(
      () => undefined,
      (error: unknown) => error,
    )
    await vi.waitFor(() => expect(endpoint.count).toBe(1))
    await vi.advanceTimersByTimeAsync(500)
    await vi.waitFor(() => expect(endpoint.count).toBe(2))
    await vi.advanceTimersByTimeAsync(1000)
    await vi.waitFor(() => expect(endpoint.count).toBe(3))
    expect(await outcome).toMatchObject({ status: 500, aadstsCodes: [50000] })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(endpoint.count).toBe(3)
  })

  it('does not retry invalid_client beyond the one credential reload, and carries its hint', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [
      entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.'),
    ])
    network.use(endpoint.handler)
    const error = await newClient({ credential: { clientSecret: '2c6f1e9b-3d1a-4a8e-9d5c-7b0e8f3a1c2d' } })
      .getToken(API)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthorityError)
    expect((error as AuthorityError).hint).toContain('Secret ID')
    expect(endpoint.count).toBe(2) // AADSTS7000215: the secret is read again and sent once more
  })

  it('turns a timeout into a TransportError with reason timeout', async () => {
    network.use(http.post(V2_URL, () => new Promise<Response>(() => {})))
    const error = await newClient({ http: { timeoutMs: 50, retries: 0 } })
      .getToken(API)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).reason).toBe('timeout')
    expect((error as TransportError).code).toBe('ERR_TOKEN_REQUEST_FAILED')
  })

  it('refuses a redirect from the token endpoint without following it', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [
      new HttpResponse(null, { status: 307, headers: { location: 'https://evil.example/token' } }),
    ])
    network.use(endpoint.handler)
    const error = await newClient()
      .getToken(API)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'redirect' })
    expect(endpoint.count).toBe(1)
  })

  it('refuses an answer larger than maxResponseBytes', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [
      HttpResponse.json({ token_type: 'Bearer', expires_in: 3599, access_token: 'x'.repeat(5000) }),
    ])
    network.use(endpoint.handler)
    const error = await newClient({ http: { maxResponseBytes: 1000 } })
      .getToken(API)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'body_too_large' })
  })

  it('refuses http to a non-loopback host at construction', () => {
    expect(() => newClient({ authorityHost: 'http://login.example.com' })).toThrow(ConfigurationError)
    expect(
      () =>
        new TokenClient({
          tokenEndpoint: 'http://idp.example.com/token',
          clientId: 'c',
          credential: { clientSecret: 's' },
        }),
    ).toThrow(/loopback/)
  })
})
