/**
 * The DPoP paths leak nothing (docs/sender-constrained.md §6): with a key whose private parameters we
 * know, a nonce storm that ends in an error, a token, and requests attached with proofs, no log line,
 * diagnostics message, error, client, key or token rendering holds the private key, a proof that was
 * sent, or the token.
 */
import { generateKeyPairSync } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createDpopKey } from '../../src/dpop/key.js'
import { TokenClient } from '../../src/index.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { fakeJwt } from '../helpers/token-endpoint.js'
import { errorRenderings, renderings } from './exposure.js'
import { observe } from './observe.js'

useLoopbackGuard()

const ACCESS_TOKEN = fakeJwt({ sub: 'leak-check', cnf: { jkt: 'x' } })
const proofs: string[] = []
let storm = true
let server: Server
let base: string

beforeAll(async () => {
  server = createServer((req, res) => {
    if (typeof req.headers.dpop === 'string') proofs.push(req.headers.dpop)
    req.resume()
    req.on('end', () => {
      if (req.url === '/token' && storm) {
        res.writeHead(400, { 'content-type': 'application/json', 'dpop-nonce': `n-${proofs.length}` })
        return void res.end(
          '{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce"}',
        )
      }
      if (req.url === '/token') {
        res.writeHead(200, { 'content-type': 'application/json' })
        return void res.end(
          JSON.stringify({ access_token: ACCESS_TOKEN, token_type: 'DPoP', expires_in: 3600 }),
        )
      }
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('ok')
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

it('no rendering of anything the client says or returns holds the DPoP private key, a proof or the token', async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const observer = observe()
  const client = new TokenClient({
    tokenEndpoint: `${base}/token`,
    clientId: 'worker',
    credential: { clientSecret: 'TEST-ONLY-secret-for-leaks' },
    dpop: { key: privateKey },
    logger: observer.logger,
  })
  const error = await client.getToken('a').catch((e: unknown) => e)
  storm = false
  const token = await client.getToken('b')
  const api = client.authorizedFetch({ scope: 'b', origins: [base] })
  await (await api(`${base}/orders`, { method: 'POST', body: '{}' })).text()
  observer.stop()
  expect(proofs.length).toBeGreaterThanOrEqual(4)

  const jwk = privateKey.export({ format: 'jwk' })
  const pem = String(privateKey.export({ format: 'pem', type: 'pkcs8' }))
  const forbidden = [String(jwk.d), ...pem.split('\n').slice(1, -2), ...proofs, ACCESS_TOKEN]
  const rendered = [
    ...observer.logs,
    ...observer.diagnostics,
    ...errorRenderings(error),
    ...renderings(client),
    ...renderings(token, true),
    ...renderings(createDpopKey({ key: privateKey })),
    JSON.stringify(client.describe()),
  ].join('\n')
  for (const secret of forbidden) expect(rendered.includes(secret), secret.slice(0, 12)).toBe(false)
  expect(rendered).not.toMatch(/PRIVATE KEY|"d":/)
  await client.close()
})
