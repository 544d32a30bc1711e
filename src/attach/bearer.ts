/**
 * The `authorization` header value for a token, built once per token: a token is attached to every
 * request until it is refreshed, so its value is checked and concatenated once, not per request
 * (issue 17). Tokens the source builds otherwise (any object with an `accessToken`) are checked each time.
 */
import { AccessToken, sendableToken } from '../token.js'

const values = new WeakMap<AccessToken, string>()

/**
 * `Bearer <token>`, checked by `sendableToken` (visible ASCII only).
 *
 * @example
 * ```ts
 * headers.set('authorization', bearer(token))
 * ```
 */
export function bearer(token: AccessToken): string {
  if (!(token instanceof AccessToken)) return `Bearer ${sendableToken(token)}`
  let value = values.get(token)
  if (value === undefined) {
    value = `Bearer ${sendableToken(token)}`
    values.set(token, value)
  }
  return value
}
