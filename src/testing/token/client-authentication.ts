/**
 * Proving who the client is (docs/entra.md §3): a secret (form field or HTTP Basic), a certificate
 * assertion (`iss` = client id) or a federated assertion (any other issuer).
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { MESSAGES } from '../entra/aadsts.js'
import { AadstsError } from '../entra/error-body.js'
import type { ClientRecord } from '../registry/records.js'
import type { AuthMethod } from './access-token.js'
import { decodeAssertion } from './assertion-jwt.js'
import { type AssertionCheck, verifyCertificateAssertion } from './certificate-assertion.js'
import type { FederationVerifier } from './federated-assertion.js'

// Deliberate copy: the emulator shares no protocol code with the client (docs/architecture.md)
/**
 * The only `client_assertion_type` Entra accepts (the client's: `src/credentials/assertion-jwt.ts`).
 *
 * @example
 * ```ts
 * form.get('client_assertion_type') === JWT_BEARER
 * ```
 */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/**
 * The credential fields of one token request.
 *
 * @example
 * ```ts
 * const presented: PresentedCredential = { secret: 's3cret', assertion: undefined, assertionType: undefined }
 * ```
 */
export interface PresentedCredential {
  /** From `client_secret` or HTTP Basic. */
  secret: string | undefined
  assertion: string | undefined
  assertionType: string | undefined
  /** The DER of the certificate presented in the TLS handshake (the mtlsauth endpoint), if any. */
  peerCertificate?: Buffer | undefined
}

/**
 * Authenticates the client; returns how (for `appidacr`/`azpacr`) or throws the AADSTS refusal.
 *
 * @example
 * ```ts
 * const method = await authenticateClient(credential, { client, audiences, now, skewSeconds: 300 }, federation)
 * ```
 */
export async function authenticateClient(
  presented: PresentedCredential,
  check: AssertionCheck,
  federation: FederationVerifier,
): Promise<AuthMethod> {
  const { secret, assertion } = presented
  if (secret !== undefined && assertion !== undefined) {
    throw new AadstsError(
      7000218,
      "The request body must contain only one of the following parameters: 'client_assertion' or 'client_secret'.",
    )
  }
  if (assertion !== undefined) return authenticateWithAssertion(presented, check, federation)
  if (secret !== undefined) {
    checkSecret(check.client, secret, check.now)
    return 'secret'
  }
  if (presented.peerCertificate !== undefined) {
    checkTlsCertificate(check.client, presented.peerCertificate)
    return 'certificate'
  }
  throw new AadstsError(7000218, MESSAGES.noCredential())
}

/**
 * Mutual TLS (docs/entra.md §12): the certificate presented in the handshake is the credential when it
 * is one registered on the client (matched by its SHA-256 thumbprint); AADSTS700027 otherwise.
 *
 * @example
 * ```ts
 * checkTlsCertificate(client, req.socket.getPeerCertificate().raw)
 * ```
 */
export function checkTlsCertificate(client: ClientRecord, der: Buffer): void {
  const sha256 = createHash('sha256').update(der).digest()
  if (client.certificates.some((cert) => cert.thumbprintSha256.equals(sha256))) return
  const sha1 = createHash('sha1').update(der).digest('hex').toUpperCase()
  throw new AadstsError(700027, MESSAGES.keyNotFound(sha1, client.appId))
}

async function authenticateWithAssertion(
  presented: PresentedCredential,
  check: AssertionCheck,
  federation: FederationVerifier,
): Promise<AuthMethod> {
  if (presented.assertionType !== JWT_BEARER) {
    throw new AadstsError(900144, MESSAGES.missingParameter('client_assertion_type'))
  }
  const jwt = decodeAssertion(presented.assertion ?? '')
  const issuer = typeof jwt.payload.iss === 'string' ? jwt.payload.iss.toLowerCase() : undefined
  if (issuer === check.client.appId) {
    await verifyCertificateAssertion(jwt, check)
    return 'certificate'
  }
  await federation.verify(jwt, check.client, check.now, check.skewSeconds)
  return 'federated'
}

/**
 * Checks a secret against the client's secrets: AADSTS7000222 when it matches an expired one,
 * AADSTS7000215 when it matches none.
 *
 * @example
 * ```ts
 * checkSecret(client, 'Adm8Q~…', Date.now())
 * ```
 */
export function checkSecret(client: ClientRecord, presented: string, now: number): void {
  const match = client.secrets.find((secret) => sameText(secret.value, presented))
  if (!match) throw new AadstsError(7000215, MESSAGES.wrongSecret(client.appId))
  if (match.expiresAt !== undefined && match.expiresAt <= now) {
    throw new AadstsError(7000222, MESSAGES.expiredSecret(client.appId))
  }
}

function sameText(expected: string, presented: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(presented)
  return a.length === b.length && timingSafeEqual(a, b)
}
