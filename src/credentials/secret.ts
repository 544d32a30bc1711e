/**
 * The client-secret credential: `client_secret` in the form (client_secret_post), or HTTP Basic with
 * the id and secret each form-urlencoded first (client_secret_basic, RFC 6749 §2.3.1).
 */
import { isGuid } from '../authority.js'
import { REDACTED, redactInstances } from '../redact.js'
import type { Credential, CredentialContext, CredentialRequest } from './credential.js'

/** How a client secret is sent. */
export type SecretAuthMethod = 'client_secret_post' | 'client_secret_basic'

/**
 * A client secret. It prints and serialises without its value.
 *
 * @example
 * ```ts
 * const credential = new ClientSecretCredential(process.env.CLIENT_SECRET!, 'client_secret_post')
 * ```
 */
export class ClientSecretCredential implements Credential {
  readonly kind = 'secret' as const
  readonly method: SecretAuthMethod
  readonly secretLooksLikeId: boolean
  readonly #secret: string

  constructor(secret: string, method: SecretAuthMethod = 'client_secret_post') {
    this.#secret = secret
    this.method = method
    this.secretLooksLikeId = isGuid(secret)
  }

  authenticate(request: CredentialRequest, ctx: CredentialContext): void {
    if (this.method === 'client_secret_basic') {
      const pair = `${formEncode(ctx.clientId)}:${formEncode(this.#secret)}`
      request.headers.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`
    } else {
      request.form.set('client_secret', this.#secret)
    }
  }
}
redactInstances(ClientSecretCredential, (c) => ({ kind: c.kind, method: c.method, clientSecret: REDACTED }))

/** `application/x-www-form-urlencoded` encoding of one value (RFC 6749 §2.3.1, Appendix B). */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1)
}
