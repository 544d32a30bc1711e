/**
 * `oauth-client-credentials/testing`: a local Microsoft Entra ID token authority for tests.
 *
 * Where things are (each folder's main file, named here, says what the folder holds):
 * `start-local-authority.ts` assembles it from `options.ts` and returns `local-authority.ts`;
 * `http/` serves requests (`request-handler.ts`); `token/` is the token endpoint (`route.ts`);
 * `discovery/` the metadata, JWKS and instance-discovery routes (`routes.ts`); `registry/` the
 * tenants, APIs, clients and grants (`store.ts`); `faults/` the programmable faults (`queue.ts`);
 * `managed-identity/` the IMDS-, App Service- and Arc-shaped endpoints
 * (`routes.ts`); `entra/` the service's codes, error bodies, clouds and ids (`aadsts.ts`); `x509/` the
 * certificates (`certificate.ts`); `console/` the live page (`console.ts`). The local authority
 * shares no code with the client (docs/architecture.md).
 */
import '../node-guard.js' // first: refuses Node.js < 22.19 before any dependency loads

export type { CloudName, IssuerMode } from './entra/clouds.js'
export type { DescriptionSeparator, ErrorBody } from './entra/error-body.js'
export type { Fault, FaultInput, FaultKind, FaultQueue } from './faults/queue.js'
export type { Counters, DecodedToken, LoggedRequest, RequestLog } from './http/request-log.js'
export type { ManagedIdentityRoute, RouteName } from './http/url-map.js'
export type { LocalAuthority } from './local-authority.js'
export {
  MANAGED_IDENTITY_VARIABLES,
  type ManagedIdentityEmulator,
} from './managed-identity/environment.js'
export type { LocalAuthorityOptions } from './options.js'
export type { ApiDirectory, ApiPatch } from './registry/apis.js'
export type { ClientDirectory, GrantOptions } from './registry/clients.js'
export { EXAMPLE, exampleRegistry } from './registry/example.js'
export type { ManagedIdentityDirectory } from './registry/managed-identities.js'
export type {
  ApiRecord,
  AppRoleRecord,
  CertificateRecord,
  ClientRecord,
  FederatedCredentialRecord,
  GrantRecord,
  ManagedIdentityRecord,
  SecretRecord,
  SubjectNameRecord,
  TenantRecord,
} from './registry/records.js'
export { RegistryError } from './registry/registry-error.js'
export type {
  ApiInput,
  AppRoleInput,
  CertificateInput,
  ClientInput,
  FederatedCredentialInput,
  GrantInput,
  ManagedIdentityInput,
  RegistryInput,
  SecretInput,
  SubjectNameInput,
  TenantInput,
} from './registry/schema.js'
export type { TenantDirectory } from './registry/tenants.js'
export { WELL_KNOWN_RESOURCES } from './registry/well-known.js'
export { startLocalAuthority } from './start-local-authority.js'
export type { PublishedJwk, SigningKey, SigningKeyRing } from './token/signing-keys.js'
export {
  type CertificateOptions,
  type GeneratedCertificate,
  generateCertificate,
} from './x509/certificate.js'
