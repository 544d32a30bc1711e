/**
 * The type of the `mtls.ca` option, on its own so that the options (which the cache reaches) name it
 * without reaching the connections and undici (docs/architecture.md: the cache knows nothing of HTTP).
 */

/**
 * Certificate authorities trusted for the servers reached over mutual TLS, besides Node's own.
 *
 * @example
 * ```ts
 * const ca: TrustedCa = readFileSync('/etc/pki/internal-ca.pem', 'utf8')
 * ```
 */
export type TrustedCa = string | Buffer | ReadonlyArray<string | Buffer>
