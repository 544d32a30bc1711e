/**
 * The leak suite (issue 7): for every credential kind and every way a token request can end, no client
 * secret, private key (PEM lines, JWK parameters, passphrase), client assertion (as captured on the
 * wire) or access token (as received) appears in the error (message, stack, causes, `util.inspect` with
 * hidden properties at any depth, JSON), the client, the token, the logs (every level) or the
 * `oauth-client-credentials:token` diagnostics channel. With a dispatcher that follows redirects or sends
 * requests elsewhere (issue 13), nothing reaches the redirect target either.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Dispatcher, interceptors } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../../src/client.js'
import {
  EXAMPLE,
  type FaultInput,
  type LocalAuthority,
  startLocalAuthority,
} from '../../src/testing/index.js'
import type { AccessToken } from '../../src/token.js'
import { dropsOptions, naiveFollower, rewritingTo } from '../helpers/dispatchers.js'
import { manualClock } from '../helpers/token-endpoint.js'
import { errorRenderings, renderings } from './exposure.js'
import { closedPort, type FakeAuthority, startFakeAuthority } from './fake-authority.js'
import { type Configured, KINDS, registerLeakApps } from './kinds.js'
import { observe } from './observe.js'
import { baseSecrets, expectNoLeak } from './secrets.js'
import { receivedTokens, sentCredentials, type Wiretap, wiretap } from './wiretap.js'

const TENANT = EXAMPLE.tenantId
const RESOURCE = EXAMPLE.api.uri

let authority: LocalAuthority
let fake: FakeAuthority
/** Where redirects and rerouting dispatchers point: it must never receive anything. */
let thief: FakeAuthority
let refusedUrl: string
beforeAll(async () => {
  authority = await startLocalAuthority()
  registerLeakApps(authority)
  fake = await startFakeAuthority()
  thief = await startFakeAuthority()
  thief.answer({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ.from-the-redirect-target.x"}',
  })
  refusedUrl = `http://127.0.0.1:${await closedPort()}`
})
afterAll(async () => {
  await authority?.close()
  await fake?.close()
  await thief?.close()
})

let dir: string | undefined
afterEach(() => {
  authority.faults.clear()
  thief.seen.length = 0
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

type Clock = ReturnType<typeof manualClock>

interface Expected {
  code?: string
  status?: number | readonly number[]
  reason?: string
  field?: string
  /** The answer carried an access token (that the client refused): it must have been seen on the wire. */
  tokenInAnswer?: boolean
  /** The refusal is the credential kind's own AADSTS code (7000215 wrong secret, 700027 unknown certificate). */
  kindsRefusal?: boolean
}

interface Scenario {
  readonly name: string
  readonly expected: Expected | 'token'
  readonly configured?: 'good' | 'refused'
  readonly host?: () => string
  readonly http?: { retries?: number; timeoutMs?: number }
  readonly resource?: string
  readonly faults?: readonly FaultInput[]
  /** The fake authority's redirect (with `host: () => fake.url`): status and Location. @defaultValue 302 to the local authority */
  readonly redirect?: { status: number; to: () => string }
  /** The dispatcher the client is given, over the wiretap. @defaultValue the wiretap */
  readonly dispatcher?: (tap: Dispatcher) => Dispatcher
  /** Extra steps instead of one getToken. */
  readonly run?: (client: TokenClient, clock: Clock, logs: readonly string[]) => Promise<AccessToken>
}

const fault = (input: FaultInput): FaultInput => ({ route: 'token', ...input })

const SCENARIOS: readonly Scenario[] = [
  { name: 'a token is issued', expected: 'token' },
  {
    name: 'the credential is refused (AADSTS 401)',
    configured: 'refused',
    expected: { code: 'ERR_AUTHORITY_REJECTED', status: 401, kindsRefusal: true },
  },
  {
    name: 'the API is not in the tenant (AADSTS 400)',
    resource: 'api://leaks/unknown-api',
    expected: { code: 'ERR_AUTHORITY_REJECTED', status: 400 },
  },
  {
    name: 'the authority throttles (429), retried once',
    faults: [fault({ kind: 'status429', retryAfter: 0, times: 2 })],
    expected: { code: 'ERR_AUTHORITY_REJECTED', status: 429 },
  },
  {
    name: 'the authority is unavailable (503), retried once',
    faults: [fault({ kind: 'status503', retryAfter: 0, times: 2 })],
    expected: { code: 'ERR_AUTHORITY_REJECTED', status: 503 },
  },
  {
    name: 'the authority fails (500)',
    http: { retries: 0 },
    faults: [fault({ kind: 'status500' })],
    expected: { code: 'ERR_AUTHORITY_REJECTED', status: 500 },
  },
  {
    name: 'the answer comes too late (timeout)',
    http: { retries: 0, timeoutMs: 100 },
    faults: [fault({ kind: 'latency', ms: 400 })],
    expected: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'timeout' },
  },
  {
    name: 'the connection drops without an answer',
    http: { retries: 0 },
    faults: [fault({ kind: 'drop' })],
    expected: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'network' },
  },
  {
    name: 'nothing listens (connection refused)',
    http: { retries: 0 },
    host: () => refusedUrl,
    expected: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'network' },
  },
  {
    name: 'the token endpoint redirects',
    host: () => fake.url,
    expected: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'redirect' },
  },
  {
    name: "a dispatcher that follows redirects (undici's interceptor) meets a 307 to another host",
    host: () => fake.url,
    redirect: { status: 307, to: () => `${thief.url}/steal` },
    dispatcher: (tap) => tap.compose(interceptors.redirect({ maxRedirections: 3 })),
    expected: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'redirect' },
  },
  {
    name: 'a redirect interceptor that never sees per-request options meets a 308 to another host',
    host: () => fake.url,
    redirect: { status: 308, to: () => `${thief.url}/steal` },
    dispatcher: (tap) => tap.compose(interceptors.redirect({ maxRedirections: 3 }), dropsOptions),
    expected: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'redirect' },
  },
  {
    name: 'a hand-written redirect follower meets a 307 to another host',
    host: () => fake.url,
    redirect: { status: 307, to: () => `${thief.url}/steal` },
    dispatcher: (tap) => tap.compose(naiveFollower),
    expected: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'misrouted' },
  },
  {
    name: 'a dispatcher that sends every request to another host',
    dispatcher: (tap) => tap.compose(rewritingTo(thief.url)),
    expected: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'misrouted' },
  },
  {
    name: 'the answer is larger than maxResponseBytes',
    faults: [fault({ kind: 'oversized' })],
    expected: { code: 'ERR_TOKEN_REQUEST_FAILED', reason: 'body_too_large', tokenInAnswer: true },
  },
  {
    name: 'the answer is cut in half',
    faults: [fault({ kind: 'truncated' })],
    expected: { code: 'ERR_TOKEN_RESPONSE_INVALID', field: 'body', tokenInAnswer: true },
  },
  {
    name: 'an HTML page answers (502)',
    faults: [fault({ kind: 'html' })],
    http: { retries: 0 },
    expected: { code: 'ERR_AUTHORITY_REJECTED', status: 502 },
  },
  {
    name: 'a 200 carries an error',
    http: { retries: 0 },
    faults: [fault({ kind: 'errorIn200' })],
    expected: { code: 'ERR_AUTHORITY_REJECTED', status: 200 },
  },
  {
    name: 'expires_in is not a number',
    faults: [fault({ kind: 'expiresIn', value: 'abc' })],
    expected: { code: 'ERR_TOKEN_RESPONSE_INVALID', field: 'expires_in', tokenInAnswer: true },
  },
  {
    name: 'a background refresh fails (logged, not thrown)',
    expected: 'token',
    run: async (client, clock, logs) => {
      const first = await client.getToken(RESOURCE)
      authority.faults.add(fault({ kind: 'status503', retryAfter: 0 }))
      clock.set(first.refreshAt + 1_000)
      const served = await client.getToken(RESOURCE)
      expect(served).toBe(first)
      await vi.waitFor(() => expect(logs.some((line) => line.startsWith('warn'))).toBe(true))
      return served
    },
  },
]

interface Run {
  token: AccessToken | undefined
  error: unknown
  client: TokenClient
  tap: Wiretap
  logs: string[]
  diagnostics: string[]
}

async function runScenario(
  configure: (host: string) => Promise<Configured>,
  scenario: Scenario,
): Promise<Run> {
  const host = scenario.host?.() ?? authority.url
  if (host === fake.url) {
    const { status = 302, to = () => authority.tokenEndpoint(TENANT) } = scenario.redirect ?? {}
    fake.answer({ status, headers: { location: to() } })
  }
  const configured = await configure(host)
  const tap = wiretap()
  const observer = observe()
  const clock = manualClock(Date.now())
  let token: AccessToken | undefined
  let error: unknown
  let client: TokenClient | undefined
  try {
    client = new TokenClient({
      authorityHost: host,
      tenant: TENANT,
      clientId: configured.clientId,
      credential: configured.credential,
      ...(configured.authMethod ? { authMethod: configured.authMethod } : {}),
      http: {
        dispatcher: scenario.dispatcher?.(tap.dispatcher) ?? tap.dispatcher,
        retries: 1,
        ...scenario.http,
      },
      logger: observer.logger,
      clock,
    })
    for (const f of scenario.faults ?? []) authority.faults.add(f)
    token = scenario.run
      ? await scenario.run(client, clock, observer.logs)
      : await client.getToken(scenario.resource ?? RESOURCE)
  } catch (caught) {
    error = caught
  } finally {
    observer.stop()
    await tap.close()
  }
  if (client === undefined) throw new Error(`the client was not built: ${String(error)}`)
  return { token, error, client, tap, logs: observer.logs, diagnostics: observer.diagnostics }
}

function checkOutcome(run: Run, expected: Scenario['expected'], refusedCode: number): void {
  if (expected === 'token') {
    expect(run.error).toBeUndefined()
    expect(run.token?.accessToken).toMatch(/^eyJ/)
    return
  }
  expect(run.token).toBeUndefined()
  const error = run.error as Record<string, unknown>
  expect(error).toMatchObject({ code: expected.code })
  if (expected.reason) expect(error.reason).toBe(expected.reason)
  if (expected.field) expect(error.field).toBe(expected.field)
  if (expected.status !== undefined) {
    expect([expected.status].flat()).toContain(error.status)
  }
  if (expected.tokenInAnswer) expect(receivedTokens(run.tap).length).toBeGreaterThan(0)
  if (expected.kindsRefusal) expect(error.aadstsCodes).toEqual([refusedCode])
}

function expectNothingPrinted(run: Run): void {
  const secrets = baseSecrets()
  const sent = sentCredentials(run.tap)
  // every scenario sent a credential: that is what must not come back out
  expect(sent.secrets.length + sent.assertions.length + sent.authorizations.length).toBeGreaterThan(0)
  for (const secret of sent.secrets) secrets.add('client secret sent', secret)
  for (const assertion of sent.assertions) secrets.addToken('client assertion sent', assertion)
  for (const authorization of sent.authorizations)
    secrets.add('Authorization header sent', authorization.split(' ')[1])
  for (const token of receivedTokens(run.tap)) secrets.addToken('access token received', token)
  secrets.addToken('access token returned', run.token?.accessToken)
  expectNoLeak(secrets, {
    'the error, its stack and causes': errorRenderings(run.error),
    'the client': [...renderings(run.client), ...renderings(run.client.describe())],
    // an AccessToken holds its token, and prints and serialises without it
    'the token': renderings(run.token, true),
    'the logs': run.logs,
    'the diagnostics channel': run.diagnostics,
  })
}

describe.each(KINDS)('$name', (kind) => {
  it.each(SCENARIOS)('$name: no secret, key, assertion or token in any output', async (scenario) => {
    dir = mkdtempSync(join(tmpdir(), 'cc-leaks-'))
    const configure = (host: string) => {
      const ctx = { tokenEndpoint: `${host}/${TENANT}/oauth2/v2.0/token`, dir: dir as string }
      return scenario.configured === 'refused' ? kind.refused(ctx) : kind.good(ctx)
    }
    const run = await runScenario(configure, scenario)
    checkOutcome(run, scenario.expected, kind.refusedCode)
    expectNothingPrinted(run)
    // no redirect or rerouting took anything to the other host
    expect(thief.seen).toEqual([])
  })
})
