/**
 * The handle of the emulated managed-identity endpoints: the environment variables that point a
 * process (ours, `@azure/identity`, msal-node) at one of them, as each reads them.
 */
import { X509Certificate } from 'node:crypto'
import { MANAGED_IDENTITY_PATHS, type ManagedIdentityRoute } from '../http/url-map.js'
import { refuse } from '../registry/registry-error.js'

/**
 * Every variable that chooses a managed-identity source (to unset before setting one source's).
 *
 * (A near-copy on purpose: the client's own list is in src/env-managed-identity.ts; the emulator
 * shares no code with the client, by the wall of docs/architecture.md.)
 *
 * @example
 * ```ts
 * for (const name of MANAGED_IDENTITY_VARIABLES) delete process.env[name]
 * ```
 */
export const MANAGED_IDENTITY_VARIABLES = Object.freeze([
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'IDENTITY_SERVER_THUMBPRINT',
  'IMDS_ENDPOINT',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
] as const)

/**
 * The emulated managed-identity endpoints of a local authority.
 *
 * @example
 * ```ts
 * Object.assign(process.env, authority.managedIdentity.env('appService'))
 * const credential = new ManagedIdentityCredential() // @azure/identity, unmodified
 * ```
 */
export interface ManagedIdentityEmulator {
  /**
   * The variables to set for `source` (unset the other {@link MANAGED_IDENTITY_VARIABLES}):
   * `imds`: `AZURE_POD_IDENTITY_AUTHORITY_HOST`; `appService`: `IDENTITY_ENDPOINT`, `IDENTITY_HEADER`;
   * `arc`: `IDENTITY_ENDPOINT`, `IMDS_ENDPOINT`; `azureMl`: `MSI_ENDPOINT`, `MSI_SECRET`; `cloudShell`:
   * `MSI_ENDPOINT`; `serviceFabric` (an authority started with `https: true` only): `IDENTITY_ENDPOINT`,
   * `IDENTITY_HEADER`, `IDENTITY_SERVER_THUMBPRINT` (the SHA-1 of its certificate). @defaultValue source 'imds'
   */
  env(source?: ManagedIdentityRoute): Record<string, string>
  /** The endpoint URL of `source`. */
  endpoint(source: ManagedIdentityRoute): string
  /** Where the Arc endpoint writes its challenge's key files (a temporary directory). */
  readonly arcKeyDirectory: string
}

/**
 * The emulator handle for an authority at `url`.
 *
 * @example
 * ```ts
 * managedIdentityEmulator('http://127.0.0.1:5312', identityHeader, arcKeys.directory).env('arc')
 * ```
 */
export function managedIdentityEmulator(
  url: string,
  identityHeader: string,
  arcKeyDirectory: string,
  caPem?: string,
): ManagedIdentityEmulator {
  const endpoint = (source: ManagedIdentityRoute) => {
    if (!Object.hasOwn(MANAGED_IDENTITY_PATHS, source))
      refuse('source', `must be one of ${Object.keys(MANAGED_IDENTITY_PATHS).join(', ')} (got '${source}')`)
    return `${url}${MANAGED_IDENTITY_PATHS[source]}`
  }
  return {
    endpoint,
    arcKeyDirectory,
    env(source = 'imds') {
      const at = endpoint(source) // refuses an unknown source
      if (source === 'appService') return { IDENTITY_ENDPOINT: at, IDENTITY_HEADER: identityHeader }
      if (source === 'arc') return { IDENTITY_ENDPOINT: at, IMDS_ENDPOINT: `${url}/arc` }
      if (source === 'azureMl') return { MSI_ENDPOINT: at, MSI_SECRET: identityHeader }
      if (source === 'cloudShell') return { MSI_ENDPOINT: at }
      if (source === 'serviceFabric') {
        const IDENTITY_SERVER_THUMBPRINT = thumbprint(caPem)
        return { IDENTITY_ENDPOINT: at, IDENTITY_HEADER: identityHeader, IDENTITY_SERVER_THUMBPRINT }
      }
      return { AZURE_POD_IDENTITY_AUTHORITY_HOST: url }
    },
  }
}

/** The upper-case hex SHA-1 of the authority's certificate; refused when it serves plain http. */
function thumbprint(caPem: string | undefined): string {
  if (caPem === undefined) {
    refuse('source', "'serviceFabric' is served over https only: start the authority with https: true")
  }
  return new X509Certificate(caPem).fingerprint.replaceAll(':', '').toUpperCase()
}
