/**
 * The fault matrix's test rig: one local authority per test file; per test a freshly registered app
 * (so that faults, targeted by client id, and request counts belong to that test alone), a client with
 * its own connection pool that follows redirects (as an app's might) and counts the attempts it starts,
 * an optional virtual clock, and a logger that keeps the background-refresh warnings.
 */
import { randomUUID } from 'node:crypto'
import { Agent, type Dispatcher, interceptors } from 'undici'
import { afterAll, beforeAll, expect, vi } from 'vitest'
import {
  AccessToken,
  AuthorityError,
  ResponseFormatError,
  TokenClient,
  TransportError,
} from '../../../src/index.js'
import { EXAMPLE, type LocalAuthority } from '../../../src/testing/index.js'
import { toLoopback } from '../../helpers/dispatchers.js'
import type { ExpectedError, FaultRow, MatrixFault, Range } from './policy.js'
import { type Redirector, startRedirector } from './redirecting.js'

/** The API every matrix app asks a token for. */
export const API = EXAMPLE.api.uri
const ROLE = 'ReadOnly'
/** The token lifetime the local authority issues (`expires_in` 3599). */
const TOKEN_LIFETIME_MS = 3_599_000
/** The default refresh window: a 3599 s token is due for refresh 5 min before expiry. */
const REFRESH_WINDOW_MS = 300_000
/** Timer and scheduling slack for real-time waits (setTimeout never fires early by more than this). */
const EARLY_MS = 5
/** Generous room for a loaded machine above the documented wait. */
const LATE_MS = 2_000

/** A `logger.warn` call of a failed background refresh. */
export interface BackgroundWarning {
  code: unknown
  failures: unknown
  nextAttemptAt: unknown
}

/** What a test drives. */
export interface Rig {
  readonly appId: string
  readonly client: TokenClient
  /** Virtual time (only with `clock: 'virtual'`): moves when the test says. */
  setNow(at: number): void
  now(): number
  readonly warnings: readonly BackgroundWarning[]
  /** Token requests this client started (counted as they are dispatched). */
  attemptsStarted(): number
  /** Token requests the authority saw from this app. */
  authorityRequests(): number
  /** Queues `fault` for this app's next `times` token requests. */
  addFault(fault: MatrixFault, times: number): void
  /** Waits until the authority has logged `count` requests (a late answer is logged when sent). */
  expectRequests(count: number): Promise<void>
  close(): Promise<void>
}

/**
 * Registers a fresh app (a secret, the ReadOnly role consented) and a client for it; for a redirect row,
 * the redirect target too.
 */
export async function createRig(
  authority: LocalAuthority,
  row: FaultRow,
  options: { clock: 'system' | 'virtual' },
): Promise<Rig> {
  const redirector = row.fault.kind === 'redirect' ? await startRedirector(authority.url) : undefined
  const appId = randomUUID()
  const secret = `Mtx8Q~${randomUUID()}`
  authority.clients.add({ appId, displayName: `matrix-${row.id}`, secrets: [{ value: secret }] })
  authority.clients.grant(appId, API, [ROLE])

  let started = 0
  const agent = new Agent({ keepAliveTimeout: 1_000, connect: { lookup: toLoopback } })
  const counting: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
    started++
    return dispatch(opts, handler)
  }
  let virtualNow = Date.now()
  const warnings: BackgroundWarning[] = []
  const client = new TokenClient({
    authorityHost: authority.url,
    tenant: EXAMPLE.tenantId,
    clientId: appId,
    credential: { clientSecret: secret },
    http: { dispatcher: followingRedirects(agent, counting, redirector), ...(row.http ?? {}) },
    logger: {
      warn: (_message, details) =>
        warnings.push({
          code: details?.code,
          failures: details?.failures,
          nextAttemptAt: details?.nextAttemptAt,
        }),
    },
    ...(options.clock === 'virtual' ? { clock: { now: () => virtualNow } } : {}),
  })
  const authorityRequests = () =>
    authority.requests.all().filter((r) => r.route === 'token' && r.clientId === appId).length

  return {
    appId,
    client,
    warnings,
    setNow: (at) => {
      virtualNow = at
    },
    now: () => (options.clock === 'virtual' ? virtualNow : Date.now()),
    attemptsStarted: () => started,
    authorityRequests,
    addFault: (fault, times) => {
      if (fault.kind === 'redirect') redirector?.arm(fault, times)
      else authority.faults.add({ ...fault, route: 'token', clientId: appId, times })
    },
    expectRequests: async (count) => {
      await vi.waitFor(() => expect(authorityRequests()).toBe(count), { timeout: 5_000, interval: 10 })
      expect(started).toBe(count)
    },
    close: async () => {
      await agent.close()
      if (redirector === undefined) return
      await redirector.close()
      expect(redirector.reached(), 'the token request reached the redirect target').toEqual({
        connections: 0,
        bytes: 0,
      })
    },
  }
}

/**
 * The rig's dispatcher: undici's redirect interceptor outermost (it would follow a redirect), then the
 * redirect fault (it rewrites answers the redirect handler sees), then the attempt counter.
 */
function followingRedirects(
  agent: Agent,
  counting: Dispatcher.DispatcherComposeInterceptor,
  redirector: Redirector | undefined,
): Dispatcher {
  const inner = redirector === undefined ? [counting] : [counting, redirector.interceptor]
  return agent.compose(...inner, interceptors.redirect({ maxRedirections: 3 }))
}

/** A promise's outcome, without throwing. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown }

export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  )
}

const PENDING = Symbol('pending')

/**
 * The value of a promise that is already resolved — served without I/O, before the event loop turns —
 * and a test failure otherwise.
 */
export async function atOnce<T>(promise: Promise<T>): Promise<T> {
  const first = await Promise.race([promise, new Promise<typeof PENDING>((r) => setImmediate(r, PENDING))])
  if (first === PENDING) throw new Error('the call waited: it was not served from the cache at once')
  return first
}

/** One turn of the event loop: a request a call started has been dispatched by then. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** A good token: this app's, with the authority's normal lifetime and refresh time. */
export function expectGoodToken(token: unknown, appId: string): asserts token is AccessToken {
  expect(token).toBeInstanceOf(AccessToken)
  const good = token as AccessToken
  expect(good.claims?.appid ?? good.claims?.azp).toBe(appId)
  expect(good.claims?.roles).toEqual([ROLE])
  expect(good.expiresAt - good.requestedAt).toBe(TOKEN_LIFETIME_MS)
  expect(good.refreshAt).toBe(good.expiresAt - REFRESH_WINDOW_MS)
}

const ERROR_CLASSES = {
  ERR_AUTHORITY_REJECTED: AuthorityError,
  ERR_TOKEN_REQUEST_FAILED: TransportError,
  ERR_TOKEN_RESPONSE_INVALID: ResponseFormatError,
} as const

/** The error has the expected class, code and why-fields. */
export function expectError(error: unknown, expected: ExpectedError): void {
  expect(error).toBeInstanceOf(ERROR_CLASSES[expected.code])
  const { aadstsCodes, ...fields } = { aadstsCodes: undefined, ...expected }
  expect(error).toMatchObject(fields)
  if (aadstsCodes !== undefined) expect((error as AuthorityError).aadstsCodes).toEqual(aadstsCodes)
}

/** Real time spent waiting between attempts is at least the documented wait, and not far above it. */
export function expectWaited(elapsedMs: number, waited: Range, attempts: number, timeoutMs: number): void {
  expect(elapsedMs).toBeGreaterThanOrEqual(waited.minMs - EARLY_MS)
  expect(elapsedMs).toBeLessThanOrEqual(waited.maxMs + attempts * timeoutMs + LATE_MS)
}

/**
 * Fails the file (and every test that checks afterwards) on an unhandled rejection or an uncaught
 * exception: a background refresh must never leave one behind.
 */
export function watchStrayErrors(): { expectNone(): Promise<void> } {
  const stray: unknown[] = []
  const onRejection = (reason: unknown) => stray.push(reason)
  const onException = (error: unknown) => stray.push(error)
  beforeAll(() => {
    process.on('unhandledRejection', onRejection)
    process.on('uncaughtException', onException)
  })
  afterAll(async () => {
    await nextTurn()
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
    expect(stray).toEqual([])
  })
  return {
    expectNone: async () => {
      await nextTurn()
      expect(stray).toEqual([])
    },
  }
}
