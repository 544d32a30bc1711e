/**
 * The hint of a refused option: where to find the right value, or what the option takes. One per option
 * path (a parent's hint serves its children), so that no `ConfigurationError` carries a generic hint.
 */
const SIGNING_HINTS = {
  passphrase:
    'Give the passphrase of the encrypted key or PFX as a string, or omit it for an unencrypted key.',
  sendCertificateChain:
    'Give true to send the chain (x5c) for subject name / issuer authentication, else omit it.',
  algorithm: "Give 'PS256' (the default, what Entra expects) or 'RS256' (ADFS and older servers).",
  audience: "Omit it (the token endpoint is the assertion's aud), or give the issuer a generic server wants.",
  keyId: 'Omit it for Entra (the thumbprint identifies the key), or give the kid registered with the server.',
}

function signingHints(prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(SIGNING_HINTS).map(([key, hint]) => [`${prefix}.${key}`, hint]))
}

const CREDENTIAL_KINDS =
  'Give exactly one: { clientSecret }, { certificate: { privateKey, certificate } }, { certificatePath }, { clientAssertion }, { federatedTokenFile } or { managedIdentity: {} } (no secret: the app trusts a managed identity), e.g. credential: { clientSecret: process.env.CLIENT_SECRET }.'

/**
 * What the `TokenClient` options' errors say to do.
 *
 * @example
 * ```ts
 * parseWith(tokenClientOptionsSchema, input, 'TokenClient options', { hints: CLIENT_HINTS })
 * ```
 */
export const CLIENT_HINTS: Readonly<Record<string, string>> = {
  tenant:
    "Use the Directory (tenant) ID from the app registration's Overview page, or a verified domain (contoso.onmicrosoft.com); for a server other than Entra give tokenEndpoint instead.",
  clientId:
    "Use the Application (client) ID from the app registration's Overview page (a GUID); a generic server takes its own client id.",
  credential: CREDENTIAL_KINDS,
  managedIdentity:
    'Write managedIdentity: {} for the system-assigned identity, or { clientId }, { objectId } or { resourceId } for a user-assigned one (az identity show).',
  clientCapabilities:
    "Give ['cp1'] to get CAE-capable tokens (the app must then handle claims challenges), or omit it.",
  environment:
    'Give an object of environment variables, e.g. process.env, or omit it to detect the source from process.env.',
  imdsBaseUrl: 'Give the base URL only, e.g. http://127.0.0.1:8080 for a local stand-in; omit it on Azure.',
  'credential.clientSecret':
    'Give the secret Value (shown once, when it was created under Certificates & secrets), not its Secret ID; read from a file or variable, trim it.',
  'credential.certificate':
    'Give certificate: { privateKey, certificate }: the key as PEM text, a Buffer (PEM, DER or PKCS#12) or a KeyObject, and its certificate; for a file use certificatePath.',
  'credential.certificate.privateKey':
    'Give the key itself (PEM text, a Buffer of PEM, DER or PKCS#12, or a KeyObject), not a path: for a file use credential: { certificatePath }.',
  'credential.certificate.certificate':
    'Give the certificate as PEM text (a chain leaf first), DER bytes or an X509Certificate, or omit it when privateKey is a combined PEM or PKCS#12.',
  ...signingHints('credential.certificate'),
  'credential.certificatePath':
    'Give the path of a PEM file holding key and certificate, or of a PKCS#12 (.pfx) file.',
  ...signingHints('credential'),
  'credential.clientAssertion':
    'Give a signed JWT, or a function ({ clientId, tokenEndpoint, signal }) => string | Promise<string> that returns one.',
  'credential.federatedTokenFile':
    'Give the path of the projected token file (AZURE_FEDERATED_TOKEN_FILE on AKS), trimmed.',
  cloud:
    "Give 'AzurePublic' (the default), 'AzureUSGovernment' or 'AzureChina'; for another host (a local authority) give authorityHost instead.",
  authorityHost:
    'Give the scheme and host only, e.g. https://login.microsoftonline.com (the default) or http://127.0.0.1:<port> for a local authority; the tenant goes in tenant.',
  endpointVersion: "Give 'v2' (the default: sends scope) or 'v1' (sends resource).",
  tokenEndpoint:
    "Give the token_endpoint from the server's metadata (/.well-known/openid-configuration), https; for Entra give tenant (and cloud or authorityHost) instead.",
  authMethod:
    "Give 'client_secret_post' (the default for a secret), 'client_secret_basic', or 'private_key_jwt' (certificates, assertions, federated token files).",
  dpop: "Give true (an ES256 key generated in process), or { algorithm: 'ES256' | 'PS256' | 'RS256' | 'EdDSA', key: a private KeyObject or a CryptoKeyPair }; only with tokenEndpoint.",
  'dpop.key':
    'Give a private KeyObject (crypto.createPrivateKey) or a CryptoKeyPair, or leave it out to have one generated in process.',
  'dpop.algorithm': "Give 'ES256' (the default), 'PS256', 'RS256' or 'EdDSA'.",
  cache: 'Give cache: { maxEntries, store }, or omit it.',
  'cache.maxEntries': 'Give a positive integer: the most tokens kept in memory (default 10000).',
  'cache.store':
    "Give createRedisStore(redis) from 'oauth-client-credentials/redis', or an object with get and set (a TokenStore).",
  refresh: 'Give refresh: { windowMs }, or omit it.',
  'refresh.windowMs':
    'Give a whole number of milliseconds, 0 or more: how long before expiry a token is refreshed (default 300000).',
  http: 'Give http: { dispatcher, timeoutMs, retries, maxRetryDelayMs, maxResponseBytes }, or omit it.',
  'http.dispatcher':
    "Give an undici Agent, Pool, ProxyAgent or MockAgent (import { Agent } from 'undici'), or omit it.",
  'http.timeoutMs': 'Give a positive whole number of milliseconds (default 10000).',
  'http.retries': 'Give a whole number from 0 to 10 (default 2).',
  'http.maxRetryDelayMs': 'Give a whole number of milliseconds, 0 or more (default 60000).',
  'http.maxResponseBytes': 'Give a positive whole number of bytes (default 1048576).',
  logger: 'Give console, a pino or winston logger, or any object with debug, info, warn or error methods.',
  clock: 'Give { now: () => epochMilliseconds } (tests), or omit it for the system clock.',
}

/**
 * The example of a valid `TokenClient` call, for options that are not an object.
 *
 * @example
 * ```ts
 * hint.endsWith(CLIENT_EXAMPLE)
 * ```
 */
export const CLIENT_EXAMPLE = 'new TokenClient({ tenant, clientId, credential: { clientSecret } }).'

/**
 * What the errors of `getToken`'s options and requests say to do.
 *
 * @example
 * ```ts
 * parseWith(getTokenOptionsSchema, options, 'getToken options', { hints: GET_TOKEN_HINTS })
 * ```
 */
export const GET_TOKEN_HINTS: Readonly<Record<string, string>> = {
  tenant: 'Give another tenant id or verified domain for this call (multi-tenant apps), or omit it.',
  claims: 'Give the claims challenge (JSON) from a WWW-Authenticate insufficient_claims answer, or omit it.',
  forceRefresh: 'Give true to fetch a new token even when one is cached, or omit it.',
  enableCae:
    "Give false to ask without the client's clientCapabilities (a token that is not CAE-capable), or omit it.",
  signal: 'Give an AbortSignal, e.g. AbortSignal.timeout(2000), or omit it.',
  scope: "Give one scope string, or for a generic server a list: { scope: ['read', 'write'] }.",
  resource: 'Give one resource (an App ID URI, or for a generic server an absolute URI), or a list.',
}

/**
 * The example of a valid `getToken` call, for options that are not an object.
 *
 * @example
 * ```ts
 * hint.endsWith(GET_TOKEN_EXAMPLE)
 * ```
 */
export const GET_TOKEN_EXAMPLE =
  "getToken('api://…', { tenant: 'contoso.onmicrosoft.com', forceRefresh: true })."
