import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenVerificationError } from '../../src/errors.js'
import { createGuard, createTokenVerifier, type Guard, type VerifiedToken } from '../../src/verify/index.js'
import {
  API_APP_ID,
  CLIENT_APP_ID,
  clock,
  createTestKey,
  type JwksServer,
  mint,
  NOW,
  rejectionOf,
  startJwksServer,
  TENANT,
  type TestKey,
  v2Claims,
} from './support.js'

let key: TestKey
let jwks: JwksServer

beforeAll(async () => {
  key = await createTestKey('key-1')
  jwks = await startJwksServer([key])
})
afterAll(() => jwks.close())

const verifierWith = (requiredRoles?: string[] | { any: string[] }) =>
  createTokenVerifier({
    tenant: TENANT,
    audience: API_APP_ID,
    jwksUri: jwks.jwksUri(),
    now: clock,
    realm: 'orders',
    ...(requiredRoles === undefined ? {} : { requiredRoles }),
  })
const tokenWithRoles = (roles: string[] | undefined) => mint(key, v2Claims({ roles }))

describe('roles', () => {
  it('refuses with 403 naming the missing role when the verifier requires all of its roles', async () => {
    const verifier = verifierWith(['Orders.Read', 'Orders.Write'])
    const error = await rejectionOf(verifier.verify(await tokenWithRoles(['Orders.Read'])))
    expect(error).toBeInstanceOf(TokenVerificationError)
    expect(error).toMatchObject({ reason: 'roles', status: 403 })
    expect((error as TokenVerificationError).challenge).toBe(
      'Bearer realm="orders", error="insufficient_scope", error_description="this resource requires role Orders.Write"',
    )
  })

  it('accepts a token holding one of any-of roles, and names them all when it holds none', async () => {
    const verifier = verifierWith({ any: ['Orders.Admin', 'Orders.Read'] })
    await expect(verifier.verify(await tokenWithRoles(['Orders.Read']))).resolves.toBeDefined()
    const error = await rejectionOf(verifier.verify(await tokenWithRoles(['Other'])))
    expect((error as TokenVerificationError).message).toBe(
      'this resource requires one of the roles Orders.Admin, Orders.Read',
    )
  })

  it('applies per-call requiredRoles on top of the verifier ones', async () => {
    const verifier = verifierWith(['Orders.Read'])
    const token = await tokenWithRoles(['Orders.Read'])
    await expect(verifier.verify(token)).resolves.toBeDefined()
    const error = await rejectionOf(verifier.verify(token, { requiredRoles: { all: ['Orders.Admin'] } }))
    expect(error).toMatchObject({
      reason: 'roles',
      status: 403,
      message: 'this resource requires role Orders.Admin',
    })
  })

  it('refuses with 403 a token that has no roles claim at all (no role granted)', async () => {
    const error = await rejectionOf(verifierWith(['Orders.Read']).verify(await tokenWithRoles(undefined)))
    expect(error).toMatchObject({ reason: 'roles', status: 403 })
  })
})

describe('authorize (framework-neutral)', () => {
  /** A Hono-style handler on web Request/Response. */
  const honoStyle = (guard: Guard) => async (request: Request) => {
    const result = await guard.authorize(request.headers.get('authorization'), {
      requiredRoles: { any: ['Orders.Read'] },
    })
    if (!result.ok) return Response.json(result.body, { status: result.status, headers: result.headers })
    return Response.json({ caller: result.auth.appId })
  }

  it('lets a Hono-style handler answer 200 with the caller, or 403 with the challenge', async () => {
    const handle = honoStyle(createGuard(verifierWith()))
    const ok = await handle(
      new Request('http://api/orders', {
        headers: { authorization: `Bearer ${await tokenWithRoles(['Orders.Read'])}` },
      }),
    )
    expect([ok.status, await ok.json()]).toEqual([200, { caller: CLIENT_APP_ID }])
    const denied = await handle(
      new Request('http://api/orders', { headers: { authorization: `Bearer ${await tokenWithRoles([])}` } }),
    )
    expect(denied.status).toBe(403)
    expect(denied.headers.get('www-authenticate')).toBe(
      'Bearer realm="orders", error="insufficient_scope", error_description="this resource requires role Orders.Read"',
    )
    expect(await denied.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'this resource requires role Orders.Read',
    })
  })

  it('lets a Fastify-style hook reply with status, headers and body', async () => {
    const guard = createGuard(verifierWith(), { requiredRoles: ['Orders.Admin'] })
    const sent: { status?: number; headers?: Record<string, string>; body?: unknown } = {}
    const reply = {
      code(status: number) {
        sent.status = status
        return reply
      },
      headers(headers: Record<string, string>) {
        sent.headers = headers
        return reply
      },
      send(body: unknown) {
        sent.body = body
      },
    }
    const request = { headers: { authorization: `bearer ${await tokenWithRoles(['Orders.Read'])}` } }
    const result = await guard.authorize(request.headers.authorization)
    if (!result.ok) reply.code(result.status).headers(result.headers).send(result.body)
    expect(sent).toEqual({
      status: 403,
      headers: {
        'www-authenticate':
          'Bearer realm="orders", error="insufficient_scope", error_description="this resource requires role Orders.Admin"',
      },
      body: { error: 'insufficient_scope', error_description: 'this resource requires role Orders.Admin' },
    })
  })

  it('answers a missing header with 401 and the bare realm challenge, without an error code', async () => {
    const result = await createGuard(verifierWith()).authorize(undefined)
    expect(result).toMatchObject({
      ok: false,
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="orders"' },
      body: { error: 'unauthorized', error_description: 'no bearer token in the request' },
    })
  })

  it('answers another scheme like a missing token, naming the scheme but not its credentials', async () => {
    const result = await createGuard(verifierWith()).authorize('Basic dXNlcjpwYXNz')
    expect(result).toMatchObject({
      ok: false,
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="orders"' },
    })
    expect(JSON.stringify(result)).not.toContain('dXNlcjpwYXNz')
  })

  it('answers an expired token with 401 invalid_token', async () => {
    const token = await mint(key, v2Claims({ exp: NOW / 1000 - 3600 }))
    const result = await createGuard(verifierWith()).authorize(`Bearer ${token}`)
    expect(result).toMatchObject({ ok: false, status: 401, body: { error: 'invalid_token' } })
    expect(!result.ok && result.headers).toEqual({
      'www-authenticate': `Bearer realm="orders", error="invalid_token", error_description="token expired at ${new Date((NOW / 1000 - 3600) * 1000).toISOString()}"`,
    })
  })

  it('escapes quotes and backslashes of a role name inside the challenge', async () => {
    const guard = createGuard(verifierWith(), { requiredRoles: ['Say "hi" \\ bye'] })
    const result = await guard.authorize(`Bearer ${await tokenWithRoles([])}`)
    expect(result).toMatchObject({
      headers: {
        'www-authenticate':
          'Bearer realm="orders", error="insufficient_scope", error_description="this resource requires role Say \\"hi\\" \\\\ bye"',
      },
    })
  })

  it('answers 503 with Retry-After when the signing keys cannot be fetched', async () => {
    const verifier = createTokenVerifier({
      tenant: TENANT,
      audience: API_APP_ID,
      jwksUri: `${jwks.origin}/down`,
      now: clock,
    })
    jwks.fail(true)
    try {
      const result = await createGuard(verifier).authorize(`Bearer ${await tokenWithRoles([])}`)
      expect(result).toMatchObject({
        ok: false,
        status: 503,
        headers: { 'retry-after': '10' },
        body: { error: 'temporarily_unavailable' },
      })
    } finally {
      jwks.fail(false)
    }
  })
})

describe('node:http middleware over a real loopback server', () => {
  let api: Server
  let base: string

  beforeAll(async () => {
    const guard = createGuard(verifierWith())
    const protect = guard.middleware({ requiredRoles: ['Orders.Read'] })
    const adminOnly = guard.middleware({ requiredRoles: ['Orders.Admin'] })
    api = createServer(async (req: IncomingMessage & { auth?: VerifiedToken }, res: ServerResponse) => {
      if (req.url === '/admin') {
        // Express-style: next() runs the handler
        return adminOnly(req, res, () => res.end('admin ok'))
      }
      const auth = await protect(req, res)
      if (auth === undefined) return
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ appId: req.auth?.appId, roles: req.auth?.roles, same: req.auth === auth }))
    })
    api.listen(0, '127.0.0.1')
    await once(api, 'listening')
    base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())))

  const get = (path: string, authorization?: string) =>
    fetch(`${base}${path}`, authorization === undefined ? {} : { headers: { authorization } })

  it('answers 401 with the bare Bearer challenge and a JSON body when the header is missing', async () => {
    const res = await get('/orders')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="orders"')
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.json()).toEqual({
      error: 'unauthorized',
      error_description: 'no bearer token in the request',
    })
  })

  it('answers 401 invalid_token for a token from another audience', async () => {
    const res = await get('/orders', `Bearer ${await mint(key, v2Claims({ aud: 'api://other' }))}`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="orders", error="invalid_token", error_description="audience api://other is not accepted"',
    )
  })

  it('answers 403 naming the role the route requires', async () => {
    const res = await get('/admin', `Bearer ${await tokenWithRoles(['Orders.Read'])}`)
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'this resource requires role Orders.Admin',
    })
  })

  it('lets the request through with req.auth set, calling next() in Express style', async () => {
    const res = await get('/orders', `  BEARER   ${await tokenWithRoles(['Orders.Read'])}  `)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ appId: CLIENT_APP_ID, roles: ['Orders.Read'], same: true })
    const admin = await get('/admin', `Bearer ${await tokenWithRoles(['Orders.Admin'])}`)
    expect([admin.status, await admin.text()]).toEqual([200, 'admin ok'])
  })
})
