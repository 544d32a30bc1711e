/**
 * The leak suite for the local authority's console (issue 19): after token requests with every
 * credential kind (granted and refused), faults, and credentials sent where they do not belong (the
 * query string, an unknown form field, the scope, the path), neither the page, nor
 * `/_console/state`, nor the event stream, nor the page as a browser renders it holds any client
 * secret, private key (PEM lines, JWK parameters, passphrase), client assertion or access token.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { TokenClient } from '../../src/client.js'
import { isCredentialRejected } from '../../src/credential-rejection.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { type HeadlessBrowser, launchBrowser } from '../helpers/browser.js'
import { post } from '../testing/helpers.js'
import { KINDS, registerLeakApps, SECRET_APP, signAssertion } from './kinds.js'
import { baseSecrets, expectNoLeak, LEAK_SECRET } from './secrets.js'
import { receivedTokens, sentCredentials, type Wiretap, wiretap } from './wiretap.js'

const TENANT = EXAMPLE.tenantId
const RESOURCE = EXAMPLE.api.uri
/** A secret sent only in a query string (never registered, never in a form). */
const QUERY_SECRET = 'Qy8Q~query.string_secret-5e6f7a8b9c'
/** A secret sent only in a form field the authority does not know. */
const STRAY_SECRET = 'St8Q~stray.field_secret-1a2b3c4d5e'

let authority: LocalAuthority
let browser: HeadlessBrowser
let dir: string
let events = ''
let stopEvents: () => void = () => {}
let setupError: unknown

beforeAll(async () => {
  authority = await startLocalAuthority({ console: true })
  registerLeakApps(authority)
  dir = mkdtempSync(join(tmpdir(), 'cc-console-leaks-'))
  const stream = await request(`${authority.url}/_console/events`)
  const reading = (async () => {
    for await (const chunk of stream.body) events += String(chunk)
  })().catch(() => {})
  stopEvents = () => {
    stream.body.destroy()
    void reading
  }
  try {
    browser = await launchBrowser()
  } catch (error) {
    setupError = error // the test fails with it (no chromium: no skipping)
  }
}, 60_000)

beforeEach(() => {
  if (setupError) throw setupError
})

afterAll(async () => {
  stopEvents()
  await browser?.close()
  await authority?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Every credential kind, as configured to be granted and to be refused. */
async function everyKind(tap: Wiretap): Promise<number> {
  let requests = 0
  for (const kind of KINDS) {
    for (const configure of [kind.good, kind.refused]) {
      const ctx = { tokenEndpoint: authority.tokenEndpoint(TENANT), dir }
      const configured = await configure(ctx)
      const client = new TokenClient({
        authorityHost: authority.url,
        tenant: TENANT,
        clientId: configured.clientId,
        credential: configured.credential,
        ...(configured.authMethod ? { authMethod: configured.authMethod } : {}),
        http: { dispatcher: tap.dispatcher, retries: 0 },
      })
      const error = await client.getToken(RESOURCE).then(
        () => undefined,
        (caught: unknown) => caught,
      )
      requests += isCredentialRejected(error) ? 2 : 1 // a refused credential is read again and sent once more
    }
  }
  return requests
}

/** Faults, with a token that the client got and one it got only half of. */
async function faults(tap: Wiretap): Promise<number> {
  const client = (id: keyof typeof EXAMPLE.clients) =>
    new TokenClient({
      authorityHost: authority.url,
      tenant: TENANT,
      clientId: EXAMPLE.clients[id].appId,
      credential: { clientSecret: EXAMPLE.clients[id].secret },
      http: { dispatcher: tap.dispatcher, retries: 0 },
    })
  for (const kind of ['status429', 'drop', 'truncated', 'errorIn200'] as const) {
    authority.faults.add({ route: 'token', kind })
    await client('admin')
      .getToken(RESOURCE)
      .catch(() => undefined)
  }
  await client('unconsented').getToken(RESOURCE)
  return 5
}

/** Credentials where they do not belong: query string, unknown field, scope, path, Basic of an unknown app. */
async function misplaced(): Promise<{ requests: number; assertion: string }> {
  const endpoint = authority.tokenEndpoint(TENANT)
  const assertion = await signAssertion(SECRET_APP, endpoint)
  const form = { grant_type: 'client_credentials', client_id: SECRET_APP, scope: `${RESOURCE}/.default` }
  await post(`${endpoint}?client_secret=${encodeURIComponent(QUERY_SECRET)}`, form)
  await post(endpoint, { ...form, clientSecret: STRAY_SECRET })
  await post(endpoint, { ...form, scope: `${LEAK_SECRET}/.default`, client_secret: LEAK_SECRET })
  await post(endpoint, { ...form, scope: assertion, client_secret: LEAK_SECRET })
  await post(`${endpoint}/${assertion}`, { ...form, client_secret: LEAK_SECRET })
  const basic = Buffer.from(`unknown-app:${encodeURIComponent(STRAY_SECRET)}`).toString('base64')
  await post(endpoint, form, { headers: { authorization: `Basic ${basic}` } })
  return { requests: 6, assertion }
}

it('the page, its API, its event stream and the rendered page show no secret, key, assertion or token', async () => {
  const tap = wiretap()
  const { requests: misplacedRequests, assertion } = await misplaced()
  const requests = (await everyKind(tap)) + (await faults(tap)) + misplacedRequests
  await tap.close()
  const secrets = baseSecrets()
    .add('query-string secret', QUERY_SECRET)
    .add('stray-field secret', STRAY_SECRET)
  for (const app of Object.values(EXAMPLE.clients)) secrets.add('example registry secret', app.secret)
  secrets.addToken('client assertion sent in the scope and the path', assertion)
  const sent = sentCredentials(tap)
  for (const secret of sent.secrets) secrets.add('client secret sent', secret)
  for (const assertion of sent.assertions) secrets.addToken('client assertion sent', assertion)
  for (const authorization of sent.authorizations)
    secrets.add('Authorization header sent', authorization.split(' ')[1])
  const tokens = receivedTokens(tap)
  expect(tokens.length).toBeGreaterThanOrEqual(KINDS.length)
  for (const token of tokens) secrets.addToken('access token received', token)
  expect(authority.requests.length).toBe(requests)

  const html = await (await request(`${authority.url}/`)).body.text()
  const state = await (await request(`${authority.url}/_console/state`)).body.text()
  const opened = await browser.open(authority.consoleUrl ?? '')
  await opened.page.waitForFunction(`document.querySelectorAll('#log > tbody').length === ${requests}`, {
    timeout: 5000,
  })
  const rendered = await opened.page.content()
  expect(JSON.parse(state).requests).toHaveLength(requests)
  expect(events.match(/event: request\n/g)?.length).toBe(requests)
  expect(rendered).toContain('AADSTS7000215')
  // the suite sees them where they are: on the wire
  expect(secrets.findIn({ wire: tap.sent.map((s) => s.body) }).length).toBeGreaterThan(0)
  expectNoLeak(secrets, {
    'the page (GET /)': [html],
    '/_console/state': [state],
    '/_console/events': [events],
    'the page as rendered': [rendered],
  })
})
