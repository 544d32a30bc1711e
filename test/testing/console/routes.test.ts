/**
 * The console's routes over a real socket: off unless asked for; the page with its strict CSP; the
 * state and event APIs; faults changed only from the page's own origin, as JSON; every console
 * route refusing a host name that is not the authority's own (DNS rebinding).
 */
import { createHash } from 'node:crypto'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAGE_HTML } from '../../../src/testing/console/page.js'
import type { ConsoleSnapshot } from '../../../src/testing/console/state.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../../src/testing/index.js'
import { get, post, secretForm } from '../helpers.js'

let authority: LocalAuthority
beforeAll(async () => {
  authority = await startLocalAuthority({ console: true })
})
afterAll(() => authority.close())

const url = (path: string) => `${authority.url}${path}`
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
const inline = (tag: 'script' | 'style') =>
  new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(PAGE_HTML)?.[1] ?? `(no ${tag})`

async function sendJson(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await request(url(path), {
    method: method as 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> }
}

describe('off by default', () => {
  it('serves neither the page nor its API, and has no console URL', async () => {
    await using plain = await startLocalAuthority()
    expect(plain.consoleUrl).toBeUndefined()
    for (const path of ['/', '/_console/state', '/_console/events']) {
      expect((await get(`${plain.url}${path}`)).status).toBe(404)
    }
    expect(plain.requests.all().map((r) => r.route)).toEqual(['unknown', 'unknown', 'unknown'])
  })
})

describe('the page', () => {
  it('is served at / of the authority with a strict CSP that pins its inline script and style by hash', async () => {
    expect(authority.consoleUrl).toBe(`${authority.url}/`)
    const page = await get(url('/'))
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.text).toBe(PAGE_HTML)
    const csp = page.headers['content-security-policy'] ?? ''
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      `script-src ${sha256(inline('script'))}`,
      `style-src ${sha256(inline('style'))}`,
      "connect-src 'self'",
      'img-src data:',
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
      "require-trusted-types-for 'script'",
      "trusted-types 'none'",
    ])
    expect(page.headers).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    })
  })

  it('loads nothing from elsewhere, and its script compiles', () => {
    expect(PAGE_HTML).not.toMatch(/\s(src|href)="(?!#|data:)/)
    expect(PAGE_HTML).not.toMatch(/@import|url\(/)
    expect(PAGE_HTML).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/)
    expect(() => new Function(inline('script'))).not.toThrow()
  })

  it('answers HEAD without a body, and console requests stay out of the request log', async () => {
    const before = authority.requests.length
    const res = await request(url('/'), { method: 'HEAD' })
    expect(res.statusCode).toBe(200)
    expect(await res.body.text()).toBe('')
    await get(url('/_console/state'))
    expect(authority.requests.length).toBe(before)
  })
})

describe('the API', () => {
  it('/_console/state holds the registrations, the faults and the requests, newest first', async () => {
    const endpoint = authority.tokenEndpoint(EXAMPLE.tenantId)
    const scope = `${EXAMPLE.api.uri}/.default`
    await post(endpoint, secretForm(EXAMPLE.clients.admin.appId, EXAMPLE.clients.admin.secret, scope))
    await post(endpoint, secretForm(EXAMPLE.clients.reader.appId, 'Wr0ng~routes.test_secret-0000', scope))
    const state = (await get(url('/_console/state'))).json as unknown as ConsoleSnapshot
    expect(state.authority.url).toBe(authority.url)
    expect(state.registry.tenants[0]?.displayName).toBe('Contoso')
    expect(state.requests.slice(0, 2).map((r) => [r.clientName, r.status])).toEqual([
      ['daemon-reader', 401],
      ['daemon-admin', 200],
    ])
    expect(state.requests[1]?.token?.roles).toEqual(['Admin'])
  })

  it('/_console/events pushes each request as it is answered', async () => {
    const res = await request(url('/_console/events'))
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    const received = (async () => {
      let text = ''
      for await (const chunk of res.body) {
        text += String(chunk)
        if (text.includes('event: request')) break
      }
      return text
    })()
    const scope = `${EXAMPLE.api.uri}/.default`
    await post(
      authority.tokenEndpoint(EXAMPLE.tenantId),
      secretForm(EXAMPLE.clients.unconsented.appId, EXAMPLE.clients.unconsented.secret, scope),
    )
    const text = await received
    const row = JSON.parse(
      /event: request\ndata: (.*)\n/.exec(text)?.[1] ?? '{}',
    ) as ConsoleSnapshot['requests'][0]
    expect(row).toMatchObject({ clientName: 'daemon-unconsented', status: 200 })
    expect(row.token?.rolesNote).toMatch(/^no roles: admin consent missing/)
    res.body.destroy()
  })

  it('refuses a host name that is not the authority’s own, on every console route', async () => {
    for (const path of ['/', '/_console/state', '/_console/events', '/_console/faults']) {
      const res = await request(url(path), { headers: { host: `rebound.example:${authority.port}` } })
      expect(res.statusCode).toBe(421)
      expect(await res.body.text()).not.toContain('Contoso')
    }
    expect(
      (await get(url('/_console/state'), { headers: { host: `localhost:${authority.port}` } })).status,
    ).toBe(200)
  })

  it('answers 404 for another console path and 405 for another method', async () => {
    expect((await get(url('/_console/nothing'))).status).toBe(404)
    expect((await get(url('/_console/faults'))).status).toBe(405)
    expect((await sendJson('POST', '/_console/state', {})).status).toBe(405)
  })
})

describe('faults from the page', () => {
  it('are added as JSON from the same origin, and cleared', async () => {
    const origin = authority.url
    const added = await sendJson('POST', '/_console/faults', { kind: 'status429', retryAfter: 3 }, { origin })
    expect(added).toEqual({
      status: 201,
      json: { faults: [{ kind: 'status429', route: 'token', retryAfter: 3, times: 1 }] },
    })
    expect(authority.faults.pending).toEqual([{ kind: 'status429', route: 'token', retryAfter: 3, times: 1 }])
    const cleared = await request(url('/_console/faults'), { method: 'DELETE', headers: { origin } })
    expect(cleared.statusCode).toBe(200)
    expect(await cleared.body.json()).toEqual({ faults: [] })
    expect(authority.faults.pending).toEqual([])
  })

  it.each([
    [
      'another origin',
      { origin: 'http://evil.example' },
      'application/json',
      /^origin http:\/\/evil.example refused$/,
    ],
    [
      'a cross-site fetch',
      { 'sec-fetch-site': 'cross-site' },
      'application/json',
      /cross-site request is refused/,
    ],
    ['a form post', {}, 'application/x-www-form-urlencoded', /as application\/json/],
  ])('are refused from %s', async (_name, headers, contentType, error) => {
    const res = await sendJson(
      'POST',
      '/_console/faults',
      { kind: 'drop' },
      { ...headers, 'content-type': contentType },
    )
    expect(res.status).toBe(403)
    expect(res.json.error).toMatch(error)
    const clear = await request(url('/_console/faults'), { method: 'DELETE', headers })
    expect(clear.statusCode).toBe(contentType === 'application/json' ? 403 : 200)
    await clear.body.dump()
    authority.faults.clear()
  })

  it('are refused when invalid, not JSON or too large, naming why', async () => {
    expect(await sendJson('POST', '/_console/faults', { kind: 'html' })).toEqual({
      status: 400,
      json: { error: expect.stringMatching(/^kind: /) },
    })
    expect(await sendJson('POST', '/_console/faults', '{"kind":')).toEqual({
      status: 400,
      json: { error: 'fault: not JSON' },
    })
    const large = await sendJson('POST', '/_console/faults', { kind: 'drop', clientId: 'x'.repeat(5000) })
    expect(large).toEqual({ status: 413, json: { error: 'fault body too large' } })
    expect(authority.faults.pending).toEqual([])
  })
})

describe('over https', () => {
  it('the console URL is https too, and the page is served', async () => {
    await using secure = await startLocalAuthority({ https: true, console: true })
    expect(secure.consoleUrl).toBe(`${secure.url}/`)
    const trusting = new Agent({ connect: { ca: secure.caPem ?? '' } })
    const res = await request(secure.consoleUrl ?? '', { dispatcher: trusting })
    expect(res.statusCode).toBe(200)
    expect(await res.body.text()).toBe(PAGE_HTML)
    await trusting.close()
  })
})

it('closing the authority ends open event streams', async () => {
  const closing = await startLocalAuthority({ console: true })
  const res = await request(`${closing.url}/_console/events`)
  const ended = (async () => {
    try {
      for await (const _chunk of res.body) {
        // read until the stream ends
      }
      return 'ended'
    } catch {
      return 'ended'
    }
  })()
  await closing.close()
  expect(await ended).toBe('ended')
})
