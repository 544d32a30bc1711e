/**
 * What `oauth-client-credentials emulator --managed-identity` adds to the banner: the managed
 * identities, and per source an `unset …; export …` line that points a shell's processes (ours,
 * `@azure/identity`, msal-node) at the emulated endpoint (docs/managed-identity.md §Emulation).
 */
import {
  type LocalAuthority,
  MANAGED_IDENTITY_VARIABLES,
  type ManagedIdentityRoute,
} from '../testing/index.js'
import type { styler } from './output.js'

const SOURCES: ReadonlyArray<[ManagedIdentityRoute, string]> = [
  ['imds', 'IMDS (virtual machines, AKS)'],
  ['appService', 'App Service / Functions'],
  ['arc', 'Azure Arc'],
  ['azureMl', 'Azure ML (Machine Learning compute)'],
  ['cloudShell', 'Cloud Shell'],
]

/**
 * The `export` line of one source: unsets the variables of the others first, so that the source
 * chosen is this one.
 *
 * @example
 * ```ts
 * exportLine({ AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:5312' }) // 'unset IDENTITY_ENDPOINT …; export AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:5312'
 * ```
 */
export function exportLine(variables: Record<string, string>): string {
  const others = MANAGED_IDENTITY_VARIABLES.filter((name) => !(name in variables))
  const exports = Object.entries(variables).map(([name, value]) => `${name}=${value}`)
  return `unset ${others.join(' ')}; export ${exports.join(' ')}`
}

/**
 * The banner's managed-identity lines.
 *
 * @example
 * ```ts
 * for (const line of managedIdentityLines(authority, styler(false))) io.out(line)
 * ```
 */
export function managedIdentityLines(authority: LocalAuthority, style: ReturnType<typeof styler>): string[] {
  const identities = authority.managedIdentities.list().map((identity) => {
    const kind = identity.kind === 'system' ? 'system-assigned' : 'user-assigned'
    return `  ${identity.name} (${kind}) client id ${identity.clientId} ${style.dim(`object id ${identity.objectId}; ${identity.resourceId}`)}`
  })
  return [
    style.bold('Managed identities'),
    ...(identities.length > 0 ? identities : ['  none: add managedIdentities to the registry']),
    `${style.bold('Managed identity endpoints')} ${style.dim('(paste one line: the source your code will detect)')}`,
    ...SOURCES.flatMap(([source, label]) => [
      `  ${style.dim(`# ${label}`)}`,
      `  ${exportLine(authority.managedIdentity.env(source))}`,
    ]),
    ...serviceFabricLines(authority, style),
  ]
}

/** Service Fabric's endpoint is https only: its line, or how to get one. */
function serviceFabricLines(authority: LocalAuthority, style: ReturnType<typeof styler>): string[] {
  if (authority.caPem === undefined) {
    return [`  ${style.dim('# Service Fabric: start the emulator with --https')}`]
  }
  return [
    `  ${style.dim('# Service Fabric (the certificate pinned by IDENTITY_SERVER_THUMBPRINT)')}`,
    `  ${exportLine(authority.managedIdentity.env('serviceFabric'))}`,
  ]
}
