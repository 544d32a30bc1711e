/**
 * The options of a managed-identity token request, validated once: a ConfigurationError names the
 * option and the fix before anything is sent.
 */
import { createHash } from 'node:crypto'
import type { Dispatcher } from 'undici'
import { type Clock, systemClock } from '../clock.js'
import { ConfigurationError } from '../errors.js'
import { resourceFor } from '../scope.js'
import { arcKeyDirectory } from './arc-key-file.js'
import type { EnvironmentVariables } from './detect.js'
import { type ManagedIdentityOptions, parseManagedIdentity } from './identity.js'
import { abortableSleep } from './retry-policy.js'
import type { ManagedIdentitySource, SourceRequestParameters } from './source.js'

/**
 * How long connecting may take, and how long the IMDS probe waits for any answer (see docs/managed-identity.md).
 *
 * @example
 * ```ts
 * requestManagedIdentityToken({ resource, connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS }) // 1000
 * ```
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 1_000
/**
 * How long a token request to a live endpoint may take.
 *
 * @example
 * ```ts
 * requestManagedIdentityToken({ resource, timeoutMs: DEFAULT_TIMEOUT_MS }) // 10000
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 10_000
/**
 * The largest answer read.
 *
 * @example
 * ```ts
 * requestManagedIdentityToken({ resource, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }) // 1 MiB
 * ```
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024

/**
 * The options of {@link requestManagedIdentityToken}.
 *
 * @example
 * ```ts
 * const options: ManagedIdentityRequestOptions = {
 *   resource: 'https://vault.azure.net',
 *   identity: { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' },
 *   clientCapabilities: ['cp1'],
 * }
 * ```
 */
export interface ManagedIdentityRequestOptions {
  /** The resource URI (`https://vault.azure.net`); a `/.default` suffix is dropped. */
  resource: string
  /** `{}` (default) for the system-assigned identity, or one of `clientId` / `objectId` / `resourceId`. */
  identity?: ManagedIdentityOptions | undefined
  /** The environment variables to detect the source from. @defaultValue `process.env` */
  environment?: EnvironmentVariables | undefined
  /** The IMDS base URL; wins over `AZURE_POD_IDENTITY_AUTHORITY_HOST`. @defaultValue `http://169.254.169.254` */
  imdsBaseUrl?: string | undefined
  /** An already detected source (skips detection). */
  source?: ManagedIdentitySource | undefined
  /** The undici dispatcher (not used for Service Fabric, whose certificate is pinned). */
  dispatcher?: Dispatcher | undefined
  /** @defaultValue the system clock */
  clock?: Clock | undefined
  /** Aborts the request (and any wait between retries) with the signal's reason. */
  signal?: AbortSignal | undefined
  /** Client capabilities (`['cp1']` for CAE), sent as `xms_cc`. */
  clientCapabilities?: readonly string[] | undefined
  /** A token the resource rejected (a CAE claims challenge): Service Fabric is asked to bypass it. */
  revokedAccessToken?: string | undefined
  /** Connect timeout, and the IMDS probe's whole budget. @defaultValue 1000 */
  connectTimeoutMs?: number | undefined
  /** A live endpoint's time to answer a token request. @defaultValue 10000 */
  timeoutMs?: number | undefined
  /** @defaultValue 1 MiB */
  maxResponseBytes?: number | undefined
  /** Probe IMDS before asking it for a token. @defaultValue true */
  probe?: boolean | undefined
  /** Waits between retries (tests pass one that moves a fake clock). @defaultValue a timer */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined
  /** Where Azure Arc key files may be read (tests). @defaultValue the platform's agent directory */
  arcKeyDirectory?: string | undefined
  /** Whether the Azure Arc agent is installed (tests). @defaultValue looks for its executable */
  himdsInstalled?: (() => boolean) | undefined
}

/**
 * The options, checked and with their defaults.
 *
 * @example
 * ```ts
 * const { parameters, timeoutMs }: ResolvedRequestOptions = resolveRequestOptions({ resource })
 * ```
 */
export interface ResolvedRequestOptions {
  parameters: SourceRequestParameters
  clock: Clock
  signal: AbortSignal | undefined
  connectTimeoutMs: number
  timeoutMs: number
  maxResponseBytes: number
  probe: boolean
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  arcKeyDirectory: string | undefined
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (Number.isSafeInteger(value) && value > 0) return value
  throw new ConfigurationError(
    name,
    `must be a positive whole number of ${name.endsWith('Bytes') ? 'bytes' : 'ms'}.`,
  )
}

function capabilities(value: readonly string[] | undefined): readonly string[] {
  for (const [i, capability] of (value ?? []).entries()) {
    if (typeof capability !== 'string' || !/^[A-Za-z0-9_-]+$/.test(capability)) {
      throw new ConfigurationError(`clientCapabilities[${i}]`, 'must be a capability name such as cp1.', {
        hint: "Entra knows 'cp1' (Continuous Access Evaluation).",
      })
    }
  }
  return Object.freeze([...(value ?? [])])
}

/**
 * Checks `options` and fills in the defaults.
 *
 * @example
 * ```ts
 * resolveRequestOptions({ resource: 'https://vault.azure.net/.default' }).parameters.resource // 'https://vault.azure.net'
 * ```
 */
export function resolveRequestOptions(options: ManagedIdentityRequestOptions): ResolvedRequestOptions {
  const revoked = options.revokedAccessToken
  return {
    parameters: {
      resource: resourceFor(options.resource),
      identity: parseManagedIdentity(options.identity),
      clientCapabilities: capabilities(options.clientCapabilities),
      revokedTokenSha256: revoked ? createHash('sha256').update(revoked).digest('hex') : undefined,
    },
    clock: options.clock ?? systemClock,
    signal: options.signal,
    connectTimeoutMs: positiveInteger(
      'connectTimeoutMs',
      options.connectTimeoutMs,
      DEFAULT_CONNECT_TIMEOUT_MS,
    ),
    timeoutMs: positiveInteger('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS),
    maxResponseBytes: positiveInteger(
      'maxResponseBytes',
      options.maxResponseBytes,
      DEFAULT_MAX_RESPONSE_BYTES,
    ),
    probe: options.probe ?? true,
    sleep: options.sleep ?? abortableSleep,
    arcKeyDirectory:
      options.arcKeyDirectory ?? arcKeyDirectory(process.platform, options.environment ?? process.env),
  }
}
