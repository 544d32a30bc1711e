/**
 * DPoP in the attach layer (RFC 9449 §7, §9): the `Authorization: DPoP …` header and a fresh proof
 * naming the request and the token (`ath`) for every request sent with a DPoP-bound token, the
 * resource server's nonces kept per origin, and its nonce challenge (401 with
 * `WWW-Authenticate: DPoP error="use_dpop_nonce"` and `DPoP-Nonce`) recognised for one retry.
 * Shared by `authorizedFetch` and the interceptor (docs/sender-constrained.md §6).
 */
import { type DpopSession, dpopSessionOf } from '../dpop/session.js'
import { ConfigurationError } from '../errors.js'
import { type AccessToken, sendableToken } from '../token.js'
import { authorizationOf } from './bound.js'
import { parseChallenges } from './challenge.js'

/**
 * The headers that carry a token: `authorization` and, for a DPoP token, `dpop`.
 *
 * @example
 * ```ts
 * const headers = await tokenHeaders(client, token, { method: 'GET', url })
 * ```
 */
export interface TokenHeaders {
  readonly authorization: string
  readonly dpop?: string
}

/**
 * The headers for one request with `token`: `Bearer …`, or `DPoP …` and a fresh proof made with the
 * source's DPoP key (a DPoP token from a source without one is refused: it could not be used).
 *
 * @example
 * ```ts
 * const { authorization, dpop } = await tokenHeaders(client, token, { method: 'POST', url: 'https://api.contoso.com/orders' })
 * ```
 */
export async function tokenHeaders(
  source: object,
  token: AccessToken,
  request: { readonly method: string; readonly url: string | URL },
): Promise<TokenHeaders> {
  const plain = unboundHeaders(token)
  if (plain !== undefined) return plain
  const accessToken = sendableToken(token)
  const session = sessionFor(source)
  const dpop = await session.proof({ method: request.method, url: request.url, accessToken })
  return { authorization: `DPoP ${accessToken}`, dpop }
}

/**
 * The headers of a token that needs no proof (all but DPoP), at once: the attach layer's hot path skips
 * the await of {@link tokenHeaders} for them (issue 17); `undefined` for a DPoP token.
 *
 * @example
 * ```ts
 * const headers = unboundHeaders(token) ?? (await tokenHeaders(client, token, { method, url }))
 * ```
 */
export function unboundHeaders(token: AccessToken): TokenHeaders | undefined {
  return token.tokenType === 'DPoP' ? undefined : { authorization: authorizationOf(token) }
}

function sessionFor(source: object): DpopSession {
  const session = dpopSessionOf(source)
  if (session !== undefined) return session
  throw new ConfigurationError('source', 'the token is DPoP-bound but its token source holds no DPoP key', {
    hint: 'Attach DPoP tokens with the TokenClient that got them (created with the dpop option).',
  })
}

/**
 * Keeps the `DPoP-Nonce` an answer from `url` carried (any status: a server may roll nonces on a 200).
 * Returns whether a new nonce was kept.
 *
 * @example
 * ```ts
 * noteResourceNonce(client, url, response.headers.get('dpop-nonce'))
 * ```
 */
export function noteResourceNonce(
  source: object,
  url: string | URL,
  nonce: string | null | undefined,
): boolean {
  const session = dpopSessionOf(source)
  if (session === undefined || nonce === null || nonce === undefined) return false
  const before = session.nonces.get(new URL(url).origin)
  return session.noteNonce(url, nonce) && before !== nonce
}

/**
 * Whether a `WWW-Authenticate` header holds a DPoP nonce challenge (`DPoP error="use_dpop_nonce"`).
 *
 * @example
 * ```ts
 * isDpopNonceChallenge('DPoP error="use_dpop_nonce", error_description="nonce required"') // true
 * ```
 */
export function isDpopNonceChallenge(wwwAuthenticate: string | null | undefined): boolean {
  if (!wwwAuthenticate) return false
  return parseChallenges(wwwAuthenticate).some(
    (c) => c.scheme === 'dpop' && c.params.error === 'use_dpop_nonce',
  )
}
