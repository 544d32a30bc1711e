/**
 * What every credential kind does: add itself to one token request attempt. A credential that signs
 * (certificate) or fetches (assertion callback, federated file) does it anew for every attempt, and
 * never on a cache hit.
 */
import type { Clock } from '../clock.js'

/** The request being built, for a credential to complete. */
export interface CredentialRequest {
  /** The form body (`client_id`, `grant_type`, `scope`… are already set). */
  readonly form: URLSearchParams
  /** The request headers (e.g. `authorization` for client_secret_basic). */
  readonly headers: Record<string, string>
}

/** What a credential may need to know about the attempt. */
export interface CredentialContext {
  readonly clientId: string
  /** The exact token endpoint URL being called (an assertion's `aud`). */
  readonly tokenEndpoint: string
  readonly clock: Clock
  /** Aborted when the attempt is abandoned. */
  readonly signal: AbortSignal
  /**
   * The authority refused the credential on the previous attempt (AADSTS7000215, 700027, …): read it
   * again now (call the provider, look at the file) rather than use what is held.
   */
  readonly reload?: boolean | undefined
}

/**
 * A configured credential. Implementations hold their secret in private fields and redact themselves
 * in `util.inspect` and `JSON.stringify`.
 */
export interface Credential {
  readonly kind:
    | 'secret'
    | 'certificate'
    | 'private-key'
    | 'assertion'
    | 'federated-file'
    | 'managed-identity'
  /** Adds the credential to one token request attempt. */
  authenticate(request: CredentialRequest, ctx: CredentialContext): void | Promise<void>
  /** Whether a wrong-secret answer suggests the Secret ID was sent instead of the Value. */
  readonly secretLooksLikeId?: boolean
}
