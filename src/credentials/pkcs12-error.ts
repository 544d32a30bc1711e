/**
 * Why a PKCS#12 file cannot be read.
 */

/**
 * Why a PKCS#12 file cannot be read; the message never holds the password or key material.
 *
 * @example
 * ```ts
 * if (error instanceof Pkcs12Error && error.reason === 'legacy') console.error(REEXPORT_HINT)
 * ```
 */
export class Pkcs12Error extends Error {
  /** `password` when the password is wrong, `legacy` for RC2/RC4 files, `format` otherwise. */
  readonly reason: 'password' | 'legacy' | 'format'
  constructor(reason: 'password' | 'legacy' | 'format', message: string) {
    super(message)
    this.reason = reason
  }
}

/**
 * A file (or encrypted key) asking for more key-derivation work than real files do: a `format` error
 * whose message says what, the limit, and how to re-export the file.
 *
 * @example
 * ```ts
 * if (error instanceof Pkcs12WorkError) logger.warn(error.message)
 * ```
 */
export class Pkcs12WorkError extends Pkcs12Error {
  constructor(message: string) {
    super('format', message)
  }
}
