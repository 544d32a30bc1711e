/**
 * Folder `entra/`: what the real service says, shared by `token/` and `discovery/`: the AADSTS codes
 * and messages (this file), the error body (`error-body.ts`), clouds and issuers (`clouds.ts`), ids
 * and timestamps (`ids.ts`), and tenant segments (`tenant-resolution.ts`). Written from
 * docs/entra.md: the client has its own versions of some of these, and none is shared (wall 3 of
 * docs/architecture.md), so a mistake on one side is caught by the other.
 *
 * The AADSTS codes the local authority answers with: for each, the OAuth `error` value, the HTTP
 * status and the message text, as the real service words them (docs/entra.md §8).
 */

/**
 * One entry of the catalog.
 *
 * @example
 * ```ts
 * const entry: AadstsEntry = AADSTS[7000215] // { error: 'invalid_client', status: 401 }
 * ```
 */
export interface AadstsEntry {
  error: string
  status: number
}

// Deliberate copy: the emulator shares no protocol code with the client (docs/architecture.md)
/**
 * Every code the local authority can produce (the client reads them in `src/aadsts.ts`).
 *
 * @example
 * ```ts
 * AADSTS[90002].status // 400
 * ```
 */
export const AADSTS = {
  7000215: { error: 'invalid_client', status: 401 },
  7000222: { error: 'invalid_client', status: 401 },
  7000218: { error: 'invalid_client', status: 401 },
  7000229: { error: 'invalid_client', status: 401 },
  700016: { error: 'unauthorized_client', status: 400 },
  7000112: { error: 'unauthorized_client', status: 400 },
  500011: { error: 'invalid_resource', status: 400 },
  1002012: { error: 'invalid_scope', status: 400 },
  700022: { error: 'invalid_scope', status: 400 },
  90009: { error: 'invalid_request', status: 400 },
  90002: { error: 'invalid_request', status: 400 },
  900023: { error: 'invalid_request', status: 400 },
  900144: { error: 'invalid_request', status: 400 },
  900561: { error: 'invalid_request', status: 400 },
  70003: { error: 'unsupported_grant_type', status: 400 },
  700027: { error: 'invalid_client', status: 401 },
  700024: { error: 'invalid_client', status: 401 },
  700023: { error: 'invalid_client', status: 401 },
  700021: { error: 'invalid_client', status: 401 },
  50027: { error: 'invalid_request', status: 400 },
  70021: { error: 'unauthorized_client', status: 400 },
  50166: { error: 'invalid_request', status: 400 },
  90033: { error: 'temporarily_unavailable', status: 503 },
  50000: { error: 'server_error', status: 500 },
  50049: { error: 'invalid_instance', status: 400 },
} as const satisfies Record<number, AadstsEntry>

/**
 * A code of the catalog.
 *
 * @example
 * ```ts
 * const code: AadstsCode = 700027
 * ```
 */
export type AadstsCode = keyof typeof AADSTS

/**
 * Message texts, by code. Parameters are the values the real message interpolates.
 *
 * @example
 * ```ts
 * MESSAGES.wrongSecret('55b2a7ec-…') // "Invalid client secret provided. Ensure …"
 * ```
 */
export const MESSAGES = {
  wrongSecret: (appId: string) =>
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
  expiredSecret: (appId: string) =>
    `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  noCredential: () =>
    `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.`,
  noServicePrincipal: (appId: string, tenantId: string) =>
    `The client application ${appId} is missing service principal in the tenant ${tenantId}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`,
  appNotFound: (appId: string, tenantName: string) =>
    `Application with identifier '${appId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  appDisabled: (appId: string, name: string) => `Application '${appId}'(${name}) is disabled.`,
  resourceNotFound: (resource: string, tenantName: string) =>
    `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  scopeNotDefault: (scope: string) =>
    `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  twoResources: (scope: string) =>
    `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
  tokenForItself: (appId: string, name: string) =>
    `Application '${appId}'(${name}) is requesting a token for itself. This scenario is supported only if resource is specified using the GUID based App Identifier.`,
  tenantNotFound: (tenant: string) =>
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  notATenant: (tenant: string) =>
    `Specified tenant identifier '${tenant}' is neither a valid DNS name, nor a valid external domain.`,
  missingParameter: (name: string) => `The request body must contain the following parameter: '${name}'.`,
  postOnly: (method: string) => `The endpoint only accepts POST requests. Received a ${method} request.`,
  unsupportedGrant: (grantType: string) => `The app requested an unsupported grant type '${grantType}'.`,
  keyNotFound: (thumbprintHex: string, appId: string) =>
    `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprintHex}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${appId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments if you are not using the public cloud.]`,
  badSignature: () => 'Client assertion failed signature validation.',
  unsupportedAlgorithm: () => 'Invalid JWT token. Unsupported asymmetric signing algorithm.',
  assertionTime: (now: number, nbf: number | undefined, exp: number | undefined) =>
    `Client assertion is not within its valid time range. Current time: ${iso(now)}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
  assertionAudience: () =>
    'Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .',
  assertionSubject: () => `Client assertion application identifier doesn't match 'client_id' parameter.`,
  malformedJwt: () => 'JWT token is invalid or malformed.',
  noFederatedMatch: (issuer: string, subject: string, audience: string) =>
    `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audience}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
  externalKeysUnavailable: (issuer: string) =>
    `Request to External OIDC endpoint failed. Could not retrieve the signing keys of issuer '${issuer}'.`,
  transient: () => 'A transient error has occurred. Please try again.',
  serverError: () => 'There was an error issuing a token or an issue with our sign-in service.',
  unknownInstance: () => 'Unknown or invalid instance.',
} as const

function iso(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined || !Number.isFinite(epochSeconds)) return 'null'
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, '.0000000Z')
}
