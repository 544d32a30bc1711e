/**
 * What the attach layer (`authorizedFetch`, the interceptor, the Azure adapter) takes tokens from: a token
 * source, and what a token is asked for (the one public type called a target).
 */
import type { Dispatcher } from 'undici'
import { type GetTokenOptions, type TokenRequest, tokenRequestSchema } from '../options.js'
import type { AccessToken } from '../token.js'
import { nonEmpty } from '../validation/schemas.js'
import { lazySchema } from '../validation/zod.js'

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
  /**
   * For a token requested over mutual TLS (`certificateThumbprint` set): the dispatcher presenting its
   * certificate, or `undefined` when that certificate is no longer in service. A source without it
   * cannot hand out such tokens to the attach helpers.
   */
  certificateDispatcher?(token: AccessToken): Dispatcher | undefined
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

/**
 * A {@link TokenTarget}: a non-empty string, or a {@link TokenRequest} with scope or resource.
 *
 * @example
 * ```ts
 * tokenTargetSchema().parse({ scope: 'https://graph.microsoft.com/.default' })
 * ```
 */
export const tokenTargetSchema = lazySchema((z) =>
  z.union([
    nonEmpty(),
    tokenRequestSchema().refine(
      (r) => r.scope !== undefined || r.resource !== undefined,
      'give scope or resource',
    ),
  ]),
)
