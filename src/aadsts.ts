/**
 * What Entra's AADSTS codes mean, as hints for the fix (docs/entra.md §8). Codes only refine a hint: the
 * library branches on the HTTP status and the OAuth `error`, since codes move between errors over time.
 */

/** What the library knows of the request, to sharpen a hint. */
export interface HintContext {
  /** The configured client secret has the shape of a GUID (as a Secret ID does). */
  secretLooksLikeId?: boolean | undefined
  /** The endpoint version called. */
  endpointVersion?: 'v1' | 'v2' | undefined
}

type HintRule = (ctx: HintContext) => string

const HINTS = new Map<number, HintRule>()
function hint(codes: number[], rule: HintRule | string): void {
  for (const code of codes) HINTS.set(code, typeof rule === 'string' ? () => rule : rule)
}

hint([7000215], (ctx) =>
  ctx.secretLooksLikeId
    ? 'The client secret is wrong: you sent what looks like the Secret ID (a GUID). Send the secret\'s Value, shown once when the secret was created in "Certificates & secrets".'
    : "The client secret is wrong: check that you send the secret's Value (not its Secret ID) for this client id.",
)
hint([7000222], 'The client secret has expired: create a new secret for the app registration and deploy it.')
hint([7000218], 'No credential was sent: configure a client secret, a certificate or a client assertion.')
hint(
  [700016],
  'The application was not found in this tenant: check the client id and the tenant; a multi-tenant app must be consented to in the target tenant.',
)
hint(
  [7000229],
  'The application has no service principal in this tenant: an administrator must consent to (provision) it in the tenant.',
)
hint([7000112], 'The application is disabled in this tenant: ask an administrator to enable it.')
hint([500011], (ctx) =>
  ctx.endpointVersion === 'v1'
    ? 'The resource (App ID URI) was not found in this tenant: check the URI, and do not append /.default on the v1 endpoint.'
    : 'The resource (App ID URI) was not found in this tenant: check the URI in the API\'s "Expose an API" page, and that the API is registered (or consented) in this tenant.',
)
hint(
  [1002012, 70011],
  'Client credentials need exactly one scope of the form {resource}/.default (e.g. api://myapis/mywebapi/.default).',
)
hint([700022], 'Request one resource at a time: one {resource}/.default scope per token.')
hint([90002], 'The tenant was not found: check the tenant id or domain, and the cloud (authority host).')
hint([900023, 50059], 'The tenant segment is not a tenant: use the tenant GUID or a verified domain.')
hint([900144], 'A required parameter is missing or the body is not form-encoded.')
hint(
  [700027],
  'The assertion signature is invalid or the certificate is not registered: upload the certificate to the app registration; for subject-name/issuer apps send the chain (sendCertificateChain).',
)
hint([700024], 'The client assertion is outside its valid time range: check the machine clock.')
hint([700023], "The client assertion's audience is not this token endpoint.")
hint([50027], 'The client assertion is not a well-formed JWT.')
hint(
  [70021, 700211, 700212, 700213],
  "No federated identity credential matches the assertion's issuer, subject and audience: check the app registration's federated credentials.",
)
hint([90033, 50033, 50000], 'The service is temporarily unavailable: the request is retried with backoff.')

/**
 * The first hint known for `codes`, or `undefined`.
 *
 * @example
 * ```ts
 * hintFor([7000222]) // 'The client secret has expired: …'
 * ```
 */
export function hintFor(codes: readonly number[], ctx: HintContext = {}): string | undefined {
  for (const code of codes) {
    const rule = HINTS.get(code)
    if (rule) return rule(ctx)
  }
  return undefined
}
