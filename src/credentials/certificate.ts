/**
 * The certificate credential: a private key and its certificate, imported and checked once at
 * construction, signing a new client assertion (RFC 7523) for every token request attempt.
 */
import { type Clock, systemClock } from '../clock.js'
import type { Logger } from '../options.js'
import { REDACTED, redactInstances } from '../redact.js'
import { setClientAssertion, signClientAssertion } from './assertion-jwt.js'
import {
  type AssertionAlgorithm,
  type CertificateSource,
  type LoadedCertificate,
  loadCertificate,
  type SigningSettings,
} from './certificate-material.js'
import {
  type ClientCertificate,
  clientCertificateOf,
  type PresentsCertificate,
} from './client-certificate.js'
import type { Credential, CredentialContext, CredentialRequest } from './credential.js'

/**
 * How a certificate credential signs, beside its key material.
 *
 * @example
 * ```ts
 * const signing: AssertionSigningOptions = { algorithm: 'RS256', audience: 'https://idp.example.com', keyId: 'k1' }
 * ```
 */
export interface AssertionSigningOptions {
  /** `PS256` (Entra's current default) or `RS256` (ADFS, older servers). @defaultValue 'PS256' */
  readonly algorithm?: AssertionAlgorithm | undefined
  /** Send the certificate chain as `x5c` (subject name / issuer authentication). @defaultValue false */
  readonly sendCertificateChain?: boolean | undefined
  /** The assertion's `aud`. @defaultValue the token endpoint being called */
  readonly audience?: string | undefined
  /** A `kid` header, for servers that find the key by id. @defaultValue none */
  readonly keyId?: string | undefined
}

/**
 * Options of {@link CertificateCredential}.
 *
 * @example
 * ```ts
 * const options: CertificateCredentialOptions = { privateKey: keyPem, certificate: chainPem, sendCertificateChain: true }
 * ```
 */
export interface CertificateCredentialOptions extends CertificateSource, AssertionSigningOptions {}

/**
 * What a certificate credential takes from the client.
 *
 * @example
 * ```ts
 * new CertificateCredential(options, { clock: systemClock, logger: console })
 * ```
 */
export interface CertificateEnvironment {
  /** For validity checks and assertion times. @defaultValue the system clock */
  readonly clock?: Clock | undefined
  /** Warned when the certificate expires within 30 days. */
  readonly logger?: Logger | undefined
}

/**
 * The signing settings of `options`, defaults applied.
 *
 * @example
 * ```ts
 * signingSettings({}) // { algorithm: 'PS256', sendCertificateChain: false, keyId: undefined }
 * ```
 */
export function signingSettings(options: AssertionSigningOptions): SigningSettings {
  return {
    algorithm: options.algorithm ?? 'PS256',
    sendCertificateChain: options.sendCertificateChain ?? false,
    keyId: options.keyId,
  }
}

/**
 * A private key and certificate. Prints and serialises with its thumbprint, never its key.
 *
 * @example
 * ```ts
 * const credential = new CertificateCredential({
 *   privateKey: readFileSync('key.pem', 'utf8'),
 *   certificate: readFileSync('cert.pem', 'utf8'),
 * })
 * credential.thumbprint // 'A1B2…' (SHA-1, hex, as the Entra portal shows it)
 * ```
 */
export class CertificateCredential implements Credential, PresentsCertificate {
  readonly kind = 'certificate' as const
  readonly algorithm: AssertionAlgorithm
  readonly audience: string | undefined
  readonly #loaded: LoadedCertificate
  readonly #expiry: ExpiryWarning

  /** Imports and checks the key and certificate; throws `CredentialError` saying what to fix. */
  constructor(options: CertificateCredentialOptions, environment: CertificateEnvironment = {}) {
    const settings = signingSettings(options)
    this.algorithm = settings.algorithm
    this.audience = options.audience
    this.#loaded = loadCertificate(options, settings, (environment.clock ?? systemClock).now())
    this.#expiry = new ExpiryWarning(environment.logger)
    this.#expiry.onLoad(this.#loaded)
  }

  /** The certificate's SHA-1 thumbprint, hex (as the Entra portal lists it). */
  get thumbprint(): string {
    return this.#loaded.thumbprintSha1Hex
  }

  /** The certificate's expiry, epoch ms. */
  get expiresAt(): number {
    return this.#loaded.expiresAt
  }

  async authenticate(request: CredentialRequest, ctx: CredentialContext): Promise<void> {
    await sendAssertion(this.#loaded, this.audience, request, ctx, this.#expiry)
  }

  /** The certificate and key, for a mutual TLS handshake (`tls_client_auth`, mTLS PoP). */
  async clientCertificate(ctx: { readonly clock: Clock }): Promise<ClientCertificate> {
    this.#expiry.onUse(this.#loaded, ctx.clock.now())
    return clientCertificateOf(this.#loaded)
  }
}
redactInstances(CertificateCredential, (c) => ({
  kind: c.kind,
  algorithm: c.algorithm,
  thumbprint: c.thumbprint,
  expiresAt: new Date(c.expiresAt).toISOString(),
  privateKey: REDACTED,
}))

/**
 * Signs a new assertion with `loaded` for this attempt and puts it in the form.
 *
 * @example
 * ```ts
 * await sendAssertion(loaded, undefined, request, ctx, new ExpiryWarning(logger))
 * ```
 */
export async function sendAssertion(
  loaded: LoadedCertificate,
  audience: string | undefined,
  request: CredentialRequest,
  ctx: CredentialContext,
  expiry: ExpiryWarning,
): Promise<void> {
  const now = ctx.clock.now()
  expiry.onUse(loaded, now)
  const assertion = await signClientAssertion(loaded, {
    clientId: ctx.clientId,
    audience: audience ?? ctx.tokenEndpoint,
    now,
  })
  setClientAssertion(request.form, assertion)
}

/**
 * Logs (once per certificate) that it expires soon, or has expired while in service.
 *
 * @example
 * ```ts
 * const expiry = new ExpiryWarning(console)
 * expiry.onLoad(loaded) // warns when under 30 days are left
 * ```
 */
export class ExpiryWarning {
  readonly #logger: Logger | undefined
  #warnedExpired: LoadedCertificate | undefined

  constructor(logger: Logger | undefined) {
    this.#logger = logger
  }

  /** After a certificate is loaded: warn when it expires within 30 days. */
  onLoad(loaded: LoadedCertificate): void {
    if (loaded.expiresInDays === undefined) return
    this.#logger?.warn?.(
      `The client certificate expires in ${loaded.expiresInDays} day(s): create a new one and upload it before then.`,
      { thumbprint: loaded.thumbprintSha1Hex, expiresAt: new Date(loaded.expiresAt).toISOString() },
    )
  }

  /** Before signing: warn once when the certificate has expired since it was loaded. */
  onUse(loaded: LoadedCertificate, now: number): void {
    if (now < loaded.expiresAt || this.#warnedExpired === loaded) return
    this.#warnedExpired = loaded
    this.#logger?.warn?.('The client certificate has expired: the authority will refuse it. Rotate it.', {
      thumbprint: loaded.thumbprintSha1Hex,
      expiresAt: new Date(loaded.expiresAt).toISOString(),
    })
  }
}
