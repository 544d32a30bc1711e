import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, expect, expectTypeOf, it } from 'vitest'
import { TokenClient } from '../../src/client.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { createGuard, createTokenVerifier, type VerifiedToken } from '../../src/verify/index.js'

let authority: LocalAuthority
let server: Server
let origin: string

beforeAll(async () => {
  authority = await startLocalAuthority({ issuer: 'local' })
  const guard = createGuard(
    createTokenVerifier({
      tenant: EXAMPLE.tenantId,
      audience: [EXAMPLE.api.uri, EXAMPLE.api.appId],
      authorityHost: authority.url,
    }),
  )
  const app = express()
  app.get('/orders', guard.middleware({ requiredRoles: { any: ['ReadOnly', 'Admin'] } }), (req, res) => {
    expectTypeOf(req.auth).toEqualTypeOf<VerifiedToken | undefined>() // the declared Request.auth
    res.json({ caller: req.auth?.appId, roles: req.auth?.roles })
  })
  app.delete('/orders/:id', guard.middleware({ requiredRoles: ['Admin'] }), (_req, res) =>
    res.status(204).end(),
  )
  server = app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  server.close()
  await authority.close()
})

function callAs(who: { appId: string; secret: string }) {
  const client = new TokenClient({
    authorityHost: authority.url,
    tenant: EXAMPLE.tenantId,
    clientId: who.appId,
    credential: { clientSecret: who.secret },
  })
  return client.authorizedFetch({ resource: EXAMPLE.api.uri, origins: [origin] })
}

it('sets req.auth for the next Express handler once the token is verified', async () => {
  const res = await callAs(EXAMPLE.clients.reader)(`${origin}/orders`)
  expect(res.status).toBe(200)
  expect(await res.json()).toEqual({ caller: EXAMPLE.clients.reader.appId, roles: ['ReadOnly'] })
})

it('answers 403 for a missing role and 401 without a token, never reaching the handler', async () => {
  const refused = await callAs(EXAMPLE.clients.reader)(`${origin}/orders/1`, { method: 'DELETE' })
  expect(refused.status).toBe(403)
  expect(refused.headers.get('www-authenticate')).toContain('insufficient_scope')
  const anonymous = await fetch(`${origin}/orders`)
  expect(anonymous.status).toBe(401)
  expect(anonymous.headers.get('www-authenticate')).toBe('Bearer')
  const allowed = await callAs(EXAMPLE.clients.admin)(`${origin}/orders/1`, { method: 'DELETE' })
  expect(allowed.status).toBe(204)
})
