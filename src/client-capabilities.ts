/**
 * Client capabilities (`cp1`: the client handles CAE claims challenges, so Entra may issue CAE-capable,
 * long-lived tokens), as Entra takes them: in the `claims` request parameter as
 * `{"access_token":{"xms_cc":{"values":[…]}}}`, merged into a claims challenge as msal does
 * (docs/entra.md; a managed identity's endpoint takes them as `xms_cc` instead, docs/managed-identity.md
 * §Requests).
 */
import { ConfigurationError } from './errors.js'

/**
 * The `claims` to send: `claims` (a challenge's JSON, or none) with `access_token.xms_cc` set to
 * `capabilities`; `claims` unchanged when there are none. Throws a `ConfigurationError` (path `claims`)
 * when capabilities must be merged into claims that are not a JSON object.
 *
 * @example
 * ```ts
 * claimsWithCapabilities(undefined, ['cp1']) // '{"access_token":{"xms_cc":{"values":["cp1"]}}}'
 * ```
 */
export function claimsWithCapabilities(
  claims: string | undefined,
  capabilities: readonly string[],
): string | undefined {
  if (capabilities.length === 0) return claims
  const merged = claims === undefined ? {} : claimsObject(claims)
  const accessToken = merged.access_token
  merged.access_token = {
    ...(isRecord(accessToken) ? accessToken : {}),
    xms_cc: { values: [...capabilities] },
  }
  return JSON.stringify(merged)
}

function claimsObject(claims: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(claims)
  } catch {
    parsed = undefined
  }
  if (isRecord(parsed)) return parsed
  throw new ConfigurationError(
    'claims',
    'is not a JSON object, so the client capabilities cannot be added to it',
    {
      hint: 'Pass the claims challenge decoded (claimsChallenge(header) gives it), e.g. \'{"access_token":{…}}\'.',
    },
  )
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
