/**
 * Sender-constrained tokens, checked by default: whenever a verified token carries `cnf`, the request
 * must prove it holds what the token is bound to — a DPoP key (`jkt`, RFC 9449) or a client
 * certificate (`x5t#S256`, RFC 8705). There is no opt-in: a bound token presented without its proof
 * is refused, and so is a `cnf` naming a confirmation method this verifier cannot check
 * (docs/sender-constrained.md §1).
 */

import { type CertificateInput, checkCertificateBinding } from './certificate-binding.js'
import { clip, type Rejection } from './challenge.js'
import { checkDpopProof, type DpopSettings } from './dpop-proof.js'
import type { TokenScheme } from './header.js'

/**
 * What a bound token proved: the key or certificate it is bound to (and the request proved it holds).
 *
 * @example
 * ```ts
 * const request = { method: c.req.method, url: c.req.url, dpop: c.req.header('dpop') }
 * const auth = await verifier.verify(c.req.header('authorization'), { request })
 * if (auth.binding?.jkt) console.log('DPoP key', auth.binding.jkt)
 * ```
 */
export interface TokenBinding {
  /** The DPoP key's thumbprint (`cnf.jkt`), when DPoP-bound. */
  readonly jkt?: string
  /** The client certificate's SHA-256 thumbprint (`cnf.x5t#S256`), when certificate-bound. */
  readonly x5tS256?: string
}

/**
 * What the request shows besides the token: the proof of possession, wherever it is.
 *
 * @example
 * ```ts
 * // Hono
 * const request: RequestEvidence = { method: c.req.method, url: c.req.url, dpop: c.req.header('dpop') }
 * // a TLS socket's client certificate (Fastify: req.raw.socket)
 * const mtls: RequestEvidence = { peerCertificate: () => tlsSocket.getPeerCertificate(true) }
 * ```
 */
export interface RequestEvidence {
  /** The HTTP method, for the DPoP proof's `htm`. */
  method?: string | undefined
  /** The absolute URL the client called (query and fragment ignored), for the proof's `htu`. */
  url?: string | URL | undefined
  /** The `DPoP` header value (an array when a framework gives repeated headers). */
  dpop?: string | readonly string[] | null | undefined
  /** The TLS client certificate of the connection, for certificate-bound tokens. */
  peerCertificate?: CertificateInput
}

/** The confirmation methods this verifier checks. */
const CHECKED = new Set(['jkt', 'x5t#S256'])

/**
 * Reads `cnf`: `undefined` for an unbound token, the binding, or a rejection when `cnf` is not an
 * object of thumbprints or names a method that cannot be checked here (`jwk`, `kid`, `jku`, `jwe`…).
 *
 * @example
 * ```ts
 * readConfirmation({ cnf: { jkt: '0ZcOCORZ…' } }) // { jkt: '0ZcOCORZ…' }
 * readConfirmation({})                             // undefined
 * ```
 */
export function readConfirmation(payload: Record<string, unknown>): TokenBinding | Rejection | undefined {
  const { cnf } = payload
  if (cnf === undefined) return undefined
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) {
    return { reason: 'malformed', description: 'cnf claim is not an object' }
  }
  const members = Object.keys(cnf)
  if (members.length === 0)
    return { reason: 'malformed', description: 'cnf claim names no confirmation method' }
  const unknown = members.find((member) => !CHECKED.has(member))
  if (unknown !== undefined) {
    return {
      reason: 'binding',
      description: `the token is bound by cnf.${clip(unknown, 20)}, which this API cannot check`,
    }
  }
  const { jkt, 'x5t#S256': x5tS256 } = cnf as Record<string, unknown>
  if ((jkt !== undefined && !isThumbprint(jkt)) || (x5tS256 !== undefined && !isThumbprint(x5tS256))) {
    return { reason: 'malformed', description: 'cnf thumbprint is not a base64url SHA-256' }
  }
  return { ...(jkt === undefined ? {} : { jkt }), ...(x5tS256 === undefined ? {} : { x5tS256 }) }
}

/**
 * The structural check of `cnf`, run with the other claim checks before any key is fetched: a
 * rejection, or `undefined` for an unbound token or a well-formed binding (checked later, against the request).
 *
 * @example
 * ```ts
 * checkConfirmation({ cnf: 'x' }) // { reason: 'malformed', description: 'cnf claim is not an object' }
 * ```
 */
export function checkConfirmation(payload: Record<string, unknown>): Rejection | undefined {
  const binding = readConfirmation(payload)
  return binding !== undefined && 'reason' in binding ? binding : undefined
}

function isThumbprint(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value)
}

/**
 * Checks the binding of a verified token against the request: the scheme fits the token (DPoP-bound
 * tokens under `DPoP`, the `DPoP` and `mtls_pop` schemes only for tokens bound that way), then each
 * bound method's proof. Resolves to the binding (`undefined` for an unbound token) or a rejection.
 *
 * @example
 * ```ts
 * const binding = await checkBinding({ token, scheme: 'DPoP', payload, request: { method, url, dpop } }, settings)
 * ```
 */
export async function checkBinding(
  input: {
    token: string
    scheme: TokenScheme | undefined
    payload: Record<string, unknown>
    request: RequestEvidence | undefined
  },
  settings: DpopSettings,
): Promise<TokenBinding | Rejection | undefined> {
  const binding = readConfirmation(input.payload)
  if (binding !== undefined && 'reason' in binding) return binding
  const scheme = checkScheme(input.scheme, binding)
  if (scheme !== undefined) return scheme
  if (binding === undefined) return undefined
  const request = input.request ?? {}
  if (binding.x5tS256 !== undefined) {
    const certificate = checkCertificateBinding(binding.x5tS256, request.peerCertificate)
    if (certificate !== undefined) return certificate
  }
  if (binding.jkt !== undefined) {
    const { method, url, dpop: proof } = request
    const rejection = await checkDpopProof(
      { token: input.token, jkt: binding.jkt, method, url, proof },
      settings,
    )
    if (rejection !== undefined) return rejection
  }
  return binding
}

function checkScheme(
  scheme: TokenScheme | undefined,
  binding: TokenBinding | undefined,
): Rejection | undefined {
  if (binding?.jkt !== undefined && scheme !== undefined && scheme !== 'DPoP') {
    return {
      reason: 'binding',
      description: 'the token is DPoP-bound: send it with the DPoP authorization scheme and a DPoP proof',
      scheme: 'DPoP',
    }
  }
  if (scheme === 'DPoP' && binding?.jkt === undefined) {
    return {
      reason: 'binding',
      description: 'the token is not DPoP-bound (no cnf.jkt): send it with the Bearer scheme',
      scheme: 'DPoP',
    }
  }
  if (scheme === 'mtls_pop' && binding?.x5tS256 === undefined) {
    return { reason: 'binding', description: 'the token is not bound to a certificate (no cnf.x5t#S256)' }
  }
  return undefined
}
