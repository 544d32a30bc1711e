/**
 * `authorizedFetch`: a `fetch` that adds `Authorization: Bearer …` to requests for the configured origins
 * only, never overwrites the caller's own, never mutates the caller's `Request` or init, and answers a
 * 401 with one refresh and one retry when the body can be sent again.
 *
 * Redirects are left to the underlying fetch: per the Fetch standard (and undici, Node's fetch), a
 * redirect to another origin drops `Authorization`, so the token only follows same-origin redirects.
 * A custom `fetch` must do the same.
 */
import type { z } from 'zod'
import { systemClock } from '../clock.js'
import { ConfigurationError } from '../errors.js'
import { parseWith } from '../validation/parse.js'
import { clockSchema, oneOrMore } from '../validation/schemas.js'
import { lazySchema } from '../validation/zod.js'
import { isDpopNonceChallenge, noteResourceNonce, tokenHeaders, unboundHeaders } from './dpop.js'
import { callerHeaders, type WithToken } from './fetch-headers.js'
import { originSchema, requestOrigin } from './origins.js'
import { type Grant, grantFor, grantForRetry, retryPlan } from './retry-on-401.js'
import type { TokenSource } from './source.js'

/**
 * The signature of `fetch`.
 *
 * @example
 * ```ts
 * const api: FetchFunction = client.authorizedFetch({ resource, origins: ['https://api.contoso.com'] })
 * ```
 */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/**
 * The options of {@link createAuthorizedFetch} (and `client.authorizedFetch`).
 *
 * @example
 * ```ts
 * const options: AuthorizedFetchOptions = {
 *   resource: 'api://myapis/mywebapi',
 *   origins: ['https://api.contoso.com'],
 *   otherOrigins: 'reject',
 * }
 * ```
 */
export const authorizedFetchOptionsSchema = lazySchema((z) =>
  z
    .strictObject({
      /** The API to get tokens for: an Entra App ID URI or application id; an RFC 8707 resource for other servers. */
      resource: oneOrMore().optional(),
      /** The scope(s) to ask for, instead of or with `resource` (with Entra: one `{resource}/.default`). */
      scope: oneOrMore().optional(),
      /** The origins (`https://host[:port]`) that get the token; every other origin gets none. */
      origins: z
        .array(originSchema())
        .min(1, 'is empty: list the origins (https://host[:port]) that get the token'),
      /** The fetch to send with. @defaultValue the global `fetch`, looked up at each call */
      fetch: z.custom<FetchFunction>((v) => typeof v === 'function', 'must be a fetch function').optional(),
      /** Requests to other origins: sent untouched (`pass`), or refused with a `ConfigurationError` (`reject`). @defaultValue 'pass' */
      otherOrigins: z.enum(['pass', 'reject']).optional(),
      /** The token source's clock, to tell a cached token from a fresh one (tests). @defaultValue the system clock */
      clock: clockSchema().optional(),
    })
    .refine((o) => o.resource !== undefined || o.scope !== undefined, {
      path: ['resource'],
      message: 'is required: give resource (or scope) to say which API the token is for',
    }),
)

/**
 * The options of {@link createAuthorizedFetch} (see {@link authorizedFetchOptionsSchema}).
 *
 * @example
 * ```ts
 * const options: AuthorizedFetchOptions = { scope: 'https://graph.microsoft.com/.default', origins: ['https://graph.microsoft.com'] }
 * ```
 */
export type AuthorizedFetchOptions = z.input<ReturnType<typeof authorizedFetchOptionsSchema>>

/**
 * A `fetch` that authorizes requests to `options.origins` with tokens from `source`. A request to any
 * other origin is sent untouched (or refused, with `otherOrigins: 'reject'`). When no token can be had,
 * the request is not sent and the error propagates.
 *
 * @example
 * ```ts
 * const api = createAuthorizedFetch(client, { resource: 'api://myapis/mywebapi', origins: ['https://api.contoso.com'] })
 * const res = await api('https://api.contoso.com/orders')
 * ```
 */
export function createAuthorizedFetch(source: TokenSource, options: AuthorizedFetchOptions): FetchFunction {
  const o = parseWith(authorizedFetchOptionsSchema(), options, 'authorizedFetch options')
  const origins = new Set(o.origins)
  const target = {
    ...(o.resource === undefined ? {} : { resource: o.resource }),
    ...(o.scope && { scope: o.scope }),
  }
  const clock = o.clock ?? systemClock
  const send: FetchFunction = o.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const reject = o.otherOrigins === 'reject'

  return async function authorizedFetch(input, init) {
    const request = isRequest(input) ? input : undefined
    const origin = requestOrigin(request ? request.url : input)
    if (origin === undefined || !origins.has(origin)) {
      if (reject && origin !== undefined) throw notAllowed(origin)
      return send(input, init)
    }
    const withToken = callerHeaders(init?.headers ?? request?.headers)
    if (withToken === undefined) return send(input, init)
    const attempt = attemptFor(source, { input, request, init, withToken, send })
    const signal = init?.signal ?? request?.signal ?? undefined
    const grant = await grantFor(source, target, clock, signal)
    const response = await attempt.send(grant)
    if (response.status !== 401 || !attempt.replayable || !answeredBy(response, origin)) return response
    if (attempt.nonceChallenged(response)) {
      // RFC 9449 §9: the resource server wants its nonce in the proof; one retry, same token
      await response.body?.cancel().catch(() => undefined)
      return attempt.send(grant)
    }
    const plan = retryPlan(grant, response.headers.get('www-authenticate'))
    if (plan === undefined) return response
    await response.body?.cancel().catch(() => undefined)
    return attempt.send(await grantForRetry(source, target, grant, plan, signal))
  }
}

interface Attempt {
  /** Whether the request can be sent a second time. */
  readonly replayable: boolean
  send(grant: Grant): Promise<Response>
  /** Whether a 401 is a DPoP nonce challenge whose new nonce the last send kept (worth one retry). */
  nonceChallenged(response: Response): boolean
}

/** The caller's request, as `authorizedFetch` got it. */
interface CallerRequest {
  readonly input: string | URL | Request
  readonly request: Request | undefined
  readonly init: RequestInit | undefined
  /** The caller's headers, copied once; each send adds that attempt's token (`fetch-headers.ts`). */
  readonly withToken: WithToken
  readonly send: FetchFunction
}

/**
 * How to send the caller's request with a token, as often as it can be sent. A body given in `init`
 * replays unless it is a stream; a `Request`'s own body is sent from a clone each time. A DPoP token
 * gets a fresh proof each time (docs/sender-constrained.md §6).
 */
function attemptFor(source: TokenSource, caller: CallerRequest): Attempt {
  const { input, request, init, withToken, send } = caller
  const initBody = init?.body ?? undefined
  const cloned = initBody === undefined && request !== undefined && request.body !== null
  const url = request ? request.url : String(input)
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase()
  let newNonce = false
  return {
    replayable: initBody === undefined || !isStream(initBody),
    async send(grant) {
      const carried =
        unboundHeaders(grant.token) ?? (await tokenHeaders(source, grant.token, { method, url }))
      const headers = withToken(carried.authorization, carried.dpop)
      // a token requested over mutual TLS goes only over the connection presenting its certificate
      // (undici's Agent is the dispatcher Node's fetch takes, whatever its type declarations say)
      const connection =
        grant.dispatcher === undefined
          ? {}
          : ({ dispatcher: ownDispatcher(init, grant.dispatcher) } as Pick<RequestInit, 'dispatcher'>)
      const response = await send(cloned ? (request as Request).clone() : input, {
        ...init,
        ...connection,
        headers,
      })
      newNonce =
        carried.dpop !== undefined && noteResourceNonce(source, url, response.headers.get('dpop-nonce'))
      return response
    },
    nonceChallenged(response) {
      return newNonce && isDpopNonceChallenge(response.headers.get('www-authenticate'))
    },
  }
}

/**
 * The dispatcher for a certificate-bound token: the caller's own (`init.dispatcher`) would send it over
 * a connection without the certificate, so a request naming one is refused, not sent.
 */
function ownDispatcher(init: RequestInit | undefined, dispatcher: object): object {
  const given = (init as { dispatcher?: unknown } | undefined)?.dispatcher
  if (given === undefined || given === dispatcher) return dispatcher
  throw new ConfigurationError(
    'dispatcher',
    "the token is bound to the client's certificate, but the request names its own dispatcher, which does not present it: the request was not sent",
    {
      hint: 'Leave init.dispatcher out: authorizedFetch sends bound tokens over the connection presenting their certificate.',
    },
  )
}

/** Whether the answer came from `origin` (not from where a redirect led, which got no token). */
function answeredBy(response: Response, origin: string): boolean {
  return response.url === '' || requestOrigin(response.url) === origin
}

function isRequest(input: unknown): input is Request {
  return (
    typeof input === 'object' &&
    input !== null &&
    !(input instanceof URL) &&
    typeof (input as Request).url === 'string' &&
    typeof (input as Request).clone === 'function' &&
    typeof (input as Request).headers === 'object'
  )
}

function isStream(body: NonNullable<RequestInit['body']>): boolean {
  return (
    body instanceof ReadableStream ||
    (typeof body === 'object' && body !== null && Symbol.asyncIterator in body)
  )
}

function notAllowed(origin: string): ConfigurationError {
  return new ConfigurationError(
    'origins',
    `a request to ${origin} was refused: it is not one of the configured origins and otherOrigins is 'reject'`,
    { hint: 'Add the origin to origins if it should get the token, or use otherOrigins: "pass".' },
  )
}
