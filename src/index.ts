import './node-guard.js' // first: refuses Node.js < 22.19 before any dependency loads

export type { TokenCredentialOptions } from './attach/azure.js'
export type { AuthorizedFetchOptions, FetchFunction } from './attach/fetch.js'
export type { AuthRoutes } from './attach/interceptor.js'
export type { TokenTarget } from './attach/source.js'
export { decodeClaims, type EntraAccessTokenClaims } from './claims.js'
export { TokenClient } from './client.js'
export type { Clock } from './clock.js'
export type { ClientAssertionCallback, ClientAssertionContext } from './credentials/assertion.js'
export type { AssertionAlgorithm } from './credentials/certificate-material.js'
export type { AuthMethod } from './credentials/create.js'
export type { CertificateInput, PrivateKeyInput } from './credentials/key-material.js'
export type { KeyAlgorithm, SigningKeyInput } from './credentials/private-key.js'
export type {
  CertificateProvider,
  ClientSecretProvider,
  CredentialProviderContext,
} from './credentials/provider.js'
export {
  TOKEN_CHANNEL,
  TOKEN_REQUEST_CHANNEL,
  type TokenLookupEvent,
  type TokenLookupMessage,
  type TokenRequestContext,
} from './diagnostics.js'
export type { DpopAlgorithm, DpopKeyInput } from './dpop/key.js'
export type { DpopOption } from './dpop/session.js'
export { type Environment, optionsFromEnvironment } from './env.js'
export type { ClientCredentialsErrorUnion } from './error-union.js'
export {
  AuthorityError,
  type AuthorityErrorInfo,
  ClientClosedError,
  ClientCredentialsError,
  ConfigurationError,
  CredentialError,
  type ErrorCode,
  ResponseFormatError,
  type TokenRejection,
  TokenVerificationError,
  TransportError,
  type TransportFailure,
} from './errors.js'
export {
  ManagedIdentityUnavailableError,
  type TriedEndpoint,
  type UnreachableOutcome,
} from './managed-identity/errors.js'
export type { ManagedIdentityOptions } from './managed-identity/identity.js'
export type { TrustedCa } from './mtls/trusted-ca.js'
export type {
  CacheOptions,
  CertificateFileOptions,
  CertificateKeyOptions,
  CertificateOptions,
  CertificateSigningOptions,
  ClientAssertionOptions,
  ClientSecretOptions,
  CredentialOptions,
  FederatedTokenFileOptions,
  GetTokenOptions,
  HttpOptions,
  Logger,
  ManagedIdentityCredentialOptions,
  MtlsOptions,
  PrivateKeyOptions,
  RefreshOptions,
  TokenClientOptions,
  TokenRequest,
} from './options.js'
export type { PrewarmResult } from './prewarm.js'
export { scopeFor } from './scope.js'
export type { StoredToken, StoreLease, TokenStore } from './store.js'
export { AccessToken } from './token.js'
