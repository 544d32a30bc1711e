/**
 * Tokens requested over mutual TLS, on their way to an API (RFC 8705 §3, Entra mTLS PoP,
 * docs/sender-constrained.md §3): each travels only over a connection presenting the certificate it
 * was requested with, never over the caller's own connections; its scheme is its `tokenType`.
 */
import type { Dispatcher } from 'undici'
import { ConfigurationError } from '../errors.js'
import { type AccessToken, sendableToken } from '../token.js'
import { bearer } from './bearer.js'
import type { TokenSource, TokenTarget } from './source.js'

/**
 * The `Authorization` value of `token`: `Bearer …`, or `mtls_pop …` for an Entra mTLS PoP token.
 *
 * @example
 * ```ts
 * headers.set('authorization', authorizationOf(token))
 * ```
 */
export function authorizationOf(token: AccessToken): string {
  // a Bearer token's value is built once per token (bearer.ts); mtls_pop tokens are rare enough not to
  return token.tokenType === 'mtls_pop' ? `mtls_pop ${sendableToken(token)}` : bearer(token)
}

/**
 * A token and the connection it must be sent over (none for a token not requested over mutual TLS).
 *
 * @example
 * ```ts
 * const { token, dispatcher } = await connectionFor(client, target, await client.getToken(target), undefined)
 * ```
 */
export interface TokenConnection {
  readonly token: AccessToken
  /** The dispatcher presenting the token's certificate; `undefined` for an unbound token. */
  readonly dispatcher: Dispatcher | undefined
  /** Whether the token was replaced by a new one (its certificate had been rotated out). */
  readonly replaced: boolean
}

/**
 * The connection for `token`: for a token requested over mutual TLS, the source's dispatcher presenting
 * its certificate. When that certificate has been rotated out, a new token (requested with the
 * certificate in service) replaces it, so token and certificate rotate together. Throws
 * {@link ConfigurationError} when the source cannot name the connection: the token is then never sent.
 *
 * @example
 * ```ts
 * const { token, dispatcher } = await connectionFor(client, 'https://graph.microsoft.com', token, signal)
 * ```
 */
export async function connectionFor(
  source: TokenSource,
  target: TokenTarget,
  token: AccessToken,
  signal: AbortSignal | undefined,
): Promise<TokenConnection> {
  if (token.certificateThumbprint === undefined) return { token, dispatcher: undefined, replaced: false }
  const dispatcher = source.certificateDispatcher?.(token)
  if (dispatcher !== undefined) return { token, dispatcher, replaced: false }
  if (source.certificateDispatcher === undefined) throw noConnection()
  const withSignal = signal === undefined ? {} : { signal }
  const renewed = await source.getToken(target, { forceRefresh: true, ...withSignal })
  const renewedDispatcher = source.certificateDispatcher(renewed)
  if (renewedDispatcher === undefined) throw noConnection()
  return { token: renewed, dispatcher: renewedDispatcher, replaced: true }
}

function noConnection(): ConfigurationError {
  return new ConfigurationError(
    'certificateDispatcher',
    'the token is bound to a client certificate, but its token source names no connection presenting that certificate: the request was not sent',
    {
      hint: 'Attach tokens of a mutual-TLS client through client.authorizedFetch or client.interceptor, or give the token source a certificateDispatcher(token).',
    },
  )
}
