/**
 * A client's lifecycle: `close()` and `await using`. Callers waiting when it closes, and every call after
 * it, reject with `ClientClosedError`; a background refresh settles without a log line or an unhandled
 * rejection; a certificate file is not looked at again.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../src/client.js'
import { ClientClosedError } from '../src/errors.js'
import type { TokenClientOptions } from '../src/options.js'
import { fixtureClock, fixtureText } from './credentials/fixtures.js'
import { useNetwork } from './helpers/network.js'
import {
  CLIENT_ID,
  fakeJwt,
  manualClock,
  SECRET,
  scriptedEndpoint,
  TENANT,
  V2_URL,
  v2Token,
} from './helpers/token-endpoint.js'

const network = useNetwork()
const API = 'api://myapis/mywebapi'
const HOUR = 3_600_000
const never = () => new Promise<Response>(() => {})

function newClient(extra: Partial<TokenClientOptions> = {}) {
  return new TokenClient({
    tenant: TENANT,
    clientId: CLIENT_ID,
    credential: { clientSecret: SECRET },
    ...extra,
  })
}

/** Collects unhandled rejections while the test runs. */
function watchUnhandled() {
  const seen: unknown[] = []
  const listener = (reason: unknown) => seen.push(reason)
  process.on('unhandledRejection', listener)
  return {
    seen,
    stop: () => process.off('unhandledRejection', listener),
  }
}

let unhandled: ReturnType<typeof watchUnhandled> | undefined
afterEach(() => {
  unhandled?.stop()
  unhandled = undefined
})

describe('client.close()', () => {
  it('rejects a caller waiting on a cold request with ClientClosedError', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [never])
    network.use(endpoint.handler)
    const client = newClient()
    const waiting = client.getToken(API)
    await vi.waitFor(() => expect(endpoint.count).toBe(1))
    await client.close()
    await expect(waiting).rejects.toBeInstanceOf(ClientClosedError)
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED', retryable: false })
  })

  it('rejects a caller waiting between retries at once', async () => {
    const busy = () =>
      HttpResponse.json(
        { error: 'temporarily_unavailable' },
        { status: 503, headers: { 'retry-after': '20' } },
      )
    const endpoint = scriptedEndpoint(V2_URL, [busy])
    network.use(endpoint.handler)
    const client = newClient({ http: { maxRetryDelayMs: 60_000 } })
    const waiting = client.getToken(API)
    await vi.waitFor(() => expect(endpoint.count).toBe(1))
    await client.close()
    await expect(waiting).rejects.toBeInstanceOf(ClientClosedError)
    expect(endpoint.count).toBe(1)
  })

  it('settles a pending background refresh without a log line or an unhandled rejection', async () => {
    unhandled = watchUnhandled()
    const clock = manualClock()
    const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ aud: API })), never])
    network.use(endpoint.handler)
    const logger = { warn: vi.fn(), error: vi.fn() }
    const client = newClient({ clock, logger })
    const first = await client.getToken(API)
    clock.advance(HOUR - 200_000) // inside the refresh window
    expect((await client.getToken(API)).accessToken).toBe(first.accessToken)
    await vi.waitFor(() => expect(endpoint.count).toBe(2))
    await client.close()
    await new Promise((resolve) => setImmediate(resolve))
    expect(logger.warn).not.toHaveBeenCalled()
    expect(logger.error).not.toHaveBeenCalled()
    expect(unhandled.seen).toEqual([])
    expect(client.cachedTokens).toBe(0)
  })

  it('rejects every later call without a request, and is idempotent', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ aud: API }))])
    network.use(endpoint.handler)
    const client = newClient()
    await client.getToken(API)
    await client.close()
    await client.close()
    await expect(client.getToken(API)).rejects.toBeInstanceOf(ClientClosedError)
    await expect(client.getToken(API, { forceRefresh: true })).rejects.toBeInstanceOf(ClientClosedError)
    expect(endpoint.count).toBe(1)
    expect(client.closed).toBe(true)
  })

  it('no longer looks at a certificate file: a deleted file is not reported, nothing is sent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-close-'))
    try {
      const certificatePath = join(dir, 'client.pem')
      writeFileSync(certificatePath, fixtureText('rsa.combined.pem'))
      const clock = fixtureClock()
      const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ aud: API }))])
      network.use(endpoint.handler)
      const logger = { warn: vi.fn(), info: vi.fn() }
      const client = newClient({ credential: { certificatePath }, clock, logger })
      await client.getToken(API)
      await client.close()
      rmSync(certificatePath)
      clock.advance(2 * HOUR) // the token has expired and the re-check is due
      await expect(client.getToken(API)).rejects.toBeInstanceOf(ClientClosedError)
      expect(logger.warn).not.toHaveBeenCalled()
      expect(endpoint.count).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('await using', () => {
  it('closes the client at the end of the block', async () => {
    network.use(scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ aud: API }))]).handler)
    let escaped: TokenClient | undefined
    {
      await using client = newClient()
      escaped = client
      expect((await client.getToken(API)).accessToken).toContain('.')
      expect(client.closed).toBe(false)
    }
    expect(escaped.closed).toBe(true)
    await expect(escaped.getToken(API)).rejects.toBeInstanceOf(ClientClosedError)
  })
})
