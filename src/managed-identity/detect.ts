/**
 * Which managed-identity source this process has, read from its environment in msal-node's order:
 * Service Fabric → App Service / Functions → Azure ML → Cloud Shell → Azure Arc → IMDS; the first whose
 * variables are all set wins (docs/entra.md §10). Pure: the variables and the himds check are passed in.
 */
import { accessSync, constants } from 'node:fs'
import { ConfigurationError } from '../errors.js'
import { AppServiceSource } from './app-service.js'
import { AzureArcSource, HIMDS_DEFAULT_ENDPOINT } from './arc.js'
import { AzureMlSource } from './azure-ml.js'
import { CloudShellSource } from './cloud-shell.js'
import { DEFAULT_IMDS_BASE_URL, ImdsSource } from './imds.js'
import { ServiceFabricSource } from './service-fabric.js'
import type { ManagedIdentitySource } from './source.js'

/**
 * Environment variables, as `process.env` holds them.
 *
 * @example
 * ```ts
 * const variables: EnvironmentVariables = { MSI_ENDPOINT: 'http://127.0.0.1:50342/oauth2/token' }
 * ```
 */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>

/**
 * What detection needs besides the variables.
 *
 * @example
 * ```ts
 * detectManagedIdentitySource(process.env, { imdsBaseUrl: 'http://127.0.0.1:8080' } satisfies DetectionContext)
 * ```
 */
export interface DetectionContext {
  /** The IMDS base URL given as an option (wins over `AZURE_POD_IDENTITY_AUTHORITY_HOST`). */
  imdsBaseUrl?: string | undefined
  /** Whether the Azure Arc agent (himds) is installed; asked only when no variable chose a source. */
  himdsInstalled?: (() => boolean) | undefined
}

/**
 * The source the environment names. Throws a {@link ConfigurationError} naming the variable when one
 * is set but malformed (not an http(s) URL, a Service Fabric thumbprint that is not a SHA-1).
 *
 * @example
 * ```ts
 * detectManagedIdentitySource({ IDENTITY_ENDPOINT: 'http://127.0.0.1:41000/msi/token', IDENTITY_HEADER: 'x' }).kind
 * // 'app-service'
 * detectManagedIdentitySource({}, { imdsBaseUrl: 'http://127.0.0.1:8080' }).kind // 'imds'
 * ```
 */
export function detectManagedIdentitySource(
  variables: EnvironmentVariables,
  context: DetectionContext = {},
): ManagedIdentitySource {
  const v = (name: string) => (variables[name] === '' ? undefined : variables[name])
  const identityEndpoint = v('IDENTITY_ENDPOINT')
  const identityHeader = v('IDENTITY_HEADER')
  const thumbprint = v('IDENTITY_SERVER_THUMBPRINT')
  const msiEndpoint = v('MSI_ENDPOINT')
  const msiSecret = v('MSI_SECRET')
  if (identityEndpoint && identityHeader && thumbprint) {
    const endpoint = httpUrl('IDENTITY_ENDPOINT', identityEndpoint, ['https:'])
    return new ServiceFabricSource(endpoint, identityHeader, sha1Thumbprint(thumbprint))
  }
  if (identityEndpoint && identityHeader) {
    return new AppServiceSource(httpUrl('IDENTITY_ENDPOINT', identityEndpoint), identityHeader)
  }
  if (msiEndpoint && msiSecret) {
    return new AzureMlSource(httpUrl('MSI_ENDPOINT', msiEndpoint), msiSecret, v('DEFAULT_IDENTITY_CLIENT_ID'))
  }
  if (msiEndpoint) return new CloudShellSource(httpUrl('MSI_ENDPOINT', msiEndpoint))
  const arc = detectArc(identityEndpoint, v('IMDS_ENDPOINT'), context.himdsInstalled ?? himdsInstalled)
  return arc ?? imdsSource(v('AZURE_POD_IDENTITY_AUTHORITY_HOST'), context.imdsBaseUrl)
}

function detectArc(
  identityEndpoint: string | undefined,
  imdsEndpoint: string | undefined,
  installed: () => boolean,
): AzureArcSource | undefined {
  if (identityEndpoint && imdsEndpoint) {
    httpUrl('IMDS_ENDPOINT', imdsEndpoint)
    return new AzureArcSource(httpUrl('IDENTITY_ENDPOINT', identityEndpoint), 'environment')
  }
  return installed() ? new AzureArcSource(HIMDS_DEFAULT_ENDPOINT, 'himds') : undefined
}

function imdsSource(fromVariable: string | undefined, fromOption: string | undefined): ImdsSource {
  if (fromOption !== undefined) return new ImdsSource(httpUrl('imdsBaseUrl', fromOption), 'option')
  if (fromVariable !== undefined) {
    const base = httpUrl('AZURE_POD_IDENTITY_AUTHORITY_HOST', fromVariable)
    return new ImdsSource(base, 'AZURE_POD_IDENTITY_AUTHORITY_HOST')
  }
  return new ImdsSource(DEFAULT_IMDS_BASE_URL, 'default')
}

/** `value` when it is an absolute URL with one of `protocols`, else a ConfigurationError naming `name`. */
function httpUrl(name: string, value: string, protocols = ['http:', 'https:']): string {
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (url && protocols.includes(url.protocol) && url.username === '' && url.password === '') return value
  throw new ConfigurationError(name, `'${value}' is not an ${protocols.join(' or ')} URL.`, {
    hint:
      name === 'imdsBaseUrl' || name === 'AZURE_POD_IDENTITY_AUTHORITY_HOST'
        ? 'Give the base URL of the identity endpoint, e.g. http://127.0.0.1:8080 (the token path is added).'
        : `${name} is set by the platform: unset it if it was copied from another machine.`,
  })
}

function sha1Thumbprint(value: string): string {
  const hex = value.replace(/[\s:]/g, '').toUpperCase()
  if (/^[0-9A-F]{40}$/.test(hex)) return hex
  throw new ConfigurationError('IDENTITY_SERVER_THUMBPRINT', 'is not a SHA-1 thumbprint (40 hex digits).', {
    hint: 'Service Fabric sets it to the hex SHA-1 of its identity endpoint certificate; do not edit it.',
  })
}

/** The Arc agent's executable, per platform. */
function himdsPath(platform: NodeJS.Platform, variables: EnvironmentVariables): string | undefined {
  if (platform === 'linux') return '/opt/azcmagent/bin/himds'
  if (platform === 'win32') {
    return `${variables.ProgramFiles ?? 'C:\\Program Files'}\\AzureConnectedMachineAgent\\himds.exe`
  }
  return undefined
}

/**
 * Whether the Azure Arc agent is installed on this machine (its executable is readable).
 *
 * @example
 * ```ts
 * himdsInstalled() // false on a laptop
 * ```
 */
export function himdsInstalled(
  platform: NodeJS.Platform = process.platform,
  variables: EnvironmentVariables = process.env,
): boolean {
  const path = himdsPath(platform, variables)
  if (path === undefined) return false
  try {
    accessSync(path, constants.F_OK | constants.R_OK)
    return true
  } catch {
    return false
  }
}
