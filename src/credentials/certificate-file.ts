/**
 * The certificate credential read from one file holding key and certificate (PEM, or PKCS#12 by
 * content), as `AZURE_CLIENT_CERTIFICATE_PATH` names it. The file is read and checked at construction,
 * then looked at again at most every 30 s, only when a token must be fetched: a rotated certificate
 * is picked up without a restart, and a bad new file keeps the previous one in service (logged).
 * A reload never blocks the event loop on a PKCS#12 file's key derivation (derived beforehand, off
 * the loop); files over 1 MiB, and encrypted keys asking for more derivation work than real files
 * (`PKCS12_LIMITS`), are refused unread.
 */
import { createHash } from 'node:crypto'
import { readFileSync, type Stats, statSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { type Clock, systemClock } from '../clock.js'
import { CredentialError } from '../errors.js'
import type { Logger } from '../options.js'
import { REDACTED, redactInstances } from '../redact.js'
import {
  type AssertionSigningOptions,
  type CertificateEnvironment,
  ExpiryWarning,
  sendAssertion,
  signingSettings,
} from './certificate.js'
import {
  type AssertionAlgorithm,
  type LoadedCertificate,
  loadCertificateFile,
  type SigningSettings,
} from './certificate-material.js'
import {
  type ClientCertificate,
  clientCertificateOf,
  type PresentsCertificate,
} from './client-certificate.js'
import type { Credential, CredentialContext, CredentialRequest } from './credential.js'
import { looksLikePkcs12, Pkcs12Error, preparePkcs12 } from './pkcs12.js'
import { checkEncryptedKeyWork } from './pkcs12-crypto.js'
import { withDerivedKeys } from './pkcs12-derive.js'

/**
 * How often, at most, the file is looked at for a change.
 *
 * @example
 * ```ts
 * clock.advance(CERTIFICATE_RECHECK_MS) // the next token request looks at the file again
 * ```
 */
export const CERTIFICATE_RECHECK_MS = 30_000

/**
 * Files bigger than this are refused without being read: a key and its chain, PEM or PKCS#12, take
 * a few kilobytes.
 *
 * @example
 * ```ts
 * statSync(path).size <= MAX_CERTIFICATE_FILE_BYTES
 * ```
 */
export const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024

/**
 * Options of {@link CertificateFileCredential}.
 *
 * @example
 * ```ts
 * const options: CertificateFileCredentialOptions = { certificatePath: '/etc/app/client.pfx', passphrase: process.env.PFX_PASSWORD }
 * ```
 */
export interface CertificateFileCredentialOptions extends AssertionSigningOptions {
  /** The file: PEM holding the private key and certificate(s), or PKCS#12 (.pfx/.p12). */
  readonly certificatePath: string
  /** The passphrase of an encrypted key or PKCS#12 file. */
  readonly passphrase?: string | undefined
}

/**
 * A certificate credential backed by a file, reloaded when the file changes.
 *
 * @example
 * ```ts
 * const credential = new CertificateFileCredential({ certificatePath: '/var/run/secrets/client.pem' })
 * ```
 */
export class CertificateFileCredential implements Credential, PresentsCertificate {
  readonly kind = 'certificate' as const
  /** The file as given. */
  readonly path: string
  readonly algorithm: AssertionAlgorithm
  readonly audience: string | undefined
  readonly #absolutePath: string
  readonly #passphrase: string | undefined
  readonly #settings: SigningSettings
  readonly #logger: Logger | undefined
  readonly #expiry: ExpiryWarning
  #loaded: LoadedCertificate
  #stamp: string
  #digest: string
  #checkedAt: number
  #reported: string | undefined

  /** Reads and checks the file; throws `CredentialError` naming the path and what to fix. */
  constructor(options: CertificateFileCredentialOptions, environment: CertificateEnvironment = {}) {
    this.path = options.certificatePath
    this.#absolutePath = resolve(options.certificatePath)
    this.#passphrase = options.passphrase
    this.#settings = signingSettings(options)
    this.algorithm = this.#settings.algorithm
    this.audience = options.audience
    this.#logger = environment.logger
    this.#expiry = new ExpiryWarning(environment.logger)
    const now = (environment.clock ?? systemClock).now()
    const stats = this.#statNow()
    const contents = this.#readNow()
    this.#loaded = this.#load(contents, now)
    this.#stamp = stampOf(stats)
    this.#digest = digestOf(contents)
    this.#checkedAt = now
    this.#expiry.onLoad(this.#loaded)
  }

  /** The SHA-1 thumbprint (hex) of the certificate in service. */
  get thumbprint(): string {
    return this.#loaded.thumbprintSha1Hex
  }

  /** The expiry of the certificate in service, epoch ms. */
  get expiresAt(): number {
    return this.#loaded.expiresAt
  }

  async authenticate(request: CredentialRequest, ctx: CredentialContext): Promise<void> {
    if (ctx.reload) this.#checkedAt = Number.NEGATIVE_INFINITY // refused: look at the file now
    const loaded = await this.#current(ctx.clock, ctx.signal)
    await sendAssertion(loaded, this.audience, request, ctx, this.#expiry)
  }

  /** The certificate in service and its key, for a mutual TLS handshake; a changed file is picked up. */
  async clientCertificate(ctx: {
    readonly clock: Clock
    readonly signal: AbortSignal
  }): Promise<ClientCertificate> {
    const loaded = await this.#current(ctx.clock, ctx.signal)
    this.#expiry.onUse(loaded, ctx.clock.now())
    return clientCertificateOf(loaded)
  }

  async #current(clock: Clock, signal: AbortSignal): Promise<LoadedCertificate> {
    const now = clock.now()
    if (Math.abs(now - this.#checkedAt) < CERTIFICATE_RECHECK_MS) return this.#loaded
    this.#checkedAt = now
    try {
      await this.#reloadIfChanged(now, signal)
    } catch (error) {
      this.#report(error)
    }
    return this.#loaded
  }

  async #reloadIfChanged(now: number, signal: AbortSignal): Promise<void> {
    const stats = await stat(this.#absolutePath)
    const stamp = stampOf(stats)
    if (stamp === this.#stamp) return
    this.#checkSize(stats)
    const contents = await readFile(this.#absolutePath, { signal })
    const digest = digestOf(contents)
    if (digest !== this.#digest) {
      // a PKCS#12 file's keys are derived off the event loop first; the load below then derives nothing
      const keys = looksLikePkcs12(contents)
        ? await preparePkcs12(contents, this.#passphrase ?? '')
        : undefined
      const loaded = withDerivedKeys(keys, () => this.#load(contents, now))
      this.#loaded = loaded
      this.#digest = digest
      this.#reported = undefined
      this.#logger?.info?.('The client certificate file changed: the new certificate is in service.', {
        path: this.path,
        thumbprint: loaded.thumbprintSha1Hex,
        expiresAt: new Date(loaded.expiresAt).toISOString(),
      })
      this.#expiry.onLoad(loaded)
    }
    this.#stamp = stamp
  }

  /** Logs why a changed file was not taken, once per distinct reason. */
  #report(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error)
    if (reason === this.#reported) return
    this.#reported = reason
    this.#logger?.warn?.(
      'The client certificate file changed but cannot be used; the previous certificate stays in service.',
      {
        path: this.path,
        reason,
        code: (error as { code?: unknown }).code,
        thumbprint: this.#loaded.thumbprintSha1Hex,
      },
    )
  }

  #statNow(): Stats {
    let stats: Stats
    try {
      stats = statSync(this.#absolutePath)
    } catch (error) {
      throw unreadable(this.path, error)
    }
    this.#checkSize(stats)
    return stats
  }

  #checkSize(stats: Stats): void {
    if (stats.size <= MAX_CERTIFICATE_FILE_BYTES) return
    throw new CredentialError(
      `the certificate file ${this.path} is bigger than 1 MiB (${stats.size} bytes): it is not a key and certificate.`,
      { hint: 'Check certificatePath (AZURE_CLIENT_CERTIFICATE_PATH): it must name a PEM or PKCS#12 file.' },
    )
  }

  #readNow(): Buffer {
    try {
      return readFileSync(this.#absolutePath)
    } catch (error) {
      throw unreadable(this.path, error)
    }
  }

  #load(contents: Buffer, now: number): LoadedCertificate {
    try {
      checkPemKeyWork(contents)
      return loadCertificateFile(contents, this.#passphrase, this.#settings, now)
    } catch (error) {
      if (error instanceof Pkcs12Error)
        throw new CredentialError(`certificate file ${this.path}: ${error.message}`)
      if (!(error instanceof CredentialError)) throw error
      throw new CredentialError(`certificate file ${this.path}: ${error.message}`, {
        hint: error.hint,
        cause: error.cause,
      })
    }
  }
}
redactInstances(CertificateFileCredential, (c) => ({
  kind: c.kind,
  path: c.path,
  algorithm: c.algorithm,
  thumbprint: c.thumbprint,
  expiresAt: new Date(c.expiresAt).toISOString(),
  privateKey: REDACTED,
}))

function stampOf(stats: { ino: number; size: number; mtimeMs: number; ctimeMs: number }): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`
}

function digestOf(contents: Buffer): string {
  return createHash('sha256').update(contents).digest('hex')
}

function unreadable(path: string, error: unknown): CredentialError {
  const code = (error as { code?: unknown }).code
  return new CredentialError(`cannot read the certificate file ${path} (${String(code ?? 'error')}).`, {
    hint: 'Check certificatePath (AZURE_CLIENT_CERTIFICATE_PATH): the file must exist and be readable.',
    cause: error,
  })
}

const ENCRYPTED_PEM_KEY =
  /-----BEGIN ENCRYPTED PRIVATE KEY-----([\s\S]*?)-----END ENCRYPTED PRIVATE KEY-----/g

/**
 * Refuses an encrypted PEM key whose decryption asks for more work than real keys (node:crypto
 * would run it on the event loop, and PEM gives no way to run it elsewhere).
 */
function checkPemKeyWork(contents: Buffer): void {
  if (looksLikePkcs12(contents)) return
  for (const match of contents.toString('latin1').matchAll(ENCRYPTED_PEM_KEY)) {
    checkEncryptedKeyWork(Buffer.from(match[1] ?? '', 'base64'))
  }
}
