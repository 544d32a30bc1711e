/**
 * What each claim (and header parameter) of an Entra access token means: shown next to the claims
 * of every issued token and in the page's decode box.
 */

/**
 * Claim name → meaning.
 *
 * @example
 * ```ts
 * CLAIM_MEANINGS.roles // 'app roles granted to the client (absent when none, or without admin consent)'
 * ```
 */
export const CLAIM_MEANINGS: Readonly<Record<string, string>> = {
  aud: 'audience: the API the token is for (v1: the App ID URI as requested; v2: the API application id)',
  iss: 'issuer: the tenant that issued it (v1: https://sts.windows.net/{tid}/; v2: …/{tid}/v2.0)',
  iat: 'issued at (Entra back-dates it by 5 minutes)',
  nbf: 'not valid before (back-dated like iat)',
  exp: 'expires at',
  aio: 'opaque, internal to Entra',
  appid: 'v1: the client application id',
  appidacr: 'v1: how the client proved itself: 0 none, 1 secret, 2 certificate or assertion',
  azp: 'v2: the client application id',
  azpacr: 'v2: how the client proved itself: 0 none, 1 secret, 2 certificate or assertion',
  idp: 'v1: identity provider (the issuing tenant for apps)',
  idtyp: "token type: 'app' for client credentials",
  oid: "object id of the client's service principal in the tenant",
  sub: "subject: the client's service principal (same as oid for apps)",
  rh: 'opaque, internal to Entra',
  roles: 'app roles granted to the client (absent when none, or without admin consent)',
  scp: 'delegated scopes (never in client-credentials tokens)',
  tid: 'tenant id',
  uti: 'unique token id (opaque)',
  ver: 'token version: 1.0 or 2.0, chosen by the API registration (accessTokenAcceptedVersion)',
  xms_cc: 'client capabilities (cp1: the client handles claims challenges, CAE)',
  cnf: 'confirmation: the key or certificate the token is bound to',
  alg: 'header: signature algorithm',
  typ: 'header: type',
  kid: 'header: id of the signing key (in the JWKS)',
  x5t: 'header: SHA-1 thumbprint of the signing certificate (v1 tokens)',
}

/**
 * Claims whose value is an instant (epoch seconds), shown as a date too.
 *
 * @example
 * ```ts
 * TIME_CLAIMS.includes('exp') // true
 * ```
 */
export const TIME_CLAIMS: readonly string[] = ['iat', 'nbf', 'exp']
