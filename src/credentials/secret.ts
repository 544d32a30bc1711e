/**
 * The client-secret credential: `client_secret` in the form (client_secret_post), or HTTP Basic with
 * the id and secret each form-urlencoded first (client_secret_basic, RFC 6749 §2.3.1).
 */
import { isGuid } from '../authority.js'
import { REDACTED, redactInstances } from '../redact.js'
import type { Credential, CredentialContext, CredentialRequest } from './credential.js'
import { type ClientSecretProvider, callProvider, providerAnswerError } from './provider.js'

/** How a client secret is sent. */
export type SecretAuthMethod = 'client_secret_post' | 'client_secret_basic'

/**
 * A client secret, or a provider of it (called for every token request attempt, never on a cache hit,
 * with `reload: true` after the authority refused the last value). It prints and serialises without
 * its value.
 *
 * @example
 * ```ts
 * const credential = new ClientSecretCredential(process.env.CLIENT_SECRET!, 'client_secret_post')
 * const rotating = new ClientSecretCredential(async () => vault.getSecret('client-secret'))
 * ```
 */
export class ClientSecretCredential implements Credential {
  readonly kind = 'secret' as const
  readonly method: SecretAuthMethod
  /** `static` for a string, `provider` for a function. */
  readonly source: 'static' | 'provider'
  readonly #secret: string | ClientSecretProvider
  #lastLooksLikeId: boolean

  constructor(secret: string | ClientSecretProvider, method: SecretAuthMethod = 'client_secret_post') {
    this.#secret = secret
    this.method = method
    this.source = typeof secret === 'string' ? 'static' : 'provider'
    this.#lastLooksLikeId = typeof secret === 'string' && isGuid(secret)
  }

  /** Whether the secret last sent looks like a Secret ID (a GUID) rather than its Value. */
  get secretLooksLikeId(): boolean {
    return this.#lastLooksLikeId
  }

  async authenticate(request: CredentialRequest, ctx: CredentialContext): Promise<void> {
    const secret = await this.#current(ctx)
    if (this.method === 'client_secret_basic') {
      const pair = `${formEncode(ctx.clientId)}:${formEncode(secret)}`
      request.headers.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`
    } else {
      request.form.set('client_secret', secret)
    }
  }

  async #current(ctx: CredentialContext): Promise<string> {
    const secret = this.#secret
    if (typeof secret === 'string') return secret
    const field = 'credential.clientSecret'
    const value: unknown = await callProvider(field, secret, {
      signal: ctx.signal,
      reload: ctx.reload === true,
    })
    if (typeof value !== 'string')
      throw providerAnswerError(field, `returned ${typeName(value)}, not a string`)
    if (value === '') throw providerAnswerError(field, 'returned an empty string')
    if (value.trim() !== value)
      throw providerAnswerError(field, 'returned a secret with whitespace around it (trim it)')
    this.#lastLooksLikeId = isGuid(value)
    return value
  }
}
redactInstances(ClientSecretCredential, (c) => ({
  kind: c.kind,
  method: c.method,
  source: c.source,
  clientSecret: REDACTED,
}))

function typeName(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`
}

/** `application/x-www-form-urlencoded` encoding of one value (RFC 6749 §2.3.1, Appendix B). */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1)
}
