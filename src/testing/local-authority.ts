/**
 * The handle `startLocalAuthority()` returns.
 */

import type { FaultQueue } from './faults/queue.js'
import type { Counters, RequestLog } from './http/request-log.js'
import type { ManagedIdentityEmulator } from './managed-identity/environment.js'
import type { ApiDirectory } from './registry/apis.js'
import type { ClientDirectory } from './registry/clients.js'
import type { ManagedIdentityDirectory } from './registry/managed-identities.js'
import type { TenantDirectory } from './registry/tenants.js'
import type { SigningKeyRing } from './token/signing-keys.js'

/**
 * A running local Entra ID authority.
 *
 * @example
 * ```ts
 * await using authority = await startLocalAuthority({ https: true })
 * const endpoint = authority.tokenEndpoint('contoso.onmicrosoft.com') // https://127.0.0.1:PORT/contoso.onmicrosoft.com/oauth2/v2.0/token
 * authority.faults.add({ kind: 'status503', times: 1 })
 * authority.counters.token // 0
 * Object.assign(process.env, authority.managedIdentity.env('imds')) // AZURE_POD_IDENTITY_AUTHORITY_HOST
 * ```
 */
export interface LocalAuthority extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string
  readonly port: number
  /** The PEM certificate to trust (https mode), else `undefined`. */
  readonly caPem: string | undefined
  /** The console page (`{url}/`) with `console: true`, else `undefined`. */
  readonly consoleUrl: string | undefined
  readonly tenants: TenantDirectory
  readonly apis: ApiDirectory
  readonly clients: ClientDirectory
  /** The managed identities (docs/managed-identity.md §Emulation). */
  readonly managedIdentities: ManagedIdentityDirectory
  /** The IMDS-, App Service- and Arc-shaped endpoints: `env(source)` gives the variables to set. */
  readonly managedIdentity: ManagedIdentityEmulator
  /** Every request seen, credentials redacted. */
  readonly requests: RequestLog
  /** Request counts (a snapshot). */
  readonly counters: Counters
  readonly faults: FaultQueue
  /** The token-signing keys: `roll()` publishes a new key next to the old ones. */
  readonly signingKeys: SigningKeyRing
  /** The token endpoint URL of a tenant (GUID or domain, used as given). @defaultValue version 'v2' */
  tokenEndpoint(tenant: string, version?: 'v1' | 'v2'): string
  /** The authority URL for MSAL and the like: `{url}/{tenant}`. */
  authorityUrl(tenant: string): string
  /** The OpenID configuration URL of a tenant. @defaultValue version 'v2' */
  metadataUrl(tenant: string, version?: 'v1' | 'v2'): string
  /** The JWKS URL of a tenant. @defaultValue version 'v2' */
  jwksUrl(tenant: string, version?: 'v1' | 'v2'): string
  /** Stops listening and destroys every open socket. */
  close(): Promise<void>
}
