/**
 * Known wrong option keys and what was meant: the names other libraries use (`@azure/identity`, MSAL,
 * OAuth wire names), and options put at the wrong level. Keys are matched with case, `_` and `-` ignored.
 * A plain typo needs no entry: the closest option name is suggested anyway.
 */
import { cloudOfOrigin, splitAuthority } from './authority.js'

/**
 * What an advice function is told: the value under the unknown key, and the options valid there.
 *
 * @example
 * ```ts
 * const advice = ({ known }: AdviceContext) => ({ to: known.includes('passphrase') ? 'passphrase' : 'clientSecret' })
 * ```
 */
export interface AdviceContext {
  readonly value: unknown
  readonly known: readonly string[]
}

/**
 * A sentence saying where the key belongs, or `{ to }`: the option meant (when valid there).
 *
 * @example
 * ```ts
 * const said: Said = 'it belongs inside http: write http: { timeoutMs }'
 * ```
 */
export type Said = string | { readonly to: string }

/**
 * What to say about one unknown key.
 *
 * @example
 * ```ts
 * const advice: KeyAdvice = { to: 'clientId' }
 * ```
 */
export type KeyAdvice = Said | ((context: AdviceContext) => Said | undefined)

/**
 * Advice per object path (`''` is the top) and normalised key.
 *
 * @example
 * ```ts
 * const table: AliasTable = { http: { timeout: { to: 'timeoutMs' } } }
 * ```
 */
export type AliasTable = Readonly<Record<string, Readonly<Record<string, KeyAdvice>>>>

/**
 * A key as the tables hold it: lower case, without `_` and `-`.
 *
 * @example
 * ```ts
 * normalizeKey('client_Secret') // 'clientsecret'
 * ```
 */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '')
}

function entries(keys: readonly string[], advice: KeyAdvice): Record<string, KeyAdvice> {
  return Object.fromEntries(keys.map((key) => [normalizeKey(key), advice]))
}

const inside = (where: string, write: string) => `it belongs inside ${where}: write ${write}`
const GET_TOKEN =
  "it is not a client option: name the API per call, getToken('api://…') or getToken({ scope })"

function authorityAdvice({ value }: AdviceContext): string {
  const split = splitAuthority(value)
  if (split === undefined) {
    return "MSAL's authority is split in two here: authorityHost (scheme and host, https://login.microsoftonline.com by default) and tenant (the tenant id or domain)"
  }
  const cloud = cloudOfOrigin(split.authorityHost)
  const host =
    cloud === 'AzurePublic' ? [] : [cloud ? `cloud: '${cloud}'` : `authorityHost: '${split.authorityHost}'`]
  const tenant = split.tenant ? `tenant: '${split.tenant}'` : 'tenant: <the tenant id or a verified domain>'
  const note = cloud === 'AzurePublic' ? ' (authorityHost defaults to https://login.microsoftonline.com)' : ''
  return `MSAL's authority is split in two here: write ${[tenant, ...host].join(', ')}${note}`
}

function msalAuthAdvice({ value }: AdviceContext): string {
  const auth = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const tenant = splitAuthority(auth.authority)?.tenant
  const credential = Object.hasOwn(auth, 'clientCertificate')
    ? 'credential: { certificate: { privateKey, certificate } }'
    : 'credential: { clientSecret }'
  const where = tenant === undefined ? '<the tenant id or domain from authority>' : `'${tenant}'`
  return `this is MSAL's configuration shape: here the fields sit at the top, { tenant: ${where}, clientId, ${credential} }`
}

const signingField = ({ known }: AdviceContext): string =>
  known.includes('certificate')
    ? inside('certificate', 'credential: { certificate: { privateKey, certificate, passphrase } }')
    : `it goes with a certificate credential (certificate or certificatePath), not with ${known[0] ?? 'this kind'}`

const TOP: Record<string, KeyAdvice> = {
  ...entries(['tenantId', 'tenantID', 'directoryId', 'tid'], { to: 'tenant' }),
  ...entries(['clientID', 'appId', 'applicationId', 'azp'], { to: 'clientId' }),
  ...entries(['credentials', 'creds'], { to: 'credential' }),
  ...entries(['clientSecret', 'secret'], inside('credential', 'credential: { clientSecret }')),
  ...entries(
    ['certificate', 'clientCertificate'],
    inside('credential', 'credential: { certificate: { privateKey, certificate } }'),
  ),
  ...entries(
    ['privateKey'],
    inside('credential', 'credential: { certificate: { privateKey, certificate } }'),
  ),
  ...entries(['certificatePath'], inside('credential', 'credential: { certificatePath }')),
  ...entries(
    ['passphrase', 'sendCertificateChain'],
    inside(
      'credential',
      'credential: { certificatePath, passphrase } or credential: { certificate: { privateKey, passphrase } }',
    ),
  ),
  ...entries(['clientAssertion'], inside('credential', 'credential: { clientAssertion }')),
  ...entries(
    ['federatedTokenFile', 'tokenFilePath'],
    inside('credential', 'credential: { federatedTokenFile }'),
  ),
  authority: authorityAdvice,
  auth: msalAuthAdvice,
  ...entries(['tokenUrl', 'tokenUri', 'tokenEndpointUrl', 'url', 'endpoint'], { to: 'tokenEndpoint' }),
  issuer: 'give tokenEndpoint (the token_endpoint of the server metadata), not the issuer',
  ...entries(['environment', 'azureCloud', 'cloudInstance'], { to: 'cloud' }),
  ...entries(['version', 'apiVersion'], { to: 'endpointVersion' }),
  ...entries(['tokenEndpointAuthMethod', 'clientAuthentication', 'authMode'], { to: 'authMethod' }),
  ...entries(['useDpop', 'dpopEnabled', 'proofOfPossession', 'demonstratingProofOfPossession'], {
    to: 'dpop',
  }),
  ...entries(['dpopKey', 'dpopKeyPair'], inside('dpop', 'dpop: { key }')),
  ...entries(['dpopAlgorithm', 'dpopAlg'], inside('dpop', 'dpop: { algorithm }')),
  ...entries(['timeout', 'timeoutMs'], inside('http', 'http: { timeoutMs }')),
  ...entries(['retries', 'maxRetries', 'retryOptions'], inside('http', 'http: { retries }')),
  ...entries(
    ['dispatcher', 'agent', 'proxy', 'proxyOptions'],
    inside('http', 'http: { dispatcher } (an undici Agent or ProxyAgent)'),
  ),
  ...entries(
    ['maxResponseBytes', 'maxRetryDelayMs'],
    inside('http', 'http: { maxResponseBytes, maxRetryDelayMs }'),
  ),
  ...entries(['maxEntries', 'store'], inside('cache', 'cache: { maxEntries, store }')),
  ...entries(['windowMs', 'refreshWindowMs', 'refreshWindow'], inside('refresh', 'refresh: { windowMs }')),
  ...entries(['scope', 'scopes', 'resource', 'resources', 'audience'], GET_TOKEN),
  additionallyallowedtenants:
    'no list is needed: name another tenant per call, getToken(resource, { tenant })',
}

const CREDENTIAL: Record<string, KeyAdvice> = {
  ...entries(['secret', 'value', 'secretValue'], { to: 'clientSecret' }),
  password: ({ known }) => ({ to: known.includes('passphrase') ? 'passphrase' : 'clientSecret' }),
  ...entries(['path', 'file', 'certPath', 'certificateFile', 'pfxPath', 'pemPath'], {
    to: 'certificatePath',
  }),
  ...entries(['tokenFile', 'tokenPath', 'federatedToken', 'federatedTokenFilePath'], {
    to: 'federatedTokenFile',
  }),
  ...entries(['assertion', 'jwt'], { to: 'clientAssertion' }),
  ...entries(['cert', 'clientCertificate'], { to: 'certificate' }),
  ...entries(
    ['privateKey', 'key'],
    inside('certificate', 'credential: { certificate: { privateKey, certificate } }'),
  ),
  ...entries(['passphrase', 'sendCertificateChain', 'algorithm', 'audience', 'keyId'], signingField),
  thumbprint: 'not needed: the thumbprint is computed from the certificate',
  x5c: 'set sendCertificateChain: true to send the chain',
}

const CERTIFICATE: Record<string, KeyAdvice> = {
  ...entries(['key', 'privateKeyPem', 'pem', 'keyPem'], { to: 'privateKey' }),
  ...entries(['cert', 'certificatePem', 'certPem', 'publicCertificate', 'chain'], { to: 'certificate' }),
  ...entries(['password', 'pass'], { to: 'passphrase' }),
  ...entries(
    ['thumbprint', 'thumbprintSha256', 'x5t'],
    'not needed: the thumbprint is computed from the certificate',
  ),
  x5c: 'set sendCertificateChain: true to send the chain',
  ...entries(
    ['path', 'certificatePath'],
    'a file is credential: { certificatePath }, not a certificate field',
  ),
}

/**
 * Known mistakes in `TokenClient` options.
 *
 * @example
 * ```ts
 * parseWith(tokenClientOptionsSchema, input, 'TokenClient options', { aliases: CLIENT_ALIASES })
 * ```
 */
export const CLIENT_ALIASES: AliasTable = {
  '': TOP,
  credential: CREDENTIAL,
  'credential.certificate': CERTIFICATE,
  cache: {
    ...entries(['max', 'maxSize', 'size', 'capacity', 'limit'], { to: 'maxEntries' }),
    ...entries(['redis', 'sharedStore'], { to: 'store' }),
    cachelocation: "MSAL's cacheLocation has no equivalent: tokens live in memory, or in store",
  },
  refresh: { ...entries(['window', 'refreshWindow', 'beforeExpiryMs', 'margin'], { to: 'windowMs' }) },
  http: {
    ...entries(['timeout'], { to: 'timeoutMs' }),
    ...entries(['retry', 'maxRetries', 'retryCount', 'attempts'], { to: 'retries' }),
    ...entries(['agent', 'client', 'proxy'], { to: 'dispatcher' }),
    ...entries(['maxRetryDelay', 'retryAfterCap'], { to: 'maxRetryDelayMs' }),
    ...entries(['maxBodySize', 'maxResponseSize', 'maxBytes'], { to: 'maxResponseBytes' }),
  },
}

/**
 * Known mistakes in `getToken` options (`@azure/identity` names among them).
 *
 * @example
 * ```ts
 * parseWith(getTokenOptionsSchema, options, 'getToken options', { aliases: GET_TOKEN_ALIASES })
 * ```
 */
export const GET_TOKEN_ALIASES: AliasTable = {
  '': {
    ...entries(['tenantId', 'tid'], { to: 'tenant' }),
    ...entries(['abortSignal'], { to: 'signal' }),
    ...entries(['force', 'skipCache', 'noCache', 'bypassCache'], { to: 'forceRefresh' }),
    ...entries(['cae', 'clientCapabilities'], { to: 'enableCae' }),
    ...entries(['scopes', 'resources', 'resource', 'scope'], "the API is getToken's first argument"),
  },
}

/**
 * Known mistakes in a token request (`getToken({ scope, resource })`).
 *
 * @example
 * ```ts
 * parseWith(tokenRequestSchema, request, 'token request', { aliases: TOKEN_REQUEST_ALIASES })
 * ```
 */
export const TOKEN_REQUEST_ALIASES: AliasTable = {
  '': {
    ...entries(['scopes'], { to: 'scope' }),
    ...entries(['resources', 'audience', 'aud'], { to: 'resource' }),
  },
}
