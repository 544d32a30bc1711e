/**
 * Success bodies of the token endpoint (docs/entra.md §6): numbers on v2, every number a string on v1 with
 * `expires_on`, `not_before` and `resource`; `refresh_in` when the API registration asks for it.
 */
import type { MintedToken } from './access-token.js'

/**
 * A v2 success body.
 *
 * @example
 * ```ts
 * const body = (await res.json()) as V2TokenBody
 * body.expires_in // 3599
 * ```
 */
export interface V2TokenBody {
  token_type: 'Bearer' | 'DPoP' | 'mtls_pop'
  expires_in: number
  ext_expires_in: number
  refresh_in?: number
  access_token: string
}

/**
 * A v1 success body.
 *
 * @example
 * ```ts
 * const body = (await res.json()) as V1TokenBody
 * body.expires_on // '1597522331'
 * ```
 */
export interface V1TokenBody {
  token_type: 'Bearer' | 'DPoP'
  expires_in: string
  ext_expires_in: string
  refresh_in?: string
  expires_on: string
  not_before: string
  resource: string
  access_token: string
}

/**
 * The v2 body for a minted token.
 *
 * @example
 * ```ts
 * v2TokenBody(token, undefined) // { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token }
 * ```
 */
export function v2TokenBody(
  token: MintedToken,
  refreshIn: number | undefined,
  tokenType: 'Bearer' | 'mtls_pop' = 'Bearer',
): V2TokenBody {
  return {
    token_type: tokenType,
    expires_in: token.expiresIn,
    ext_expires_in: token.expiresIn,
    ...(refreshIn === undefined ? {} : { refresh_in: refreshIn }),
    access_token: token.accessToken,
  }
}

/**
 * The v1 body for a minted token: strings only.
 *
 * @example
 * ```ts
 * v1TokenBody(token, undefined, 'https://management.azure.com').expires_in // '3599'
 * ```
 */
export function v1TokenBody(
  token: MintedToken,
  refreshIn: number | undefined,
  resource: string,
): V1TokenBody {
  return {
    token_type: 'Bearer',
    expires_in: String(token.expiresIn),
    ext_expires_in: String(token.expiresIn),
    ...(refreshIn === undefined ? {} : { refresh_in: String(refreshIn) }),
    expires_on: String(token.expiresOn),
    not_before: String(token.notBefore),
    resource,
    access_token: token.accessToken,
  }
}
