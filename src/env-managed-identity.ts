/**
 * When `fromEnvironment()` takes a managed identity as the client's identity (docs/managed-identity.md
 * §"Which source"): the environment names no app credential (secret, certificate, federated token file)
 * but names a managed-identity source, or sets `AZURE_CLIENT_ID` without `AZURE_TENANT_ID` (a
 * user-assigned identity over IMDS, as `@azure/identity`'s `DefaultAzureCredential` takes it). The client
 * detects the source itself, from the same variables, and `describe()` names it.
 */
import type { ManagedIdentityOptions } from './managed-identity/identity.js'

/**
 * The variables that name a managed-identity source (any one, set and not empty, is enough to choose a
 * managed identity; which source is then detected in msal-node's order).
 *
 * @example
 * ```ts
 * const named = MANAGED_IDENTITY_VARIABLES.some((name) => process.env[name])
 * ```
 */
export const MANAGED_IDENTITY_VARIABLES = [
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'IDENTITY_SERVER_THUMBPRINT',
  'IMDS_ENDPOINT',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
] as const

const APP_CREDENTIAL_VARIABLES = [
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_FEDERATED_TOKEN_FILE',
] as const

/**
 * The managed identity the environment asks for, or `undefined` when it describes an app registration
 * (or nothing). `AZURE_CLIENT_ID`, when set, is the user-assigned identity's client id.
 *
 * @example
 * ```ts
 * managedIdentityFromEnvironment({ AZURE_CLIENT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }) // { clientId: '0a1b…' }
 * managedIdentityFromEnvironment({ MSI_ENDPOINT: 'http://127.0.0.1:50342/oauth2/token' }) // {}
 * ```
 */
export function managedIdentityFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): ManagedIdentityOptions | undefined {
  const set = (name: string) => (env[name] ?? '').trim() !== ''
  if (APP_CREDENTIAL_VARIABLES.some(set)) return undefined
  const clientId = env.AZURE_CLIENT_ID?.trim()
  const sourceNamed = MANAGED_IDENTITY_VARIABLES.some(set)
  if (!sourceNamed && (!clientId || set('AZURE_TENANT_ID'))) return undefined
  return clientId ? { clientId } : {}
}
