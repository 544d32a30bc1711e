/**
 * What `authorizedFetch`, the undici interceptor and the Azure adapter share: the token source they
 * take, origin matching, the option schemas, `WWW-Authenticate` challenge parsing, and the one rule for
 * a 401 (refresh once, only when the token sent was not fresh; a CAE claims challenge gets a token with
 * those claims). Kept out of `options.ts` so that the interceptors' schemas live beside their code.
 */
import { z } from 'zod'
import { insecureUrlProblem } from './authority.js'
import type { Clock } from './clock.js'
import type { GetTokenOptions, TokenRequest } from './options.js'
import type { AccessToken } from './token.js'

/**
 * Anything that hands out tokens as `TokenClient.getToken` does: a `TokenClient`, or a fake in tests.
 *
 * @example
 * ```ts
 * const source: TokenSource = new TokenClient({ tenant, clientId, credential: { clientSecret } })
 * ```
 */
export interface TokenSource {
  getToken(resource: string | TokenRequest, options?: GetTokenOptions): Promise<AccessToken>
}

/**
 * What a token is asked for: what `getToken` takes, a string (an Entra App ID URI or application id; a
 * scope for generic servers) or `{ scope, resource }`.
 *
 * @example
 * ```ts
 * const target: TokenTarget = { scope: 'https://graph.microsoft.com/.default' }
 * ```
 */
export type TokenTarget = string | TokenRequest

const nonEmpty = z.string().min(1)
const oneOrMore = z.union([nonEmpty, z.array(nonEmpty).min(1)])

/** `{ scope?, resource? }` with at least one of them. */
const tokenRequestSchema = z
  .strictObject({ scope: oneOrMore.optional(), resource: oneOrMore.optional() })
  .refine((r) => r.scope !== undefined || r.resource !== undefined, 'give scope or resource')

/**
 * A {@link TokenTarget}.
 *
 * @example
 * ```ts
 * tokenTargetSchema.parse({ scope: 'https://graph.microsoft.com/.default' })
 * ```
 */
export const tokenTargetSchema = z.union([nonEmpty, tokenRequestSchema])

/**
 * A time source (the token source's own, so that token times compare).
 *
 * @example
 * ```ts
 * z.strictObject({ clock: clockSchema.optional() })
 * ```
 */
export const clockSchema = z.custom<Clock>(
  (value) => typeof (value as Partial<Clock> | null)?.now === 'function',
  'must be an object with a now() method returning epoch milliseconds',
)

/**
 * Why `value` cannot name an origin that tokens are sent to, or `undefined` when it can: an https
 * origin (http only for loopback hosts), without credentials, path, query or fragment.
 *
 * @example
 * ```ts
 * originProblem('https://api.contoso.com/orders') // 'must be an origin only …'
 * ```
 */
export function originProblem(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'is not a valid URL'
  }
  const insecure = insecureUrlProblem(url)
  if (insecure) return `${insecure} Bearer tokens travel over TLS only (RFC 6750 §5.3).`
  if (url.username || url.password) return 'must not hold a user name or password'
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(value)) {
    return 'must be an origin only (scheme://host[:port]): tokens are attached by origin, not by path'
  }
  return undefined
}

/**
 * An origin string, checked by {@link originProblem} and normalised.
 *
 * @example
 * ```ts
 * originSchema.parse('https://API.contoso.com:443/') // 'https://api.contoso.com'
 * ```
 */
export const originSchema = z
  .string()
  .check((ctx) => {
    const problem = originProblem(ctx.value)
    if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem })
  })
  .transform((value) => new URL(value).origin)

/**
 * The origin of a request URL given as a string or `URL` (scheme, lower-cased host, port without the
 * scheme's default), or `undefined` for anything else: not an absolute http(s) URL, or another kind of
 * value (which therefore never gets a token).
 *
 * @example
 * ```ts
 * requestOrigin('HTTPS://API.contoso.com:443/orders?id=1') // 'https://api.contoso.com'
 * ```
 */
export function requestOrigin(url: unknown): string | undefined {
  const href = typeof url === 'string' ? url : url instanceof URL ? url.href : undefined
  if (href === undefined) return undefined
  let parsed: URL
  try {
    parsed = new URL(href)
  } catch {
    return undefined
  }
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined
}

/**
 * One challenge of a `WWW-Authenticate` header: its scheme (lower case) and parameters (names lower case).
 *
 * @example
 * ```ts
 * const challenge: Challenge = { scheme: 'bearer', params: { error: 'invalid_token' } }
 * ```
 */
export interface Challenge {
  scheme: string
  params: Record<string, string>
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y
const QUOTED = /"((?:[^"\\]|\\.)*)"/y
const TOKEN68 = /[A-Za-z0-9._~+/-]+=*(?=\s*(,|$))/y
const SEPARATORS = /[\s,]*/y
const SPACES = /\s*/y

function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at
  return re.exec(text)
}

/**
 * The challenges of a `WWW-Authenticate` header (RFC 9110 §11.6.1), several headers joined by commas
 * as `Headers.get` joins them. Unparsable text ends the list; nothing throws.
 *
 * @example
 * ```ts
 * parseChallenges('Bearer realm="api", error="invalid_token", Basic realm="x"')
 * // [{ scheme: 'bearer', params: { realm: 'api', error: 'invalid_token' } }, { scheme: 'basic', params: { realm: 'x' } }]
 * ```
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = []
  let current: Challenge | undefined
  let at = matchAt(SEPARATORS, header, 0)?.[0].length ?? 0
  while (at < header.length) {
    const name = matchAt(TOKEN, header, at)?.[0]
    if (name === undefined) break
    at = TOKEN.lastIndex + (matchAt(SPACES, header, TOKEN.lastIndex)?.[0].length ?? 0)
    if (current !== undefined && header[at] === '=' && header[at + 1] !== '=') {
      at += 1 + (matchAt(SPACES, header, at + 1)?.[0].length ?? 0)
      const quoted = matchAt(QUOTED, header, at)
      const value = quoted ? quoted[1]?.replace(/\\(.)/g, '$1') : matchAt(TOKEN, header, at)?.[0]
      if (value === undefined) break
      current.params[name.toLowerCase()] ??= value
      at = (quoted ? QUOTED : TOKEN).lastIndex
    } else {
      current = { scheme: name.toLowerCase(), params: {} }
      challenges.push(current)
      if (matchAt(TOKEN68, header, at)) at = TOKEN68.lastIndex
    }
    at += matchAt(SEPARATORS, header, at)?.[0].length ?? 0
  }
  return challenges
}

/**
 * The claims asked for by a CAE challenge (`Bearer error="insufficient_claims", claims="<base64 JSON>"`),
 * decoded to the JSON text that `getToken(resource, { claims })` takes; `undefined` when the header
 * holds no such challenge or its claims are not base64 of a JSON object.
 *
 * @example
 * ```ts
 * claimsChallenge('Bearer error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="')
 * // '{"access_token":{}}'
 * ```
 */
export function claimsChallenge(header: string | null | undefined): string | undefined {
  if (!header) return undefined
  const bearer = parseChallenges(header).find(
    (c) => c.scheme === 'bearer' && c.params.error === 'insufficient_claims' && c.params.claims,
  )
  const encoded = bearer?.params.claims
  if (encoded === undefined || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) return undefined
  const json = Buffer.from(encoded, 'base64').toString('utf8')
  try {
    const value: unknown = JSON.parse(json)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? json : undefined
  } catch {
    return undefined
  }
}

/**
 * A token as sent, and whether it came from the authority during this request (not from the cache).
 *
 * @example
 * ```ts
 * const grant: Grant = await grantFor(client, 'api://myapis/mywebapi', systemClock)
 * ```
 */
export interface Grant {
  readonly token: AccessToken
  readonly fresh: boolean
}

/**
 * A token for `target`, and whether it is fresh: asked for at or after the start of this call (a
 * cache hit is older). `clock` must be the source's clock.
 *
 * @example
 * ```ts
 * const { token, fresh } = await grantFor(client, 'api://myapis/mywebapi', systemClock)
 * ```
 */
export async function grantFor(
  source: TokenSource,
  target: TokenTarget,
  clock: Clock,
  signal?: AbortSignal,
): Promise<Grant> {
  const startedAt = clock.now()
  const token = await (signal === undefined ? source.getToken(target) : source.getToken(target, { signal }))
  return { token, fresh: token.requestedAt >= startedAt }
}

/**
 * How to get the token for the one retry after a 401.
 *
 * @example
 * ```ts
 * const plan: RetryPlan = { kind: 'claims', claims: '{"access_token":{"nbf":{"essential":true}}}' }
 * ```
 */
export type RetryPlan = { readonly kind: 'claims'; readonly claims: string } | { readonly kind: 'refresh' }

/**
 * Whether a 401 to a request that carried `sent` is worth one retry: always for a CAE claims challenge;
 * otherwise only when the token came from the cache (a token fresh from the authority would be
 * refused again).
 *
 * @example
 * ```ts
 * retryPlan(grant, response.headers.get('www-authenticate')) // { kind: 'refresh' } | { kind: 'claims', … } | undefined
 * ```
 */
export function retryPlan(sent: Grant, wwwAuthenticate: string | null | undefined): RetryPlan | undefined {
  const claims = claimsChallenge(wwwAuthenticate)
  if (claims !== undefined) return { kind: 'claims', claims }
  return sent.fresh ? undefined : { kind: 'refresh' }
}

/**
 * The token for the retry: one with the challenge's claims, or a new one. When another request has
 * already replaced the refused token in the cache, that one is used instead of forcing yet another.
 *
 * @example
 * ```ts
 * const next = await grantForRetry(client, target, sent, { kind: 'refresh' })
 * ```
 */
export async function grantForRetry(
  source: TokenSource,
  target: TokenTarget,
  sent: Grant,
  plan: RetryPlan,
  signal?: AbortSignal,
): Promise<Grant> {
  const withSignal = signal === undefined ? {} : { signal }
  if (plan.kind === 'claims') {
    return { token: await source.getToken(target, { claims: plan.claims, ...withSignal }), fresh: true }
  }
  const current = await source.getToken(target, withSignal)
  if (current.accessToken !== sent.token.accessToken && current.requestedAt > sent.token.requestedAt) {
    return { token: current, fresh: true }
  }
  return { token: await source.getToken(target, { forceRefresh: true, ...withSignal }), fresh: true }
}
