/**
 * Signature checks against the issuer's published keys, through jose's `createRemoteJWKSet`: keys are
 * cached (`cacheMaxAgeMs`), fetched once for all concurrent callers, and refetched when a token names
 * an unknown `kid`, at most once per cool-down (`cooldownMs`), so unknown kids cannot hammer the JWKS.
 */

import type { JWSHeaderParameters, RemoteJWKSet } from 'jose'
import { LRUCache } from 'lru-cache'
import { TransportError } from '../errors.js'
import { clip, type Rejection } from './challenge.js'
import { type Jose, loadJose } from './load-jose.js'

/** How the key sets are fetched and cached. */
export interface JwksSettings {
  timeoutMs: number
  cooldownMs: number
  cacheMaxAgeMs: number
}

/** Checks signatures with the keys of a token's tenant. */
export interface SignatureChecker {
  /**
   * Resolves to the verified payload, or a rejection; rejects with a {@link TransportError} when the
   * keys cannot be fetched (not the token's fault: answer 503, not 401).
   */
  verify(
    token: string,
    context: { tenantId: string; kid: unknown },
  ): Promise<{ payload: Record<string, unknown> } | Rejection>
}

/** jose error codes that mean "the keys do not fit this token", as opposed to "no keys could be had". */
const KEY_MISMATCH = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
])

/** Key sets kept when the caller names no bound: one per tenant for a generous allow-list. */
export const DEFAULT_MAX_KEY_SETS = 64

/**
 * Creates the checker: one remote key set per JWKS URL (so per allowed tenant by default), created
 * on first use, at most `maxKeySets` of them (least recently used evicted), so no sequence of
 * tokens can grow the cache without bound.
 *
 * @example
 * ```ts
 * const checker = createSignatureChecker({ jwksUriFor: (tid) => `https://login.microsoftonline.com/${tid}/discovery/v2.0/keys`,
 *   algorithms: ['RS256'], jwks: { timeoutMs: 5000, cooldownMs: 30000, cacheMaxAgeMs: 600000 } })
 * const checked = await checker.verify(token, { tenantId: tid, kid: header.kid })
 * if ('payload' in checked) use(checked.payload)
 * ```
 */
export function createSignatureChecker(options: {
  jwksUriFor: (tenantId: string) => string
  algorithms: readonly string[]
  jwks: JwksSettings
  /** @defaultValue {@link DEFAULT_MAX_KEY_SETS} */
  maxKeySets?: number | undefined
}): SignatureChecker {
  const sets = new LRUCache<string, RemoteJWKSet>({
    max: Math.max(1, options.maxKeySets ?? DEFAULT_MAX_KEY_SETS),
  })
  const keySetFor = ({ createRemoteJWKSet }: Jose, url: string): RemoteJWKSet => {
    let set = sets.get(url)
    if (set === undefined) {
      set = createRemoteJWKSet(new URL(url), {
        timeoutDuration: options.jwks.timeoutMs,
        cooldownDuration: options.jwks.cooldownMs,
        cacheMaxAge: options.jwks.cacheMaxAgeMs,
      })
      sets.set(url, set)
    }
    return set
  }
  return {
    async verify(token, { tenantId, kid }) {
      const url = options.jwksUriFor(tenantId)
      const jose = await loadJose()
      const keySet = keySetFor(jose, url)
      const getKey = (header: JWSHeaderParameters) =>
        keySet(header).catch((cause) => keyFetchFailure(cause, url))
      try {
        const { payload } = await jose.compactVerify(token, getKey, { algorithms: [...options.algorithms] })
        return parsePayload(payload)
      } catch (cause) {
        if (cause instanceof TransportError) throw cause
        return signatureRejection(cause, kid)
      }
    },
  }
}

/** Rethrows a key mismatch as is; any other failure of the key set means the keys could not be had. */
function keyFetchFailure(cause: unknown, url: string): never {
  if (KEY_MISMATCH.has(errorCode(cause))) throw cause
  const reason = errorCode(cause) === 'ERR_JWKS_TIMEOUT' ? 'timeout' : 'network'
  const detail = cause instanceof Error ? cause.message : String(cause)
  throw new TransportError(
    reason,
    `signing keys could not be fetched from ${url}: ${detail}`,
    { url },
    {
      cause,
      retryable: true,
      hint: 'check that the API can reach the JWKS URL (jwksUri, cloud or authorityHost)',
    },
  )
}

function signatureRejection(cause: unknown, kid: unknown): Rejection {
  switch (errorCode(cause)) {
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return {
        reason: 'signature',
        description: `no signing key matches kid ${clip(kid ?? 'missing')}`,
        hint: 'an unknown kid refetches the JWKS at most once per jwks.cooldownMs; check jwksUri, cloud or authorityHost',
      }
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return { reason: 'signature', description: 'token has no kid and several signing keys could match' }
    case 'ERR_JWS_INVALID':
      return { reason: 'malformed', description: 'token is not a valid JWS' }
    default:
      return { reason: 'signature', description: 'signature verification failed' }
  }
}

function parsePayload(bytes: Uint8Array): { payload: Record<string, unknown> } | Rejection {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes))
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { payload: value as Record<string, unknown> }
    }
  } catch {}
  return { reason: 'malformed', description: 'token payload is not a JSON object' }
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : ''
}
