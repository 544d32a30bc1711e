/**
 * Where Entra takes token requests over mutual TLS (docs/entra.md §12): the login host's `mtlsauth`
 * counterpart, global or regional, in the public and the sovereign clouds; a loopback authority host
 * (a local authority) serves it on the same host; any other host needs it named.
 */
import { isLoopbackHost } from '../authority.js'
import { ConfigurationError } from '../errors.js'

/** Login hosts and the mTLS host each one's token requests go to (MSAL.NET's and msal-go's rewrite). */
const MTLS_HOSTS: Readonly<Record<string, string>> = Object.freeze({
  'login.microsoftonline.com': 'mtlsauth.microsoft.com',
  'login.microsoft.com': 'mtlsauth.microsoft.com',
  'login.windows.net': 'mtlsauth.microsoft.com',
  'login.microsoftonline.us': 'mtlsauth.microsoftonline.us',
  'login.usgovcloudapi.net': 'mtlsauth.microsoftonline.us',
  'login.partner.microsoftonline.cn': 'mtlsauth.partner.microsoftonline.cn',
  'login.chinacloudapi.cn': 'mtlsauth.partner.microsoftonline.cn',
})

/** An Azure region as Entra's regional hosts spell it: one lowercase DNS label (`westus2`). */
const REGION = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/**
 * How the mTLS host is chosen.
 *
 * @example
 * ```ts
 * const choice: MtlsHostChoice = { region: 'westeurope' }
 * ```
 */
export interface MtlsHostChoice {
  /** The mTLS host itself (scheme and host), overriding the one derived from the authority host. */
  readonly host?: string | undefined
  /** An Azure region for the regional host (`{region}.mtlsauth.microsoft.com`). @defaultValue the global host */
  readonly region?: string | undefined
}

/**
 * The origin that serves `authorityHost`'s token endpoint over mutual TLS. Throws
 * {@link ConfigurationError} when it cannot be derived (an authority host Entra does not run, an http
 * local authority, a region that is no DNS label).
 *
 * @example
 * ```ts
 * mtlsAuthorityHost('https://login.microsoftonline.com', {}) // 'https://mtlsauth.microsoft.com'
 * mtlsAuthorityHost('https://login.microsoftonline.com', { region: 'westus2' }) // 'https://westus2.mtlsauth.microsoft.com'
 * mtlsAuthorityHost('https://127.0.0.1:8443', {}) // 'https://127.0.0.1:8443' (a local authority)
 * ```
 */
export function mtlsAuthorityHost(authorityHost: string, choice: MtlsHostChoice): string {
  if (choice.host !== undefined) return httpsOrigin(choice.host, 'mtls.host')
  const url = new URL(authorityHost)
  if (isLoopbackHost(url.hostname)) {
    if (choice.region !== undefined) throw regionProblem('a local authority has no regional hosts')
    return httpsOrigin(authorityHost, 'authorityHost')
  }
  const host = MTLS_HOSTS[url.hostname.toLowerCase()]
  if (host === undefined) {
    throw new ConfigurationError(
      'mtls.host',
      `is needed: the mTLS host of ${url.origin} is not known (only the public, US Government and China clouds' login hosts are)`,
      {
        hint: "Give mtls: { host: 'https://mtlsauth.…' }, the host the authority's metadata lists in mtls_endpoint_aliases.",
      },
    )
  }
  if (choice.region === undefined) return `https://${host}`
  if (!REGION.test(choice.region)) throw regionProblem('must be one lowercase DNS label, e.g. westus2')
  return `https://${choice.region}.${host}`
}

function httpsOrigin(value: string, path: string): string {
  const url = new URL(value)
  if (url.protocol !== 'https:') {
    throw new ConfigurationError(
      path,
      'must be https for mutual TLS: a certificate is presented only in a TLS handshake',
      {
        hint: 'Use the https URL (a local authority: startLocalAuthority({ https: true })).',
      },
    )
  }
  return url.origin
}

function regionProblem(message: string): ConfigurationError {
  return new ConfigurationError('mtls.region', message, {
    hint: 'Omit mtls.region to use the global host, or give the region of the app (e.g. westeurope).',
  })
}
