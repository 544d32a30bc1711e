/**
 * What a certificate credential must pass at construction (and at every reload): an RSA key of at
 * least 2048 bits, a certificate for that key, a certificate valid now, and a leaf-first chain for
 * `x5c`. Each failure is a {@link CredentialError} that says what to fix, naming certificates by
 * subject and thumbprint only.
 */
import { createHash, type KeyObject, type X509Certificate } from 'node:crypto'
import { CredentialError } from '../errors.js'

/**
 * The smallest RSA modulus accepted (Entra and RFC 7518 §3.3).
 *
 * @example
 * ```ts
 * key.asymmetricKeyDetails?.modulusLength >= MIN_RSA_BITS
 * ```
 */
export const MIN_RSA_BITS = 2048
/**
 * How long before expiry a certificate draws a warning.
 *
 * @example
 * ```ts
 * if (notAfter - now < EXPIRY_WARNING_MS) logger.warn('expires soon')
 * ```
 */
export const EXPIRY_WARNING_MS = 30 * 24 * 60 * 60 * 1000

/**
 * Refuses a key that is not RSA or is shorter than {@link MIN_RSA_BITS}.
 *
 * @example
 * ```ts
 * checkRsaKey(createPrivateKey(pem))
 * ```
 */
export function checkRsaKey(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new CredentialError(
      `the private key is ${key.asymmetricKeyType?.toUpperCase() ?? 'not asymmetric'}, not RSA: client assertions are signed with PS256 or RS256, which need an RSA key.`,
      {
        hint: 'Create an RSA key of 2048 bits or more and a certificate for it (openssl req -x509 -newkey rsa:2048).',
      },
    )
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < MIN_RSA_BITS) {
    throw new CredentialError(`the RSA key has ${bits} bits: at least ${MIN_RSA_BITS} are required.`, {
      hint: 'Create a new RSA key of 2048 bits or more and upload its certificate.',
    })
  }
}

/**
 * Puts the certificate of `key` first; refuses when none of `certificates` is for `key`, or (for
 * ordered input) when it is not the first.
 *
 * @example
 * ```ts
 * const [leaf] = leafFirst(key, certificates, false)
 * ```
 */
export function leafFirst(
  key: KeyObject,
  certificates: readonly X509Certificate[],
  reorder: boolean,
): X509Certificate[] {
  const index = certificates.findIndex((certificate) => certificate.checkPrivateKey(key))
  if (index === -1) {
    const [first] = certificates
    throw new CredentialError(
      `the certificate does not match the private key: its public key is not the key's (certificate ${first ? describeCertificate(first) : 'missing'}).`,
      { hint: 'Give the certificate issued for this private key (or the key of this certificate).' },
    )
  }
  if (index > 0 && !reorder) {
    throw new CredentialError(
      `the certificate for the private key is number ${index + 1} in the list: the leaf certificate must come first, then its issuers.`,
    )
  }
  const leaf = certificates[index] as X509Certificate
  return reorder ? issuerChain(leaf, certificates) : [...certificates]
}

/** `leaf` followed by its issuers found among `pool`, in order (PKCS#12 bags are unordered). */
function issuerChain(leaf: X509Certificate, pool: readonly X509Certificate[]): X509Certificate[] {
  const chain = [leaf]
  for (let current = leaf; ; ) {
    const issuer = pool.find((c) => !chain.includes(c) && issuedBy(current, c))
    if (issuer === undefined) return chain
    chain.push(issuer)
    current = issuer
  }
}

/**
 * Refuses a chain in which a certificate is not issued (and signed) by the next one.
 *
 * @example
 * ```ts
 * checkChainOrder([leaf, intermediate, root])
 * ```
 */
export function checkChainOrder(chain: readonly X509Certificate[]): void {
  for (let i = 0; i + 1 < chain.length; i++) {
    const subject = chain[i] as X509Certificate
    const issuer = chain[i + 1] as X509Certificate
    if (!issuedBy(subject, issuer)) {
      throw new CredentialError(
        `the certificate chain for x5c is not in order: certificate ${i + 1} (${describeCertificate(subject)}) was not issued by certificate ${i + 2} (${describeCertificate(issuer)}).`,
        { hint: 'List the leaf certificate first, then the certificate that issued it, and so on up.' },
      )
    }
  }
}

function issuedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey)
}

/**
 * What a validity check found.
 *
 * @example
 * ```ts
 * const { expiresInDays }: Validity = checkValidity(leaf, Date.now())
 * ```
 */
export interface Validity {
  /** Days left when under {@link EXPIRY_WARNING_MS} (a warning is due), else undefined. */
  readonly expiresInDays: number | undefined
}

/**
 * Refuses a certificate that is expired or not yet valid at `now` (epoch ms).
 *
 * @example
 * ```ts
 * const { expiresInDays } = checkValidity(leaf, clock.now())
 * ```
 */
export function checkValidity(certificate: X509Certificate, now: number): Validity {
  const notBefore = certificate.validFromDate.getTime()
  const notAfter = certificate.validToDate.getTime()
  if (now >= notAfter) {
    throw new CredentialError(
      `the certificate expired on ${new Date(notAfter).toISOString()} (${describeCertificate(certificate)}).`,
      { hint: 'Create a new certificate, upload it to the app registration, and use it here.' },
    )
  }
  if (now < notBefore) {
    throw new CredentialError(
      `the certificate is not valid before ${new Date(notBefore).toISOString()} (${describeCertificate(certificate)}).`,
      { hint: 'Check the system clock, or wait until the certificate is valid.' },
    )
  }
  const left = notAfter - now
  return { expiresInDays: left < EXPIRY_WARNING_MS ? Math.floor(left / 86_400_000) : undefined }
}

/**
 * `subject …, SHA-1 thumbprint …` (public facts only), for messages.
 *
 * @example
 * ```ts
 * describeCertificate(leaf) // 'subject "CN=my-app", SHA-1 thumbprint 655B…'
 * ```
 */
export function describeCertificate(certificate: X509Certificate): string {
  const sha1 = createHash('sha1').update(certificate.raw).digest('hex').toUpperCase()
  return `subject "${certificate.subject.replaceAll('\n', ', ')}", SHA-1 thumbprint ${sha1}`
}
