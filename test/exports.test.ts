/**
 * The public surface, guarded: the names each entry exports, values (read from the loaded module) and
 * types (read by the type checker from the entry's source). Growing or shrinking the API is a decision:
 * change the lists below, and the CHANGELOG.
 */
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { ENTRIES } from './helpers/type-check.js'

const root = fileURLToPath(new URL('../', import.meta.url))

type Entry = keyof typeof ENTRIES

/** What each entry exports at run time. */
const VALUES: Record<Entry, readonly string[]> = {
  'oauth-client-credentials': [
    'AccessToken',
    'AuthorityError',
    'ClientClosedError',
    'ClientCredentialsError',
    'ConfigurationError',
    'CredentialError',
    'ManagedIdentityUnavailableError',
    'ResponseFormatError',
    'TOKEN_CHANNEL',
    'TOKEN_REQUEST_CHANNEL',
    'TokenClient',
    'TokenVerificationError',
    'TransportError',
    'decodeClaims',
    'optionsFromEnvironment',
    'scopeFor',
  ],
  'oauth-client-credentials/verify': [
    'ALGORITHMS',
    'ConfigurationError',
    'DPOP_ALGORITHMS',
    'TokenVerificationError',
    'TransportError',
    'certificateThumbprint',
    'createGuard',
    'createRotatingNonce',
    'createTokenVerifier',
    'formatBearerChallenge',
    'formatDpopChallenge',
    'guardMiddleware',
    'parseAuthorizationHeader',
    'parseTokenAuthorization',
  ],
  'oauth-client-credentials/redis': ['ENTRY_FORMAT', 'RedisTokenStore', 'createRedisStore'],
  'oauth-client-credentials/testing': [
    'EXAMPLE',
    'MANAGED_IDENTITY_VARIABLES',
    'RegistryError',
    'WELL_KNOWN_RESOURCES',
    'exampleRegistry',
    'generateCertificate',
    'startLocalAuthority',
  ],
  'oauth-client-credentials/opentelemetry': ['instrument'],
}

/** What each entry exports for the type checker only. */
const TYPES: Record<Entry, readonly string[]> = {
  'oauth-client-credentials': [
    'AssertionAlgorithm',
    'AuthMethod',
    'AuthRoutes',
    'AuthorityErrorInfo',
    'AuthorizedFetchOptions',
    'CacheOptions',
    'DpopAlgorithm',
    'DpopKeyInput',
    'DpopOption',
    'CertificateFileOptions',
    'CertificateInput',
    'CertificateKeyOptions',
    'CertificateOptions',
    'CertificateProvider',
    'CertificateSigningOptions',
    'ClientAssertionCallback',
    'ClientAssertionContext',
    'ClientAssertionOptions',
    'ClientCredentialsErrorUnion',
    'ClientSecretOptions',
    'ClientSecretProvider',
    'Clock',
    'CredentialOptions',
    'CredentialProviderContext',
    'EntraAccessTokenClaims',
    'Environment',
    'ErrorCode',
    'FederatedTokenFileOptions',
    'FetchFunction',
    'GetTokenOptions',
    'HttpOptions',
    'KeyAlgorithm',
    'Logger',
    'ManagedIdentityCredentialOptions',
    'ManagedIdentityOptions',
    'MtlsOptions',
    'PrewarmResult',
    'PrivateKeyInput',
    'PrivateKeyOptions',
    'SigningKeyInput',
    'TrustedCa',
    'RefreshOptions',
    'StoreLease',
    'StoredToken',
    'TokenClientOptions',
    'TokenCredentialOptions',
    'TokenLookupEvent',
    'TokenLookupMessage',
    'TokenRejection',
    'TokenRequestContext',
    'TokenRequest',
    'TokenStore',
    'TokenTarget',
    'TransportFailure',
    'TriedEndpoint',
    'UnreachableOutcome',
  ],
  'oauth-client-credentials/verify': [
    'AccessTokenClaims',
    'AuthorizationHeader',
    'AuthorizeFailure',
    'AuthorizeResult',
    'BearerChallenge',
    'BearerErrorCode',
    'CallOptions',
    'CertificateInput',
    'ChallengeHeaders',
    'CloudName',
    'DpopAlgorithm',
    'DpopChallenge',
    'DpopErrorCode',
    'DpopNonceSource',
    'DpopOptions',
    'DpopReplayCache',
    'EntraVerifiedToken',
    'ErrorBody',
    'GenericAccessTokenClaims',
    'GenericVerifiedToken',
    'Guard',
    'GuardMiddleware',
    'GuardOptions',
    'IssuerOption',
    'IssuerResolver',
    'PeerCertificate',
    'PresentedHeader',
    'ProfileName',
    'ProofRequestLike',
    'RequestEvidence',
    'RequestLike',
    'ResponseLike',
    'RoleRequirement',
    'RotatingNonceOptions',
    'RouteOptions',
    'TokenBinding',
    'TokenRejection',
    'TokenScheme',
    'TokenVerifier',
    'TokenVerifierOptions',
    'TokenVersion',
    'VerifiedToken',
    'VerifyAlgorithm',
  ],
  'oauth-client-credentials/redis': [
    'EncryptionKeyInput',
    'IoRedisClusterLike',
    'IoRedisLike',
    'IoRedisSubscriberLike',
    'NodeRedisListener',
    'RedisClientLike',
    'RedisClusterLike',
    'RedisLike',
    'RedisStoreOptions',
    'RedisSubscriberLike',
    'StoreLease',
    'StoredToken',
    'TokenStore',
  ],
  'oauth-client-credentials/testing': [
    'ApiDirectory',
    'ApiInput',
    'ApiPatch',
    'ApiRecord',
    'AppRoleInput',
    'AppRoleRecord',
    'CertificateInput',
    'CertificateOptions',
    'CertificateRecord',
    'ClientDirectory',
    'ClientInput',
    'ClientRecord',
    'CloudName',
    'Counters',
    'DecodedToken',
    'DescriptionSeparator',
    'ErrorBody',
    'Fault',
    'FaultInput',
    'FaultKind',
    'FaultQueue',
    'FederatedCredentialInput',
    'FederatedCredentialRecord',
    'GeneratedCertificate',
    'GrantInput',
    'GrantOptions',
    'GrantRecord',
    'IssuerMode',
    'LocalAuthority',
    'LocalAuthorityOptions',
    'LoggedRequest',
    'ManagedIdentityDirectory',
    'ManagedIdentityEmulator',
    'ManagedIdentityInput',
    'ManagedIdentityRecord',
    'ManagedIdentityRoute',
    'PublishedJwk',
    'RegistryInput',
    'RequestLog',
    'RouteName',
    'SecretInput',
    'SecretRecord',
    'SigningKey',
    'SigningKeyRing',
    'SubjectNameInput',
    'SubjectNameRecord',
    'TenantDirectory',
    'TenantInput',
    'TenantRecord',
  ],
  'oauth-client-credentials/opentelemetry': ['InstrumentOptions'],
}

const loaders: Record<Entry, () => Promise<Record<string, unknown>>> = {
  'oauth-client-credentials': () => import('../src/index.js'),
  'oauth-client-credentials/verify': () => import('../src/verify/index.js'),
  'oauth-client-credentials/redis': () => import('../src/redis/index.js'),
  'oauth-client-credentials/testing': () => import('../src/testing/index.js'),
  'oauth-client-credentials/opentelemetry': () => import('../src/opentelemetry/index.js'),
}

/** Every name an entry's source exports (values and types), as the type checker sees them. */
function exportedNames(): Map<Entry, string[]> {
  const config = ts.readConfigFile(`${root}tsconfig.json`, ts.sys.readFile)
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options
  const files = Object.values(ENTRIES).map((file) => `${root}${file}`)
  const program = ts.createProgram(files, { ...options, noEmit: true, skipLibCheck: true })
  const checker = program.getTypeChecker()
  const names = new Map<Entry, string[]>()
  for (const [entry, file] of Object.entries(ENTRIES) as Array<[Entry, string]>) {
    const source = program.getSourceFile(`${root}${file}`)
    const symbol = source && checker.getSymbolAtLocation(source)
    if (!symbol) throw new Error(`cannot read ${file}`)
    names.set(
      entry,
      checker.getExportsOfModule(symbol).map((s) => s.name),
    )
  }
  return names
}

describe('the exported names of each entry', () => {
  const all = exportedNames()

  it.each(Object.keys(ENTRIES) as Entry[])('%s exports the listed values', async (entry) => {
    const module = await loaders[entry]()
    expect(Object.keys(module).sort()).toEqual([...VALUES[entry]].sort())
  })

  it.each(Object.keys(ENTRIES) as Entry[])('%s exports the listed types', (entry) => {
    const values = new Set(VALUES[entry])
    const types = (all.get(entry) ?? []).filter((name) => !values.has(name))
    expect(types.sort()).toEqual([...TYPES[entry]].sort())
  })
})
