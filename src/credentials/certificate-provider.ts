/**
 * The certificate credential given as a provider (`credential: { certificate: async () => ({ privateKey,
 * certificate }) }`): called for every token request attempt (never on a cache hit), its answer checked
 * by the same schema as a certificate given as values, and imported only when it differs from the last
 * one — so a provider that reads two files costs a comparison, not a key import, per token.
 */
import { type Clock, systemClock } from '../clock.js'
import type { CertificateKeyOptions } from '../credential-options.js'
import { certificateKeySchema } from '../credential-schema.js'
import { CredentialError } from '../errors.js'
import { REDACTED, redactInstances } from '../redact.js'
import { type CertificateEnvironment, ExpiryWarning, sendAssertion, signingSettings } from './certificate.js'
import { type LoadedCertificate, loadCertificate } from './certificate-material.js'
import type { Credential, CredentialContext, CredentialRequest } from './credential.js'
import { type CertificateProvider, callProvider, providerAnswerError } from './provider.js'

const FIELD = 'credential.certificate'

/**
 * A certificate credential whose key and certificate come from a provider. Prints and serialises with
 * the thumbprint in service (if any), never its key.
 *
 * @example
 * ```ts
 * const credential = new CertificateProviderCredential(async () => ({ privateKey: await readFile('key.pem', 'utf8') }))
 * ```
 */
export class CertificateProviderCredential implements Credential {
  readonly kind = 'certificate' as const
  readonly #provider: CertificateProvider
  readonly #expiry: ExpiryWarning
  readonly #clock: Clock
  #last: { input: CertificateKeyOptions; loaded: LoadedCertificate } | undefined

  constructor(provider: CertificateProvider, environment: CertificateEnvironment = {}) {
    this.#provider = provider
    this.#expiry = new ExpiryWarning(environment.logger)
    this.#clock = environment.clock ?? systemClock
  }

  /** The SHA-1 thumbprint (hex) of the certificate last used, if any. */
  get thumbprint(): string | undefined {
    return this.#last?.loaded.thumbprintSha1Hex
  }

  async authenticate(request: CredentialRequest, ctx: CredentialContext): Promise<void> {
    const answer: unknown = await callProvider(FIELD, this.#provider, {
      signal: ctx.signal,
      reload: ctx.reload === true,
    })
    const input = checked(answer)
    const last = this.#last
    const loaded = last && sameInput(last.input, input) ? last.loaded : this.#load(input)
    await sendAssertion(loaded, input.audience, request, ctx, this.#expiry)
  }

  #load(input: CertificateKeyOptions): LoadedCertificate {
    let loaded: LoadedCertificate
    try {
      loaded = loadCertificate(input, signingSettings(input), this.#clock.now())
    } catch (error) {
      if (!(error instanceof CredentialError)) throw error
      throw new CredentialError(
        `the ${FIELD} provider returned a key or certificate that cannot be used: ${error.message}`,
        {
          hint: error.hint,
          cause: error.cause,
        },
      )
    }
    this.#last = { input, loaded }
    this.#expiry.onLoad(loaded)
    return loaded
  }
}
redactInstances(CertificateProviderCredential, (c) => ({
  kind: c.kind,
  source: 'provider',
  thumbprint: c.thumbprint,
  privateKey: REDACTED,
}))

function checked(answer: unknown): CertificateKeyOptions {
  const result = certificateKeySchema().safeParse(answer)
  if (result.success) return result.data
  const [issue] = result.error.issues
  const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : ''
  throw providerAnswerError(
    FIELD,
    `returned what is not { privateKey, certificate?, passphrase? }${where}: ${issue?.message ?? 'invalid'}`,
  )
}

const COMPARED = [
  'privateKey',
  'certificate',
  'passphrase',
  'algorithm',
  'sendCertificateChain',
  'keyId',
] as const

/** Whether two answers hold the same material (strings by value, bytes by content, objects by identity). */
function sameInput(a: CertificateKeyOptions, b: CertificateKeyOptions): boolean {
  return COMPARED.every((key) => sameValue(a[key], b[key]))
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b))
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
  return false
}
