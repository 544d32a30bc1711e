/**
 * The handle of the emulated managed-identity endpoints: the environment variables that point a
 * process (ours, `@azure/identity`, msal-node) at one of them, as each reads them.
 */
import { MANAGED_IDENTITY_PATHS, type ManagedIdentityRoute } from '../http/url-map.js'
import { refuse } from '../registry/registry-error.js'

/**
 * Every variable that chooses a managed-identity source (to unset before setting one source's).
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
   * `arc`: `IDENTITY_ENDPOINT`, `IMDS_ENDPOINT`. @defaultValue source 'imds'
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
      endpoint(source) // refuses an unknown source
      if (source === 'appService')
        return { IDENTITY_ENDPOINT: endpoint('appService'), IDENTITY_HEADER: identityHeader }
      if (source === 'arc') return { IDENTITY_ENDPOINT: endpoint('arc'), IMDS_ENDPOINT: `${url}/arc` }
      return { AZURE_POD_IDENTITY_AUTHORITY_HOST: url }
    },
  }
}
