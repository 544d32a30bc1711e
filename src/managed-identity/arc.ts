/**
 * Azure Arc (servers outside Azure with the Connected Machine agent): `GET {IDENTITY_ENDPOINT}?
 * api-version=2019-11-01&resource=…` with `Metadata: true`. The agent answers 401 with
 * `WWW-Authenticate: Basic realm=<key file>`; the request is sent once more with
 * `Authorization: Basic <file contents>` (docs/entra.md §10). System-assigned identity only.
 */
import { ConfigurationError, ResponseFormatError } from '../errors.js'
import { challengeFile, readArcKeyFile } from './arc-key-file.js'
import { identityParameter } from './identity.js'
import {
  COMMON_HEADERS,
  IdentityRequest,
  type ManagedIdentitySource,
  type SourceRequestParameters,
  withQuery,
} from './source.js'

/**
 * The Azure Arc identity API version.
 *
 * @example
 * ```ts
 * url.searchParams.get('api-version') === ARC_API_VERSION // '2019-11-01'
 * ```
 */
export const ARC_API_VERSION = '2019-11-01'
/**
 * The agent's (himds) endpoint when the agent is installed but the variables are not set.
 *
 * @example
 * ```ts
 * new AzureArcSource(HIMDS_DEFAULT_ENDPOINT, 'himds')
 * ```
 */
export const HIMDS_DEFAULT_ENDPOINT = 'http://127.0.0.1:40342/metadata/identity/oauth2/token'

/**
 * How Arc was detected.
 *
 * @example
 * ```ts
 * const how: ArcDetection = source.detectedBy // 'environment' | 'himds'
 * ```
 */
export type ArcDetection = 'environment' | 'himds'

/**
 * The Azure Arc agent's identity endpoint.
 *
 * @example
 * ```ts
 * const arc = new AzureArcSource('http://localhost:40342/metadata/identity/oauth2/token', 'environment')
 * arc.endpoint // 'http://127.0.0.1:40342/metadata/identity/oauth2/token' (the agent listens on IPv4)
 * ```
 */
export class AzureArcSource implements ManagedIdentitySource {
  readonly kind = 'azure-arc' as const
  readonly endpoint: string
  readonly detectedBy: ArcDetection

  constructor(endpoint: string, detectedBy: ArcDetection) {
    this.detectedBy = detectedBy
    const url = new URL(endpoint)
    if (url.hostname === 'localhost') url.hostname = '127.0.0.1'
    this.endpoint = url.toString()
  }

  buildRequest(parameters: SourceRequestParameters): IdentityRequest {
    identityParameter(parameters.identity, this.kind) // throws for a user-assigned identity
    const url = withQuery(
      this.endpoint,
      [
        ['api-version', ARC_API_VERSION],
        ['resource', parameters.resource],
      ],
      parameters.clientCapabilities,
    )
    return new IdentityRequest('GET', url, { ...COMMON_HEADERS, metadata: 'true' })
  }
}

/**
 * The `Authorization` value that answers the agent's 401 challenge: `Basic ` and the key file's contents,
 * read under `keyDirectory` only (`undefined`: a platform Arc does not run on). Throws a ResponseFormatError
 * when the 401 carries no such challenge, and a CredentialError when the named file is refused.
 *
 * @example
 * ```ts
 * const authorization = await answerArcChallenge(response.headers['www-authenticate'], '/var/opt/azcmagent/tokens')
 * ```
 */
export async function answerArcChallenge(
  wwwAuthenticate: string | undefined,
  keyDirectory: string | undefined,
): Promise<string> {
  const file = challengeFile(wwwAuthenticate)
  if (file === undefined) {
    throw new ResponseFormatError(
      'www-authenticate',
      wwwAuthenticate === undefined
        ? 'The Azure Arc agent answered 401 without a WWW-Authenticate challenge.'
        : 'The Azure Arc agent answered 401 with a WWW-Authenticate header that is not "Basic realm=<file>".',
      { status: 401 },
      { hint: 'Check that IDENTITY_ENDPOINT points at the Azure Connected Machine agent (himds).' },
    )
  }
  if (keyDirectory === undefined) {
    throw new ConfigurationError(
      'managedIdentity',
      'Azure Arc identities are served on Linux and Windows only.',
      {
        hint: 'Use another credential on this platform.',
      },
    )
  }
  return `Basic ${await readArcKeyFile(file, keyDirectory)}`
}
