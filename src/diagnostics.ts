/**
 * `node:diagnostics_channel` reporting. Subscribing costs the library nothing when nobody listens:
 * events are only built when the channel has subscribers.
 */
import { channel } from 'node:diagnostics_channel'

/** The channel's name: `diagnostics_channel.subscribe(TOKEN_CHANNEL, listener)`. */
export const TOKEN_CHANNEL = 'oauth-client-credentials:token'

/**
 * How a lookup was served: `hit` fresh from the cache; `stale` from the cache while one background
 * refresh runs; `miss` nothing usable cached, a request was sent; `inflight` joined a request already
 * under way; `refresh` a forced refresh, or a background refresh that succeeded (`background: true`);
 * `error` the request failed (`background` tells whether a caller was waiting on it).
 */
export type TokenLookupEvent = 'hit' | 'stale' | 'miss' | 'inflight' | 'refresh' | 'error'

/**
 * One message on {@link TOKEN_CHANNEL}. It never holds a secret or a token.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel'
 * import { TOKEN_CHANNEL, type TokenLookupMessage } from 'oauth-client-credentials'
 * subscribe(TOKEN_CHANNEL, (m) => {
 *   const msg = m as TokenLookupMessage
 *   metrics.increment(`token.${msg.event}`)
 * })
 * ```
 */
export interface TokenLookupMessage {
  event: TokenLookupEvent
  /** The cache key's readable part: tenant and scope (or resource). */
  key: string
  /** Milliseconds the lookup took (for `miss`, `refresh` and `error`: until the request settled). */
  durationMs: number
  /** For `error`: the error's code. */
  errorCode?: string | undefined
  /**
   * For `miss`, `refresh` and `error` (the lookups that sent a request): whether it was a background
   * refresh, which no caller waits on (a failure is seen by no caller; a `refresh` was not forced).
   */
  background?: boolean | undefined
}

const tokenChannel = channel(TOKEN_CHANNEL)

/** Whether anybody listens (check before building a message). */
export function diagnosticsActive(): boolean {
  return tokenChannel.hasSubscribers
}

/** Publishes one lookup message. */
export function publishLookup(message: TokenLookupMessage): void {
  tokenChannel.publish(message)
}
