export { decodeClaims, type EntraAccessTokenClaims } from './claims.js'
export { TokenClient } from './client.js'
export { type Clock, systemClock } from './clock.js'
export { TOKEN_CHANNEL, type TokenLookupEvent, type TokenLookupMessage } from './diagnostics.js'
export {
  AuthorityError,
  type AuthorityErrorInfo,
  ClientCredentialsError,
  ConfigurationError,
  CredentialError,
  type ErrorCode,
  type ErrorDetails,
  ResponseFormatError,
  type TokenRejection,
  TokenVerificationError,
  TransportError,
  type TransportFailure,
} from './errors.js'
export type {
  CredentialOptions,
  GetTokenOptions,
  Logger,
  TokenClientOptions,
  TokenRequest,
} from './options.js'
export { scopeFor } from './scope.js'
export { AccessToken } from './token.js'
