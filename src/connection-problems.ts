/**
 * What a failed connection to the token endpoint means, and what to do about it (issue 12): an untrusted
 * certificate and https spoken to a plain http server are TLS failures, never retried (the next attempt
 * would fail the same way); a refused connection to a loopback host is most often a local authority that
 * is not running.
 */
import { isLoopbackHost } from './authority.js'

/**
 * A connection failure, read: `tls` failures are final (with a message naming the failure); `network`
 * ones may pass.
 *
 * @example
 * ```ts
 * const problem: ConnectionProblem = { reason: 'tls', message: 'The TLS certificate of 127.0.0.1:8400 was refused (DEPTH_ZERO_SELF_SIGNED_CERT).', hint: '…' }
 * ```
 */
export type ConnectionProblem =
  | { readonly reason: 'tls'; readonly message: string; readonly hint: string }
  | { readonly reason: 'network'; readonly hint: string }

/** Node's codes for a certificate that was not accepted (OpenSSL's verify results, and the name check). */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])
/** OpenSSL's codes when the answer to a TLS hello is not TLS (plain http answered). */
const NOT_TLS_CODES = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
])

const TRUST_HINT =
  "Trust the authority's CA instead of turning checks off: for the local authority started with https: true, pass new Agent({ connect: { ca: authority.caPem } }) as http.dispatcher, or point NODE_EXTRA_CA_CERTS at a file holding caPem; check that the URL's host is one the certificate names."

/**
 * What `error` (a failed token request's, with its causes) says about the connection to `url`, or
 * `undefined` when it is none of the known failures.
 *
 * @example
 * ```ts
 * connectionProblem(error, new URL('https://127.0.0.1:8400/tenant/oauth2/v2.0/token'))
 * // { reason: 'tls', message: 'The server at 127.0.0.1:8400 does not speak TLS …', hint: 'Use http:// …' }
 * ```
 */
export function connectionProblem(error: unknown, url: URL): ConnectionProblem | undefined {
  const codes = errorCodes(error)
  const certificate = codes.find((code) => CERTIFICATE_CODES.has(code))
  if (certificate !== undefined) {
    return {
      reason: 'tls',
      message: `The TLS certificate of ${url.host} was refused (${certificate}).`,
      hint: TRUST_HINT,
    }
  }
  const notTls = codes.find((code) => NOT_TLS_CODES.has(code))
  if (notTls !== undefined) {
    return {
      reason: 'tls',
      message: `The server at ${url.host} does not speak TLS (${notTls}): https:// was used for a plain http server.`,
      hint: 'Use http:// for a local authority served without https (http is allowed for loopback hosts), or the port where the server speaks https.',
    }
  }
  const tls = codes.find((code) => code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
  if (tls !== undefined) {
    return {
      reason: 'tls',
      message: `The TLS connection to ${url.host} failed (${tls}).`,
      hint: 'Check the authority URL and any proxy or TLS-inspecting middlebox on the way.',
    }
  }
  if (codes.includes('ECONNREFUSED') && isLoopbackHost(url.hostname)) {
    return {
      reason: 'network',
      hint: `Nothing listens at ${url.host}: is the local authority running (npx oauth-client-credentials emulator --port ${url.port || '…'})? Check the port in the URL.`,
    }
  }
  return undefined
}

/** The `code` of an error, its causes and (for an AggregateError) the errors it holds. */
function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 5) return []
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown }
  const own = typeof code === 'string' ? [code] : []
  const inner = Array.isArray(errors) ? errors.flatMap((e: unknown) => errorCodes(e, depth + 1)) : []
  return [...own, ...errorCodes(cause, depth + 1), ...inner]
}
