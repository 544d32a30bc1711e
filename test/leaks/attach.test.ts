/**
 * The leak suite through the two ways tokens are attached: `authorizedFetch` and the undici
 * interceptor fail closed when no token can be had, and the error they throw holds no secret, key,
 * assertion or token — when the token request is refused, when the authority cannot be reached, and
 * when the API refuses a cached token and the refresh fails.
 */
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/client.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { manualClock } from '../helpers/token-endpoint.js'
import { errorRenderings, renderings } from './exposure.js'
import { closedPort } from './fake-authority.js'
import { type Configured, KINDS, registerLeakApps } from './kinds.js'
import { observe } from './observe.js'
import { baseSecrets, expectNoLeak } from './secrets.js'
import { receivedTokens, sentCredentials, wiretap } from './wiretap.js'

const TENANT = EXAMPLE.tenantId
const RESOURCE = EXAMPLE.api.uri

let authority: LocalAuthority
let api: Server
let apiUrl: string
let refusedUrl: string
/** How the API answers: 200, or 401 refusing the token. */
let apiRefuses = false
/** Authorization headers the API received. */
const apiSaw: string[] = []

beforeAll(async () => {
  authority = await startLocalAuthority()
  registerLeakApps(authority)
  api = createServer((req, res) => {
    apiSaw.push(req.headers.authorization ?? '')
    if (apiRefuses) {
      res
        .writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token", error_description="revoked"' })
        .end()
    } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"orders":[]}')
  })
  api.listen(0, '127.0.0.1')
  await once(api, 'listening')
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`
  refusedUrl = `http://127.0.0.1:${await closedPort()}`
})
afterAll(async () => {
  api?.closeAllConnections()
  api?.close()
  await authority?.close()
})

let dir: string | undefined
afterEach(() => {
  authority.faults.clear()
  apiRefuses = false
  apiSaw.length = 0
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

type Attach = 'authorizedFetch' | 'interceptor'

/** Calls the API through `attach`; returns what was thrown. */
async function callApi(client: TokenClient, attach: Attach): Promise<unknown> {
  try {
    if (attach === 'authorizedFetch') {
      await client.authorizedFetch({ resource: RESOURCE, origins: [apiUrl] })(`${apiUrl}/orders`)
    } else {
      const agent = new Agent().compose(client.interceptor({ [apiUrl]: RESOURCE }))
      try {
        const res = await request(`${apiUrl}/orders`, { dispatcher: agent })
        await res.body.text()
      } finally {
        await agent.close()
      }
    }
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail closed')
}

interface Case {
  readonly name: string
  readonly configured: 'good' | 'refused'
  readonly host?: () => string
  /** Before the API call: get a token, then let the API refuse it and the authority fail. */
  readonly refusedByApi?: boolean
  readonly code: string
}

const CASES: readonly Case[] = [
  { name: 'the token request is refused', configured: 'refused', code: 'ERR_AUTHORITY_REJECTED' },
  {
    name: 'the authority cannot be reached',
    configured: 'good',
    host: () => refusedUrl,
    code: 'ERR_TOKEN_REQUEST_FAILED',
  },
  {
    name: 'the API refuses the cached token and the refresh fails',
    configured: 'good',
    refusedByApi: true,
    code: 'ERR_AUTHORITY_REJECTED',
  },
]

describe.each(KINDS)('$name', (kind) => {
  describe.each(['authorizedFetch', 'interceptor'] as const)('through %s', (attach) => {
    it.each(CASES)(
      '$name: fails closed, and the error holds no secret, key, assertion or token',
      async (c) => {
        dir = mkdtempSync(join(tmpdir(), 'cc-leaks-'))
        const host = c.host?.() ?? authority.url
        const ctx = { tokenEndpoint: `${host}/${TENANT}/oauth2/v2.0/token`, dir }
        const configured: Configured =
          c.configured === 'refused' ? await kind.refused(ctx) : await kind.good(ctx)
        const tap = wiretap()
        const observer = observe()
        const clock = manualClock(Date.now())
        const client = new TokenClient({
          authorityHost: host,
          tenant: TENANT,
          clientId: configured.clientId,
          credential: configured.credential,
          ...(configured.authMethod ? { authMethod: configured.authMethod } : {}),
          http: { dispatcher: tap.dispatcher, retries: 0 },
          logger: observer.logger,
          clock,
        })
        if (c.refusedByApi) {
          await client.getToken(RESOURCE)
          clock.advance(1_000)
          apiRefuses = true
          authority.faults.add({ route: 'token', kind: 'status503', times: Number.POSITIVE_INFINITY })
        }
        const error = await callApi(client, attach)
        observer.stop()
        await tap.close()
        expect(error).toMatchObject({ code: c.code })
        expect(apiSaw.length).toBe(c.refusedByApi ? 1 : 0) // fail closed: nothing sent without a token
        const secrets = baseSecrets()
        const sent = sentCredentials(tap)
        expect(sent.secrets.length + sent.assertions.length + sent.authorizations.length).toBeGreaterThan(0)
        for (const secret of sent.secrets) secrets.add('client secret sent', secret)
        for (const assertion of sent.assertions) secrets.addToken('client assertion sent', assertion)
        for (const header of sent.authorizations)
          secrets.add('Authorization header sent', header.split(' ')[1])
        for (const token of receivedTokens(tap)) secrets.addToken('access token received', token)
        for (const header of apiSaw) secrets.add('Authorization header the API saw', header.split(' ')[1])
        expectNoLeak(secrets, {
          'the error, its stack and causes': errorRenderings(error),
          'the client': renderings(client),
          'the logs': observer.logs,
          'the diagnostics channel': observer.diagnostics,
        })
      },
    )
  })
})
