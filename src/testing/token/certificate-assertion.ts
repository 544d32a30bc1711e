/**
 * Certificate client assertions (docs/entra.md §4): algorithm RS256 or PS256, the key found by `x5t`
 * (SHA-1) or `x5t#S256` (SHA-256), base64url or standard base64, or by the `x5c` leaf for
 * subject-name apps; signature; `aud` = this token endpoint (a string); `iss` = `sub` = client id;
 * time range with a small skew.
 */
import { createHash, type KeyObject, X509Certificate } from 'node:crypto'
import { compactVerify } from 'jose'
import { MESSAGES } from '../entra/aadsts.js'
import { AadstsError } from '../entra/error-body.js'
import type { ClientRecord, SubjectNameRecord } from '../registry/records.js'
import { checkAssertionTime, type DecodedJwt } from './assertion-jwt.js'

const ALGORITHMS = ['RS256', 'PS256']

/**
 * What the verification needs besides the assertion.
 *
 * @example
 * ```ts
 * const check: AssertionCheck = { client, audiences: new Set([endpoint.toLowerCase()]), now: Date.now(), skewSeconds: 300 }
 * ```
 */
export interface AssertionCheck {
  client: ClientRecord
  /** Lower-cased URLs that count as "this token endpoint". */
  audiences: ReadonlySet<string>
  now: number
  skewSeconds: number
}

/**
 * Verifies a certificate assertion whose `iss` is the client id; throws the AADSTS refusal.
 *
 * @example
 * ```ts
 * await verifyCertificateAssertion(decodeAssertion(form.client_assertion), { client, audiences, now, skewSeconds: 300 })
 * ```
 */
export async function verifyCertificateAssertion(jwt: DecodedJwt, check: AssertionCheck): Promise<void> {
  if (typeof jwt.header.alg !== 'string' || !ALGORITHMS.includes(jwt.header.alg)) {
    throw new AadstsError(700027, MESSAGES.unsupportedAlgorithm())
  }
  const key = findVerificationKey(jwt, check)
  try {
    await compactVerify(jwt.compact, key, { algorithms: ALGORITHMS })
  } catch {
    throw new AadstsError(700027, MESSAGES.badSignature())
  }
  checkClaims(jwt, check)
}

function checkClaims(jwt: DecodedJwt, check: AssertionCheck): void {
  const { aud, sub } = jwt.payload
  if (Array.isArray(aud)) throw new AadstsError(50027, MESSAGES.malformedJwt())
  if (typeof aud !== 'string' || !check.audiences.has(aud.toLowerCase())) {
    throw new AadstsError(700023, MESSAGES.assertionAudience())
  }
  if (sub !== check.client.appId && sub?.toLowerCase() !== check.client.appId) {
    throw new AadstsError(700021, MESSAGES.assertionSubject())
  }
  checkAssertionTime(jwt.payload, check.now, check.skewSeconds)
}

function findVerificationKey(jwt: DecodedJwt, check: AssertionCheck): KeyObject {
  const { client } = check
  const x5c = jwt.header.x5c
  if (Array.isArray(x5c) && x5c.length > 0 && client.subjectNames.length > 0) {
    const leaf = parseLeaf(x5c[0])
    if (leaf && client.subjectNames.some((trust) => trusts(trust, leaf, check.now))) return leaf.publicKey
    throw keyNotFound(leaf ? createHash('sha1').update(leaf.raw).digest() : Buffer.alloc(0), client.appId)
  }
  const sha256 = thumbprint(jwt.header['x5t#S256'])
  const sha1 = thumbprint(jwt.header.x5t)
  const registered = client.certificates.find(
    (cert) => (sha256 && cert.thumbprintSha256.equals(sha256)) || (sha1 && cert.thumbprintSha1.equals(sha1)),
  )
  if (registered) return registered.x509.publicKey
  throw keyNotFound(sha1 ?? sha256 ?? Buffer.alloc(0), client.appId)
}

function keyNotFound(thumbprintBytes: Buffer, appId: string): AadstsError {
  return new AadstsError(700027, MESSAGES.keyNotFound(thumbprintBytes.toString('hex').toUpperCase(), appId))
}

/** Decodes a thumbprint header sent as base64url or standard base64 (Node's decoder takes both). */
function thumbprint(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  return Buffer.from(value, 'base64')
}

function parseLeaf(value: unknown): X509Certificate | undefined {
  if (typeof value !== 'string') return undefined
  try {
    return new X509Certificate(Buffer.from(value, 'base64'))
  } catch {
    return undefined
  }
}

function trusts(trust: SubjectNameRecord, leaf: X509Certificate, now: number): boolean {
  const current = Date.parse(leaf.validFrom) <= now && now <= Date.parse(leaf.validTo)
  const issued =
    trust.issuer === undefined || (leaf.checkIssued(trust.issuer) && leaf.verify(trust.issuer.publicKey))
  return current && issued && subjectMatches(trust.subject, leaf.subject)
}

function subjectMatches(wanted: string, subject: string): boolean {
  const normalise = (dn: string) =>
    dn
      .split(/\s*[\n,]\s*/)
      .map((part) => part.trim().toLowerCase())
      .filter(Boolean)
      .sort()
      .join(',')
  const commonName = subject
    .split('\n')
    .find((line) => line.startsWith('CN='))
    ?.slice(3)
  return normalise(wanted) === normalise(subject) || wanted.toLowerCase() === commonName?.toLowerCase()
}
