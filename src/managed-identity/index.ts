/**
 * Managed identity sources (docs/entra.md §10): detection, requests, answers and retries. The client wires
 * `createManagedIdentityTokenSource` (or `requestManagedIdentityToken`) behind its cache.
 */
export { AppServiceSource } from './app-service.js'
export { AzureArcSource, answerArcChallenge, HIMDS_DEFAULT_ENDPOINT } from './arc.js'
export { ARC_KEY_MAX_BYTES, arcKeyDirectory, readArcKeyFile } from './arc-key-file.js'
export { AzureMlSource } from './azure-ml.js'
export { CloudShellSource } from './cloud-shell.js'
export {
  type DetectionContext,
  detectManagedIdentitySource,
  type EnvironmentVariables,
  himdsInstalled,
} from './detect.js'
export { ManagedIdentityUnavailableError, type TriedEndpoint, type UnreachableOutcome } from './errors.js'
export {
  identityParameter,
  type ManagedIdentityOptions,
  type ManagedIdentitySelector,
  parseManagedIdentity,
  SYSTEM_ASSIGNED,
} from './identity.js'
export { DEFAULT_IMDS_BASE_URL, ImdsSource } from './imds.js'
export { requestManagedIdentityToken } from './request.js'
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  type ManagedIdentityRequestOptions,
} from './request-options.js'
export { type IdentityResponse, parseManagedIdentityResponse } from './response.js'
export { nextRetryDelayMs, retryableStatus } from './retry-policy.js'
export { ServiceFabricSource } from './service-fabric.js'
export type { ManagedIdentitySource, ManagedIdentitySourceKind } from './source.js'
export { ManagedIdentityToken } from './token.js'
export {
  createManagedIdentityTokenSource,
  type ManagedIdentityCallOptions,
  type ManagedIdentityTokenSource,
  type ManagedIdentityTokenSourceOptions,
} from './token-source.js'
