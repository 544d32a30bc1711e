/**
 * A managed identity as an app's credential (no secret anywhere): the identity's token for the token
 * exchange audience (`api://AzureADTokenExchange`, or the US Government / China one) is sent as the
 * `client_assertion`, trusted by a federated credential on the app registration. That token is cached
 * here and fetched again only when it is due for refresh, so each app token request costs no extra call
 * to the managed-identity endpoint while it is fresh.
 */
import type { Clock } from '../clock.js'
import type { ManagedIdentityToken } from '../managed-identity/token.js'
import type { ManagedIdentityTokenSource } from '../managed-identity/token-source.js'
import { REDACTED, redactInstances } from '../redact.js'
import { setClientAssertion } from './assertion-jwt.js'
import type { Credential, CredentialContext, CredentialRequest } from './credential.js'

/**
 * The token exchange audience of each Azure cloud (docs/entra.md: federated identity credentials).
 *
 * @example
 * ```ts
 * EXCHANGE_AUDIENCES.AzureUSGovernment // 'api://AzureADTokenExchangeUSGov'
 * ```
 */
export const EXCHANGE_AUDIENCES = Object.freeze({
  AzurePublic: 'api://AzureADTokenExchange',
  AzureUSGovernment: 'api://AzureADTokenExchangeUSGov',
  AzureChina: 'api://AzureADTokenExchangeChina',
})

/** Refresh the identity's token this long before it expires (at the latest). */
const EARLY_MS = 5 * 60_000

/**
 * Sends the managed identity's token for `audience` as the client assertion. Prints and serialises
 * without any token.
 *
 * @example
 * ```ts
 * const credential = new ManagedIdentityAssertionCredential(createManagedIdentityTokenSource({}), EXCHANGE_AUDIENCES.AzurePublic, systemClock)
 * ```
 */
export class ManagedIdentityAssertionCredential implements Credential {
  readonly kind = 'managed-identity' as const
  /** The audience asked for: the exchange audience the federated credential names. */
  readonly audience: string
  readonly #tokens: ManagedIdentityTokenSource
  readonly #clock: Clock
  #token: ManagedIdentityToken | undefined
  #flight: Promise<ManagedIdentityToken> | undefined

  constructor(tokens: ManagedIdentityTokenSource, audience: string, clock: Clock) {
    this.#tokens = tokens
    this.audience = audience
    this.#clock = clock
  }

  /** The managed-identity source that serves the assertion (`imds`, `app-service`, …). */
  get source(): string {
    return this.#tokens.source.kind
  }

  async authenticate(request: CredentialRequest, ctx: CredentialContext): Promise<void> {
    if (ctx.reload) this.#token = undefined // Entra refused it: a new one from the endpoint (docs/design.md §7)
    const token = await this.#assertion(ctx.signal)
    setClientAssertion(request.form, token.accessToken)
  }

  /** The cached identity token while fresh; otherwise the one request in flight, shared. */
  async #assertion(signal: AbortSignal): Promise<ManagedIdentityToken> {
    const cached = this.#token
    if (cached !== undefined && this.#clock.now() < Math.min(cached.refreshAt, cached.expiresAt - EARLY_MS)) {
      return cached
    }
    this.#flight ??= this.#tokens
      .getToken(this.audience, { signal })
      .then((token) => {
        this.#token = token
        return token
      })
      .finally(() => {
        this.#flight = undefined
      })
    return this.#flight
  }
}
redactInstances(ManagedIdentityAssertionCredential, (c) => ({
  kind: c.kind,
  source: c.source,
  audience: c.audience,
  clientAssertion: REDACTED,
}))
