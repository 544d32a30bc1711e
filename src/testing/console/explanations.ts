/**
 * What each AADSTS code the local authority answers with means, and the fix, in the console's own
 * words (the console shares no code with the client, so it does not repeat the client's hints).
 */
import type { AadstsCode } from '../entra/aadsts.js'

/**
 * The meaning of a code and what to change.
 *
 * @example
 * ```ts
 * const { meaning, hint }: Explanation = explainCode(7000215)
 * ```
 */
export interface Explanation {
  meaning: string
  hint: string
}

const WHY = {
  7000215: [
    'wrong client secret',
    "send the secret's Value (shown once when it was created), not its Secret ID (a GUID)",
  ],
  7000222: ['client secret expired', 'add a new secret to the app registration and use its Value'],
  7000218: ['no credential sent', 'send client_secret, or a client_assertion with its client_assertion_type'],
  7000229: [
    'the app has no service principal in this tenant',
    'add the app to the tenant (clients.addToTenant), as an admin consenting to it would',
  ],
  700016: [
    'the app is not registered in this tenant',
    'check client_id and the tenant in the URL; a multi-tenant app must be added to the tenant',
  ],
  7000112: ['the app is disabled', 'enable it (clients.setEnabled(appId, true))'],
  500011: [
    'the API (App ID URI) is not registered in this tenant',
    'check the App ID URI of the scope or resource; on v1 send the resource without /.default',
  ],
  1002012: [
    'the scope lacks /.default',
    'ask for {App ID URI}/.default: client credentials take no other scope',
  ],
  700022: ['scopes of two APIs in one request', 'ask for one API per token request'],
  90009: [
    'the app asked for a token for itself by App ID URI',
    "name the API by its application id (GUID), or ask for another API's token",
  ],
  90002: ['tenant not found', 'use the tenant GUID or a verified domain of a registered tenant'],
  900023: [
    'the tenant segment is not a tenant',
    "use a tenant GUID or domain, not 'common' or 'organizations'",
  ],
  900144: [
    'a required parameter is missing',
    'send an application/x-www-form-urlencoded body with grant_type, client_id and scope (v2) or resource (v1)',
  ],
  900561: ['the token endpoint takes POST only', 'POST the form to the token endpoint'],
  70003: ['unsupported grant type', 'send grant_type=client_credentials'],
  700027: [
    'the assertion signature is invalid or its certificate is not registered',
    'upload the certificate to the app (clients.addCertificate); for subject-name trust send the chain (x5c)',
  ],
  700024: [
    'the client assertion is outside its valid time range',
    'sign a fresh assertion for each request (exp at most 10 minutes ahead) and check the clock',
  ],
  700023: [
    "the assertion's audience is not this token endpoint",
    'set aud to the exact token endpoint URL called',
  ],
  700021: [
    "the assertion's subject does not match client_id",
    'set iss and sub of the assertion to the client id',
  ],
  50027: ['the client assertion is not a well-formed JWT', 'send a compact JWS: header.payload.signature'],
  70021: [
    'no federated credential matches the assertion',
    "register a federated credential with the assertion's issuer, subject and audience",
  ],
  50166: [
    "the external issuer's signing keys could not be fetched",
    "check the federated credential's issuer and that its JWKS answers",
  ],
  90033: ['the service is temporarily unavailable', 'retry with backoff, honouring Retry-After'],
  50000: ['server error while issuing the token', 'retry with backoff'],
  50049: ['unknown or invalid instance', 'use an authority host the service knows'],
} as const satisfies Record<AadstsCode, readonly [string, string]>

/**
 * The explanation of an AADSTS code (a generic one for a code the console does not know).
 *
 * @example
 * ```ts
 * explainCode(7000215).meaning // 'wrong client secret'
 * ```
 */
export function explainCode(code: number): Explanation {
  const entry: readonly [string, string] | undefined = (WHY as Record<number, readonly [string, string]>)[
    code
  ]
  if (!entry) return { meaning: 'an error of the authority', hint: 'read error_description' }
  return { meaning: entry[0], hint: entry[1] }
}

/**
 * What an answer without AADSTS code means: a throttled, dropped or faulted request.
 *
 * @example
 * ```ts
 * explainStatus(429, 'status429') // { meaning: 'throttled (fault injected)', hint: 'wait for Retry-After, then retry' }
 * ```
 */
export function explainStatus(
  status: number | 'dropped',
  fault: string | undefined,
): Explanation | undefined {
  const injected = fault ? ' (fault injected)' : ''
  if (status === 'dropped')
    return {
      meaning: `connection dropped without an answer${injected}`,
      hint: 'retry; the request may have reached the server',
    }
  if (status === 429) return { meaning: `throttled${injected}`, hint: 'wait for Retry-After, then retry' }
  if (status === 502) return { meaning: `bad gateway: an HTML page${injected}`, hint: 'retry with backoff' }
  if (status === 404) return { meaning: 'no such route', hint: 'check the URL: /{tenant}/oauth2/v2.0/token' }
  if (status === 405) return { meaning: 'method not allowed', hint: 'GET the metadata and keys' }
  if (status === 413) return { meaning: 'body too large', hint: 'send a form under 1 MiB' }
  if (fault) return { meaning: `fault injected: ${fault}`, hint: 'the answer was altered on purpose' }
  return undefined
}
