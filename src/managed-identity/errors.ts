/**
 * The error a managed-identity request raises when no identity endpoint answered: nothing listens, the
 * connection timed out, or the endpoint accepted and never answered within the probe budget.
 */
import { ClientCredentialsError, type ErrorDetails } from '../errors.js'
import type { ManagedIdentitySourceKind } from './source.js'

/**
 * Why an endpoint gave no answer.
 *
 * @example
 * ```ts
 * if (error.tried[0]?.outcome === ('refused' satisfies UnreachableOutcome)) console.error('nothing listens')
 * ```
 */
export type UnreachableOutcome = 'refused' | 'timeout' | 'network'

/**
 * One endpoint we tried, and what happened.
 *
 * @example
 * ```ts
 * const tried: TriedEndpoint = { source: 'imds', url: 'http://127.0.0.1:8080/metadata/identity/oauth2/token', outcome: 'timeout' }
 * ```
 */
export interface TriedEndpoint {
  /** The source it belongs to. */
  source: ManagedIdentitySourceKind
  /** The URL called (no secret is ever part of it). */
  url: string
  /** `refused`; `timeout` (no connection, or connected and silent, within the budget); `network`. */
  outcome: UnreachableOutcome
}

/**
 * No managed-identity endpoint could be reached. Retryable: a later call tries again (a process that
 * starts before IMDS is ready recovers). `tried` names each endpoint and what happened; the hint says
 * what to check.
 *
 * @example
 * ```ts
 * try {
 *   await requestManagedIdentityToken({ resource: 'https://vault.azure.net' })
 * } catch (err) {
 *   if (err instanceof ManagedIdentityUnavailableError) console.error(err.hint, err.tried)
 * }
 * ```
 */
export class ManagedIdentityUnavailableError extends ClientCredentialsError {
  declare readonly code: 'ERR_MANAGED_IDENTITY_UNAVAILABLE'
  /** Every endpoint tried, in order. */
  readonly tried: readonly TriedEndpoint[]
  /** When a source keeps a cooldown: how long until it tries the network again, in ms. */
  readonly retryAfterMs: number | undefined

  constructor(tried: readonly TriedEndpoint[], details: ErrorDetails & { retryAfterMs?: number } = {}) {
    const list = tried.map((t) => `${t.url} (${describeOutcome(t.outcome)})`).join(', ')
    super('ERR_MANAGED_IDENTITY_UNAVAILABLE', `No managed identity endpoint answered: ${list}.`, {
      retryable: true,
      hint: details.hint ?? hintFor(tried),
      cause: details.cause,
    })
    this.tried = Object.freeze(tried.map((t) => Object.freeze({ ...t })))
    this.retryAfterMs = details.retryAfterMs
  }
}
Object.defineProperty(ManagedIdentityUnavailableError.prototype, 'name', {
  value: 'ManagedIdentityUnavailableError',
  writable: true,
  configurable: true,
})

function describeOutcome(outcome: TriedEndpoint['outcome']): string {
  switch (outcome) {
    case 'refused':
      return 'connection refused'
    case 'timeout':
      return 'no answer in time'
    default:
      return 'network error'
  }
}

function hintFor(tried: readonly TriedEndpoint[]): string {
  const endpoints = tried.map((t) => `${t.source} at ${t.url}`).join(', ')
  if (tried.some((t) => t.source === 'imds')) {
    return (
      `Tried ${endpoints}. Run this on an Azure resource with a managed identity enabled (VM, scale set, ` +
      'AKS node, Container Apps…), or point AZURE_POD_IDENTITY_AUTHORITY_HOST (or imdsBaseUrl) at an ' +
      'identity endpoint; elsewhere use another credential. A later call tries again.'
    )
  }
  return (
    `Tried ${endpoints}, the endpoint the environment names. Check that the platform's identity ` +
    'service is running (App Service, Functions, Azure Arc agent, Service Fabric, Cloud Shell, Azure ML) ' +
    'and that the variables were not copied from another machine. A later call tries again.'
  )
}
