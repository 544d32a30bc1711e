/**
 * A managed-identity token source that lives as long as a client: it detects the source once, probes
 * IMDS only until IMDS first answers, and after "unavailable" answers later calls at once with the same
 * error until a backoff (1 s, doubling, at most 30 s) has passed — then it tries the network again, so a
 * process that starts before IMDS is ready recovers without hammering it.
 */
import { systemClock } from '../clock.js'
import { detectManagedIdentitySource } from './detect.js'
import { ManagedIdentityUnavailableError } from './errors.js'
import { requestFromSource } from './request.js'
import type { ManagedIdentityRequestOptions } from './request-options.js'
import type { ManagedIdentitySource } from './source.js'
import type { ManagedIdentityToken } from './token.js'

/**
 * The first wait after "unavailable".
 *
 * @example
 * ```ts
 * clock.now() + UNAVAILABLE_FIRST_BACKOFF_MS // the first cooldown: 1 s
 * ```
 */
export const UNAVAILABLE_FIRST_BACKOFF_MS = 1_000
/**
 * The longest wait after repeated "unavailable".
 *
 * @example
 * ```ts
 * Math.min(UNAVAILABLE_MAX_BACKOFF_MS, step) // at most 30 s
 * ```
 */
export const UNAVAILABLE_MAX_BACKOFF_MS = 30_000

/**
 * The options of a token source: those of a request, less what each call gives.
 *
 * @example
 * ```ts
 * const options: ManagedIdentityTokenSourceOptions = { identity: {}, clientCapabilities: ['cp1'] }
 * ```
 */
export type ManagedIdentityTokenSourceOptions = Omit<
  ManagedIdentityRequestOptions,
  'resource' | 'signal' | 'revokedAccessToken' | 'probe' | 'source'
>

/**
 * What one call may add.
 *
 * @example
 * ```ts
 * await tokens.getToken('https://vault.azure.net', { signal: AbortSignal.timeout(5000) } satisfies ManagedIdentityCallOptions)
 * ```
 */
export interface ManagedIdentityCallOptions {
  signal?: AbortSignal | undefined
  /** A token the resource rejected (claims challenge). */
  revokedAccessToken?: string | undefined
  /** Client capabilities for this call (`['cp1']`), sent as `xms_cc`; wins over the source's. */
  clientCapabilities?: readonly string[] | undefined
}

/**
 * A long-lived source of managed-identity tokens.
 *
 * @example
 * ```ts
 * const tokens = createManagedIdentityTokenSource({ identity: { clientId } })
 * tokens.source.kind // 'imds'
 * const token = await tokens.getToken('https://vault.azure.net')
 * ```
 */
export interface ManagedIdentityTokenSource {
  /** The detected source. */
  readonly source: ManagedIdentitySource
  /** A fresh token from the endpoint (no caching here: the client's cache sits in front). */
  getToken(resource: string, call?: ManagedIdentityCallOptions): Promise<ManagedIdentityToken>
}

interface Cooldown {
  failures: number
  until: number
  last: ManagedIdentityUnavailableError | undefined
}

/**
 * Detects the source now (a malformed variable throws a ConfigurationError here) and returns a
 * {@link ManagedIdentityTokenSource}.
 *
 * @example
 * ```ts
 * const tokens = createManagedIdentityTokenSource({ imdsBaseUrl: 'http://127.0.0.1:8080' })
 * ```
 */
export function createManagedIdentityTokenSource(
  options: ManagedIdentityTokenSourceOptions = {},
): ManagedIdentityTokenSource {
  const clock = options.clock ?? systemClock
  const source = detectManagedIdentitySource(options.environment ?? process.env, {
    imdsBaseUrl: options.imdsBaseUrl,
    himdsInstalled: options.himdsInstalled,
  })
  let answered = false
  const cooldown: Cooldown = { failures: 0, until: 0, last: undefined }
  const getToken = async (resource: string, call: ManagedIdentityCallOptions = {}) => {
    const now = clock.now()
    if (cooldown.last && now < cooldown.until) {
      throw new ManagedIdentityUnavailableError(cooldown.last.tried, {
        retryAfterMs: cooldown.until - now,
        cause: cooldown.last,
      })
    }
    try {
      const request = { ...options, ...call, resource, source, probe: !answered }
      const token = await requestFromSource(request, () => {
        answered = true
      })
      cooldown.failures = 0
      cooldown.last = undefined
      return token
    } catch (error) {
      if (error instanceof ManagedIdentityUnavailableError) {
        answered = false // probe again: it may be a silent endpoint now
        startCooldown(cooldown, error, clock.now())
      }
      throw error
    }
  }
  return Object.freeze({ source, getToken })
}

function startCooldown(cooldown: Cooldown, error: ManagedIdentityUnavailableError, now: number): void {
  const step = UNAVAILABLE_FIRST_BACKOFF_MS * 2 ** cooldown.failures
  cooldown.failures++
  cooldown.until = now + Math.min(UNAVAILABLE_MAX_BACKOFF_MS, step)
  cooldown.last = error
}
