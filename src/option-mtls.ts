/**
 * The options of mutual TLS (RFC 8705 client authentication, Entra mTLS PoP, docs/entra.md §12): the
 * `mtls` schema and the checks across options that say when mutual TLS applies and what it needs.
 */
import type { TrustedCa } from './mtls/trusted-ca.js'
import { textOption } from './option-values.js'
import { lazySchema } from './validation/zod.js'

const caItem = (value: unknown) => (typeof value === 'string' && value.length > 0) || Buffer.isBuffer(value)

/**
 * The schema of `authMethod`: RFC 7591 `token_endpoint_auth_method` names, RFC 8705's two included.
 *
 * @example
 * ```ts
 * authMethodSchema().parse('self_signed_tls_client_auth')
 * ```
 */
export const authMethodSchema = lazySchema((z) =>
  z.enum([
    'client_secret_post',
    'client_secret_basic',
    'private_key_jwt',
    'tls_client_auth',
    'self_signed_tls_client_auth',
  ]),
)

/**
 * The schema of `MtlsOptions`.
 *
 * @example
 * ```ts
 * mtlsSchema().parse({ region: 'westeurope' })
 * ```
 */
export const mtlsSchema = lazySchema((z) =>
  z.strictObject({
    host: textOption("is empty: omit it to use the authority's mTLS host").optional(),
    region: textOption('is empty: omit it to use the global mTLS host').optional(),
    ca: z
      .custom<TrustedCa>(
        (value) => caItem(value) || (Array.isArray(value) && value.length > 0 && value.every(caItem)),
        'must be PEM text, a Buffer, or a list of them',
      )
      .optional(),
  }),
)

/**
 * The options the mTLS checks read.
 *
 * @example
 * ```ts
 * const options: MtlsCheckedOptions = { authMethod: 'tls_client_auth', credential: { certificatePath: 'client.pem' } }
 * ```
 */
export interface MtlsCheckedOptions {
  readonly authMethod?: string | undefined
  readonly mtlsProofOfPossession?: boolean | undefined
  readonly mtls?: unknown
  readonly credential?: object | undefined
  readonly tokenEndpoint?: string | undefined
  readonly endpointVersion?: string | undefined
  readonly http?: { readonly dispatcher?: unknown } | undefined
  readonly cache?: { readonly store?: unknown } | undefined
}

/**
 * Whether the client presents its certificate over mutual TLS.
 *
 * @example
 * ```ts
 * usesMtls({ authMethod: 'self_signed_tls_client_auth' }) // true
 * ```
 */
export function usesMtls(o: Pick<MtlsCheckedOptions, 'authMethod' | 'mtlsProofOfPossession'>): boolean {
  return (
    o.mtlsProofOfPossession === true ||
    o.authMethod === 'tls_client_auth' ||
    o.authMethod === 'self_signed_tls_client_auth'
  )
}

/**
 * The checks across options for mutual TLS and for the bare-key credential; `add` records a problem.
 *
 * @example
 * ```ts
 * mtlsChecks(options, (path, message) => issues.push({ path, message }))
 * ```
 */
export function mtlsChecks(o: MtlsCheckedOptions, add: (path: string, message: string) => void): void {
  const entra = o.tokenEndpoint === undefined
  const credential = o.credential ?? {}
  if (entra && 'privateKey' in credential) {
    add(
      'credential.privateKey',
      'is a bare private key, but Entra authenticates apps by certificate: give certificate: { privateKey, certificate } (upload the certificate to the app registration), or use privateKey with a tokenEndpoint',
    )
  }
  if (!usesMtls(o)) {
    if (o.mtls !== undefined)
      add(
        'mtls',
        "applies to mutual TLS only: set authMethod: 'tls_client_auth' or mtlsProofOfPossession: true",
      )
    return
  }
  if (!('certificate' in credential) && !('certificatePath' in credential)) {
    add(
      'credential',
      'must be a certificate (certificate or certificatePath): mutual TLS presents it in the TLS handshake',
    )
  }
  if (o.mtlsProofOfPossession === true) popChecks(o, entra, add)
  else if (!entra && o.mtls !== undefined && hasEntraHostChoice(o.mtls))
    add(
      'mtls',
      'host and region are for Entra: with tokenEndpoint, give the mTLS endpoint itself (mtls_endpoint_aliases) as tokenEndpoint',
    )
  if (o.http?.dispatcher !== undefined)
    add(
      'http.dispatcher',
      'cannot be combined with mutual TLS: the certificate is presented by the connections of the client itself (give mtls.ca to trust a private CA)',
    )
  if (o.cache?.store !== undefined)
    add(
      'cache.store',
      'cannot be combined with mutual TLS yet: a stored token does not say which certificate it is bound to',
    )
}

function popChecks(
  o: MtlsCheckedOptions,
  entra: boolean,
  add: (path: string, message: string) => void,
): void {
  if (!entra) {
    add(
      'mtlsProofOfPossession',
      "is Entra's mTLS PoP (token_type mtls_pop): for an RFC 8705 server use authMethod: 'tls_client_auth' (its tokens are certificate-bound Bearer tokens)",
    )
  }
  if (
    o.authMethod !== undefined &&
    o.authMethod !== 'tls_client_auth' &&
    o.authMethod !== 'self_signed_tls_client_auth'
  )
    add(
      'authMethod',
      `cannot be '${o.authMethod}' with mtlsProofOfPossession: the certificate presented over mutual TLS is the credential (remove authMethod)`,
    )
  if (o.endpointVersion === 'v1')
    add('endpointVersion', 'must be v2 with mtlsProofOfPossession: Entra issues mtls_pop tokens on v2 only')
}

function hasEntraHostChoice(mtls: unknown): boolean {
  const record = mtls as { host?: unknown; region?: unknown }
  return record.host !== undefined || record.region !== undefined
}
