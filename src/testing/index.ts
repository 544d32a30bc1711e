/**
 * `oauth-client-credentials/testing`: a local Microsoft Entra ID token authority for tests.
 */
import '../node-guard.js' // first: refuses Node.js < 22.19 before any dependency loads

export type { ApiDirectory, ApiPatch } from './api-directory.js'
export type { ClientDirectory, GrantOptions } from './client-directory.js'
export type { CloudName, IssuerMode } from './clouds.js'
export type { DescriptionSeparator, ErrorBody } from './errors.js'
export { EXAMPLE, exampleRegistry } from './example-registry.js'
export type { Fault, FaultInput, FaultKind, FaultQueue, RouteName } from './faults.js'
export type { LocalAuthority } from './local-authority.js'
export type { LocalAuthorityOptions } from './options.js'
export { RegistryError } from './registry-error.js'
export type {
  ApiInput,
  AppRoleInput,
  CertificateInput,
  ClientInput,
  FederatedCredentialInput,
  GrantInput,
  RegistryInput,
  SecretInput,
  SubjectNameInput,
  TenantInput,
} from './registry-schema.js'
export type {
  ApiRecord,
  AppRoleRecord,
  CertificateRecord,
  ClientRecord,
  FederatedCredentialRecord,
  GrantRecord,
  SecretRecord,
  SubjectNameRecord,
  TenantRecord,
} from './registry-types.js'
export type { Counters, DecodedToken, LoggedRequest, RequestLog } from './request-log.js'
export { startLocalAuthority } from './server.js'
export type { PublishedJwk, SigningKey, SigningKeyRing } from './signing-keys.js'
export type { TenantDirectory } from './tenant-directory.js'
export { type CertificateOptions, type GeneratedCertificate, generateCertificate } from './x509.js'
