/**
 * Folder `x509/`: certificates without openssl. `der-writer.ts` writes the ASN.1; this file builds
 * and signs the certificates.
 *
 * X.509 v3 certificates generated in pure TypeScript (DER writer + RSA-SHA256 signature from
 * node:crypto): the local authority's TLS certificate, its token-signing certificates, and test
 * certificates for client assertions. No openssl at run time.
 */
import { createHash, generateKeyPair, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto'
import { isIPv4 } from 'node:net'
import { promisify } from 'node:util'
import {
  derBitString,
  derBoolean,
  derContext,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSet,
  derSmallInteger,
  derTime,
  derUnsignedInteger,
  derUtf8String,
} from './der-writer.js'

const generateRsaKeyPair = promisify(generateKeyPair)

const OID = {
  sha256WithRsa: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const

const DAY_MS = 86_400_000

/**
 * What to put in a generated certificate.
 *
 * @example
 * ```ts
 * await generateCertificate({ commonName: 'daemon', validDays: 30 } satisfies CertificateOptions)
 * ```
 */
export interface CertificateOptions {
  /** Subject common name (`CN`). @example 'contoso-daemon' */
  commonName: string
  /** Subject organization (`O`), when wanted. */
  organization?: string
  /** DNS subject alternative names. @example ['localhost'] */
  dnsNames?: readonly string[]
  /** IPv4 subject alternative names. @example ['127.0.0.1'] */
  ipAddresses?: readonly string[]
  /** Start of validity. @defaultValue one hour ago */
  notBefore?: Date
  /** End of validity. @defaultValue `notBefore` + `validDays` */
  notAfter?: Date
  /** Lifetime in days when `notAfter` is not given. @defaultValue 365 */
  validDays?: number
  /** Sign with this certificate's key (and name it as issuer) instead of self-signing. */
  issuer?: GeneratedCertificate
  /** Mark as a CA (`basicConstraints cA`, `keyCertSign`). @defaultValue true when self-signed */
  isCa?: boolean
  /** Use this key pair instead of generating an RSA-2048 one. */
  keyPair?: { privateKey: KeyObject; publicKey: KeyObject }
}

/**
 * A generated certificate with its private key, in the forms callers need.
 *
 * @example
 * ```ts
 * const { certificatePem, privateKeyPem, thumbprintSha256 } = await generateCertificate({ commonName: 'daemon' })
 * ```
 */
export interface GeneratedCertificate {
  /** The certificate, PEM. */
  certificatePem: string
  /** The private key, PKCS#8 PEM (unencrypted: test use only). */
  privateKeyPem: string
  /** The certificate, DER. */
  der: Buffer
  privateKey: KeyObject
  publicKey: KeyObject
  /** The parsed certificate. */
  x509: X509Certificate
  /** base64url SHA-1 of the DER (`x5t`). */
  thumbprintSha1: string
  /** base64url SHA-256 of the DER (`x5t#S256`). */
  thumbprintSha256: string
  /** Upper-case hex SHA-1 of the DER, as the Azure portal shows it. */
  thumbprintHex: string
}

interface CertificateInternals {
  nameDer: Buffer
  keyIdentifier: Buffer
}

const internals = new WeakMap<GeneratedCertificate, CertificateInternals>()

/**
 * Generates an RSA-2048 X.509 v3 certificate, self-signed unless `issuer` is given.
 *
 * @example
 * ```ts
 * const tls = await generateCertificate({ commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] })
 * import { createServer } from 'node:https'
 * createServer({ key: tls.privateKeyPem, cert: tls.certificatePem })
 * ```
 */
export async function generateCertificate(options: CertificateOptions): Promise<GeneratedCertificate> {
  const keys = options.keyPair ?? (await generateRsaKeyPair('rsa', { modulusLength: 2048 }))
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' })
  const keyIdentifier = createHash('sha1').update(spki).digest()
  const nameDer = encodeName(options)
  const issuerInternals = options.issuer ? internals.get(options.issuer) : undefined
  if (options.issuer && !issuerInternals) throw new TypeError('issuer must come from generateCertificate()')
  const tbs = derSequence(
    derContext(0, derSmallInteger(2), 'explicit'),
    derUnsignedInteger(serialNumber()),
    signatureAlgorithm(),
    issuerInternals?.nameDer ?? nameDer,
    encodeValidity(options),
    nameDer,
    spki,
    derContext(3, derSequence(...extensions(options, keyIdentifier, issuerInternals)), 'explicit'),
  )
  const signingKey = options.issuer?.privateKey ?? keys.privateKey
  const der = derSequence(tbs, signatureAlgorithm(), derBitString(sign('sha256', tbs, signingKey)))
  const certificate = describe(der, keys)
  internals.set(certificate, { nameDer, keyIdentifier })
  return certificate
}

function describe(der: Buffer, keys: { privateKey: KeyObject; publicKey: KeyObject }): GeneratedCertificate {
  const sha1 = createHash('sha1').update(der).digest()
  return {
    certificatePem: toPem(der),
    privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    der,
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
    x509: new X509Certificate(der),
    thumbprintSha1: sha1.toString('base64url'),
    thumbprintSha256: createHash('sha256').update(der).digest('base64url'),
    thumbprintHex: sha1.toString('hex').toUpperCase(),
  }
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

function serialNumber(): Buffer {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] ?? 0) & 0x7f
  return bytes
}

function signatureAlgorithm(): Buffer {
  return derSequence(derOid(OID.sha256WithRsa), derNull())
}

function encodeName(options: CertificateOptions): Buffer {
  const attribute = (oid: string, value: string) => derSet(derSequence(derOid(oid), derUtf8String(value)))
  const parts = [attribute(OID.commonName, options.commonName)]
  if (options.organization !== undefined) parts.push(attribute(OID.organization, options.organization))
  return derSequence(...parts)
}

function encodeValidity(options: CertificateOptions): Buffer {
  const notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000)
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + (options.validDays ?? 365) * DAY_MS)
  return derSequence(derTime(notBefore), derTime(notAfter))
}

function extensions(
  options: CertificateOptions,
  keyIdentifier: Buffer,
  issuer: CertificateInternals | undefined,
): Buffer[] {
  const isCa = options.isCa ?? options.issuer === undefined
  const list = [
    extension(OID.basicConstraints, true, derSequence(...(isCa ? [derBoolean(true)] : []))),
    // digitalSignature (bit 0), keyEncipherment (bit 2), keyCertSign (bit 5) for a CA
    extension(
      OID.keyUsage,
      true,
      isCa ? derBitString(Buffer.from([0xa4]), 2) : derBitString(Buffer.from([0xa0]), 5),
    ),
    extension(OID.extKeyUsage, false, derSequence(derOid(OID.serverAuth), derOid(OID.clientAuth))),
    extension(OID.subjectKeyId, false, derOctetString(keyIdentifier)),
    extension(
      OID.authorityKeyId,
      false,
      derSequence(derContext(0, issuer?.keyIdentifier ?? keyIdentifier, 'implicit')),
    ),
  ]
  const altNames = subjectAltNames(options)
  if (altNames.length > 0) list.push(extension(OID.subjectAltName, false, derSequence(...altNames)))
  return list
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return derSequence(derOid(oid), ...(critical ? [derBoolean(true)] : []), derOctetString(value))
}

function subjectAltNames(options: CertificateOptions): Buffer[] {
  const dns = (options.dnsNames ?? []).map((name) => derContext(2, Buffer.from(name, 'ascii'), 'implicit'))
  const ips = (options.ipAddresses ?? []).map((ip) => {
    if (!isIPv4(ip)) throw new TypeError(`only IPv4 addresses are supported in subjectAltName: ${ip}`)
    return derContext(7, Buffer.from(ip.split('.').map(Number)), 'implicit')
  })
  return [...dns, ...ips]
}
