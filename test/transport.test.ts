import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Agent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { TokenClient } from '../src/client.js'
import { TransportError } from '../src/errors.js'
import { isRetryable } from '../src/retry.js'
import { EXAMPLE, startLocalAuthority } from '../src/testing/index.js'
import { postForm } from '../src/transport.js'

const clock = { now: () => 1_000 }
const dispatcher = new Agent()
let server: Server | undefined

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

/** A loopback server on 127.0.0.1 answering with `handler`. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const listening = createServer(handler)
  server = listening
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/token`
}

const post = (url: string) => ({
  url,
  body: 'grant_type=client_credentials',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  clientRequestId: 'req-7',
})
const settings = { dispatcher, timeoutMs: 2000, maxResponseBytes: 1024, clock }

describe('postForm over a real loopback socket', () => {
  it('returns status, headers, text and when the request was sent', async () => {
    const url = await serve((req, res) => {
      let body = ''
      req.on('data', (c) => {
        body += c
      })
      req.on('end', () =>
        res.writeHead(200, { 'content-type': 'application/json', 'x-echo': body }).end('{"ok":true}'),
      )
    })
    const response = await postForm(post(url), settings)
    expect(response).toMatchObject({
      status: 200,
      text: '{"ok":true}',
      sentAt: 1_000,
      clientRequestId: 'req-7',
    })
    expect(response.headers['x-echo']).toBe('grant_type=client_credentials')
  })

  it('stops reading a streamed body at maxResponseBytes', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = 'x'.repeat(512)
      let sent = 0
      const timer = setInterval(() => {
        if (sent++ > 1000 || res.destroyed) {
          clearInterval(timer)
          res.end()
        } else res.write(chunk)
      }, 1)
    })
    const error = await postForm(post(url), settings).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).reason).toBe('body_too_large')
  })

  it('reports a refused connection as a retryable network failure', async () => {
    const url = await serve(() => {})
    await new Promise<void>((resolve) => server?.close(() => resolve()))
    server = undefined
    const error = await postForm(post(url), settings).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_REQUEST_FAILED',
      reason: 'network',
      retryable: true,
      clientRequestId: 'req-7',
    })
  })

  it('reports a dropped connection as a network failure', async () => {
    const url = await serve((req) => req.socket.destroy())
    const error = await postForm(post(url), settings).catch((e: unknown) => e)
    expect(error).toMatchObject({ reason: 'network', retryable: true })
  })

  it('times out a server that never answers', async () => {
    const url = await serve(() => {})
    const error = await postForm(post(url), { ...settings, timeoutMs: 100 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ reason: 'timeout', retryable: true })
    server?.closeAllConnections()
  })
})

describe('connection failures get their own hints (issue 12)', () => {
  it('an untrusted self-signed certificate (a real loopback TLS server): reason tls, not retried, trust caPem', async () => {
    const authority = await startLocalAuthority({ https: true })
    try {
      const url = authority.tokenEndpoint(EXAMPLE.tenantId)
      const error = await postForm(post(url), settings).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'tls', retryable: false })
      expect((error as TransportError).message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT')
      expect((error as TransportError).hint).toMatch(/caPem/)
      expect((error as TransportError).hint).toMatch(/NODE_EXTRA_CA_CERTS/)
      expect(isRetryable(error)).toBe(false)
    } finally {
      await authority.close()
    }
  })

  it('https spoken to a plain http server: reason tls, not retried, use http:// for a local authority', async () => {
    const url = (await serve((_req, res) => res.end('plain'))).replace('http://', 'https://')
    const error = await postForm(post(url), settings).catch((e: unknown) => e)
    expect(error).toMatchObject({ reason: 'tls', retryable: false })
    expect((error as TransportError).message).toMatch(/does not speak TLS/)
    expect((error as TransportError).hint).toMatch(/http:\/\//)
    expect(isRetryable(error)).toBe(false)
  })

  it('a TokenClient makes one attempt against an untrusted certificate, whatever http.retries', async () => {
    const authority = await startLocalAuthority({ https: true })
    let attempts = 0
    const counting = dispatcher.compose((dispatch) => (opts, handler) => {
      attempts++
      return dispatch(opts, handler)
    })
    try {
      const client = new TokenClient({
        authorityHost: authority.url,
        tenant: EXAMPLE.tenantId,
        clientId: EXAMPLE.clients.admin.appId,
        credential: { clientSecret: 'not-the-secret' },
        http: { dispatcher: counting, retries: 2 },
      })
      const error = await client.getToken(EXAMPLE.api.uri).catch((e: unknown) => e)
      expect(error).toMatchObject({ reason: 'tls' })
      expect(attempts).toBe(1)
    } finally {
      await authority.close()
    }
  })

  it('a refused connection on a loopback host asks whether the local authority is running (and is retried)', async () => {
    const url = await serve(() => {})
    await new Promise<void>((resolve) => server?.close(() => resolve()))
    server = undefined
    const error = await postForm(post(url), settings).catch((e: unknown) => e)
    expect(error).toMatchObject({ reason: 'network', retryable: true })
    expect((error as TransportError).hint).toMatch(/local authority running/)
  })
})
