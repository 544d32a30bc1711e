/**
 * The client-assertion credential: a ready JWT, or a callback that produces one when a token must be
 * fetched (federated credentials from another identity provider, an HSM or a signing service).
 */
import { CredentialError } from '../errors.js'
import { REDACTED, redactInstances } from '../redact.js'
import { setClientAssertion } from './assertion-jwt.js'
import type { Credential, CredentialContext, CredentialRequest } from './credential.js'

/**
 * What an assertion callback is told about the token request it serves.
 *
 * @example
 * ```ts
 * const callback = ({ tokenEndpoint, signal }: ClientAssertionContext) => signingService.jwt(tokenEndpoint, { signal })
 * ```
 */
export interface ClientAssertionContext {
  /** The application (client) id: the assertion's `sub` (and usually `iss`). */
  readonly clientId: string
  /** The token endpoint being called: the `aud` a self-signed assertion needs. */
  readonly tokenEndpoint: string
  /** Aborted when the token request is abandoned. */
  readonly signal: AbortSignal
}

/**
 * Produces a client assertion (a JWT) for one token request. Called only when a token must be fetched
 * (never on a cache hit), once per attempt.
 *
 * @example
 * ```ts
 * const getAssertion: ClientAssertionCallback = async ({ signal }) =>
 *   (await fetch('http://signer.internal/assertion', { signal })).text()
 * ```
 */
export type ClientAssertionCallback = (context: ClientAssertionContext) => string | Promise<string>

/**
 * A client assertion given as a string or by a callback. Prints and serialises without the assertion.
 *
 * @example
 * ```ts
 * const credential = new ClientAssertionCredential(async () => readFile('/run/token', 'utf8'))
 * ```
 */
export class ClientAssertionCredential implements Credential {
  readonly kind = 'assertion' as const
  /** `static` for a string, `callback` for a function. */
  readonly source: 'static' | 'callback'
  readonly #assertion: string | ClientAssertionCallback

  constructor(assertion: string | ClientAssertionCallback) {
    if (typeof assertion === 'string' && assertion.trim() === '') {
      throw new CredentialError('clientAssertion is empty: give the JWT, or a callback that returns one.')
    }
    this.#assertion = assertion
    this.source = typeof assertion === 'string' ? 'static' : 'callback'
  }

  async authenticate(request: CredentialRequest, ctx: CredentialContext): Promise<void> {
    const assertion = this.#assertion
    const value =
      typeof assertion === 'string'
        ? assertion.trim()
        : await runCallback(assertion, {
            clientId: ctx.clientId,
            tokenEndpoint: ctx.tokenEndpoint,
            signal: ctx.signal,
          })
    setClientAssertion(request.form, value)
  }
}
redactInstances(ClientAssertionCredential, (c) => ({
  kind: c.kind,
  source: c.source,
  clientAssertion: REDACTED,
}))

async function runCallback(
  callback: ClientAssertionCallback,
  context: ClientAssertionContext,
): Promise<string> {
  let result: unknown
  try {
    result = await callback(context)
  } catch (error) {
    throw new CredentialError('the clientAssertion callback failed.', {
      hint: 'See the cause: the callback threw or its promise was rejected.',
      cause: error,
    })
  }
  if (typeof result !== 'string' || result.trim() === '') {
    const what = typeof result === 'string' ? 'an empty string' : describeType(result)
    throw new CredentialError(
      `the clientAssertion callback returned ${what}: it must return the assertion (a JWT string).`,
    )
  }
  return result.trim()
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object'
    ? 'an object'
    : typeof value === 'undefined'
      ? 'undefined'
      : `a ${typeof value}`
}
