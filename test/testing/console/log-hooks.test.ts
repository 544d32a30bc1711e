/**
 * The two hooks of the request log that the console reads (kept here, beside the console, since the
 * request log's own tests are another piece of work): `requests.subscribe()` and the decoded header
 * and claims of each token issued (never the token).
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  EXAMPLE,
  type LocalAuthority,
  type LoggedRequest,
  startLocalAuthority,
} from '../../../src/testing/index.js'
import { post, secretForm } from '../helpers.js'

let authority: LocalAuthority
beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(() => authority.close())

const form = (name: keyof typeof EXAMPLE.clients, secret: string = EXAMPLE.clients[name].secret) =>
  secretForm(EXAMPLE.clients[name].appId, secret, `${EXAMPLE.api.uri}/.default`)

it('tells subscribers of each request recorded, counters already counted, until they unsubscribe', async () => {
  const seen: Array<{ entry: LoggedRequest; tokens: number }> = []
  const stop = authority.requests.subscribe((entry) => seen.push({ entry, tokens: authority.counters.token }))
  const before = authority.counters.token
  await post(authority.tokenEndpoint(EXAMPLE.tenantId), form('admin'))
  await post(authority.tokenEndpoint(EXAMPLE.tenantId), form('admin', 'Wr0ng~hooks.test_secret-0000'))
  stop()
  await post(authority.tokenEndpoint(EXAMPLE.tenantId), form('admin'))
  expect(seen.map(({ entry }) => entry.status)).toEqual([200, 401])
  expect(seen.map(({ tokens }) => tokens)).toEqual([before + 1, before + 2])
  expect(seen[0]?.entry).toBe(authority.requests.all().at(-3))
})

it('logs the decoded header and claims of an issued token, and nothing of a refused one', async () => {
  const answer = await post(authority.tokenEndpoint(EXAMPLE.tenantId), form('admin'))
  const issued = authority.requests.last()
  const accessToken = String(answer.json.access_token)
  const [header, payload] = accessToken
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
  expect(issued?.token).toEqual({ header, claims: payload })
  expect(issued?.token?.claims.roles).toEqual(['Admin'])
  expect(JSON.stringify(issued)).not.toContain(accessToken.split('.')[2])

  await post(authority.tokenEndpoint(EXAMPLE.tenantId), form('admin', 'Wr0ng~hooks.test_secret-0000'))
  expect(authority.requests.last()?.token).toBeUndefined()
})

it('logs no token when a fault replaced the answer with an error in a 200', async () => {
  authority.faults.add({ route: 'token', kind: 'errorIn200' })
  const answer = await post(authority.tokenEndpoint(EXAMPLE.tenantId), form('admin'))
  expect(answer.status).toBe(200)
  expect(answer.json.access_token).toBeUndefined()
  expect(authority.requests.last()).toMatchObject({ status: 200, fault: 'errorIn200' })
  expect(authority.requests.last()?.token).toBeUndefined()
})
