/**
 * Turns validated credential entries (secrets, certificates, subject-name trusts, federated
 * credentials) into registry records.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto'
import type { z } from 'zod'
import { newGuid } from '../entra/ids.js'
import type {
  CertificateRecord,
  FederatedCredentialRecord,
  SecretRecord,
  SubjectNameRecord,
} from './records.js'
import { refuse } from './registry-error.js'
import type {
  certificateSchema,
  federatedCredentialSchema,
  secretSchema,
  subjectNameSchema,
} from './schema.js'
import type { RegistryStore } from './store.js'

const SECRET_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~._-'

/**
 * A new secret value shaped like the portal's (40 characters, including `~ . _ -`).
 *
 * @example
 * ```ts
 * generateSecretValue() // 'Qx48Q~Zr…'
 * ```
 */
export function generateSecretValue(): string {
  const bytes = randomBytes(37)
  const body = [...bytes].map((b) => SECRET_ALPHABET[b % SECRET_ALPHABET.length]).join('')
  return `${body.slice(0, 3)}8Q~${body.slice(3, 37)}`
}

/**
 * A secret record from a validated entry.
 *
 * @example
 * ```ts
 * toSecretRecord({ value: 's3cret' }).id // a new GUID
 * ```
 */
export function toSecretRecord(entry: z.output<typeof secretSchema>): SecretRecord {
  const record: SecretRecord = { value: entry.value, id: entry.id ?? newGuid() }
  if (entry.displayName !== undefined) record.displayName = entry.displayName
  if (entry.expiresAt !== undefined) record.expiresAt = entry.expiresAt
  return record
}

/**
 * A certificate record (parsed, with thumbprints) from a validated entry.
 *
 * @example
 * ```ts
 * toCertificateRecord({ pem }, 'client.certificates[0]').thumbprintSha1.length // 20
 * ```
 */
export function toCertificateRecord(
  entry: z.output<typeof certificateSchema>,
  path: string,
): CertificateRecord {
  const x509 = parseCertificate(entry.pem, `${path}.pem`)
  const record: CertificateRecord = {
    pem: entry.pem,
    x509,
    thumbprintSha1: createHash('sha1').update(x509.raw).digest(),
    thumbprintSha256: createHash('sha256').update(x509.raw).digest(),
  }
  if (entry.displayName !== undefined) record.displayName = entry.displayName
  return record
}

/**
 * A subject-name trust record from a validated entry.
 *
 * @example
 * ```ts
 * toSubjectNameRecord({ subject: 'CN=daemon' }, 'client.subjectNames[0]').subject // 'CN=daemon'
 * ```
 */
export function toSubjectNameRecord(
  entry: z.output<typeof subjectNameSchema>,
  path: string,
): SubjectNameRecord {
  const record: SubjectNameRecord = { subject: entry.subject }
  if (entry.issuerPem !== undefined) record.issuer = parseCertificate(entry.issuerPem, `${path}.issuerPem`)
  return record
}

/**
 * A federated credential record from a validated entry; one naming a managed identity trusts that
 * identity's tokens (issuer `{authority}/{tenant}/v2.0`, subject its object id).
 *
 * @example
 * ```ts
 * toFederatedRecord({ issuer, subject, audiences, jwksUrl }, store, 'client.federatedCredentials[0]').name // 'issuer|subject'
 * ```
 */
export function toFederatedRecord(
  entry: z.output<typeof federatedCredentialSchema>,
  store: RegistryStore,
  path: string,
): FederatedCredentialRecord {
  if ('managedIdentity' in entry) {
    const identity = store.requireManagedIdentity(entry.managedIdentity, `${path}.managedIdentity`)
    return {
      name: entry.name ?? `managed-identity|${identity.name}`,
      issuer: `{authority}/${identity.tenant}/v2.0`,
      subject: identity.objectId,
      audiences: entry.audiences,
      managedIdentity: identity.objectId,
    }
  }
  return {
    name: entry.name ?? `${entry.issuer}|${entry.subject}`,
    issuer: entry.issuer,
    subject: entry.subject,
    audiences: entry.audiences,
    jwksUrl: entry.jwksUrl,
  }
}

function parseCertificate(pem: string, path: string): X509Certificate {
  try {
    return new X509Certificate(pem)
  } catch (error) {
    return refuse(path, `not a readable PEM certificate (${(error as Error).message})`)
  }
}
