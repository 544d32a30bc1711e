import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ClientCredentialsError, ConfigurationError } from '../../src/errors.js'
import { ManagedIdentityUnavailableError } from '../../src/managed-identity/errors.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()

const TRIED = [
  { source: 'imds', url: 'http://127.0.0.1:1/metadata/identity/oauth2/token', outcome: 'timeout' },
] as const

describe('ManagedIdentityUnavailableError', () => {
  it('has a stable code and name, is retryable, and is a ClientCredentialsError', () => {
    const error = new ManagedIdentityUnavailableError(TRIED)
    expect(error.code).toBe('ERR_MANAGED_IDENTITY_UNAVAILABLE')
    expect(error.name).toBe('ManagedIdentityUnavailableError')
    expect(error.retryable).toBe(true)
    expect(error).toBeInstanceOf(ClientCredentialsError)
    expect(error).not.toBeInstanceOf(ConfigurationError)
    expect(new ConfigurationError('x', 'y')).not.toBeInstanceOf(ManagedIdentityUnavailableError)
  })

  it('names each endpoint tried and what happened, in the message and the hint', () => {
    const error = new ManagedIdentityUnavailableError([
      ...TRIED,
      { source: 'app-service', url: 'http://127.0.0.1:2/msi/token', outcome: 'refused' },
    ])
    expect(error.message).toBe(
      'No managed identity endpoint answered: http://127.0.0.1:1/metadata/identity/oauth2/token (no answer in time), http://127.0.0.1:2/msi/token (connection refused).',
    )
    expect(error.hint).toContain('imds at http://127.0.0.1:1/metadata/identity/oauth2/token')
    expect(error.hint).toContain('app-service at http://127.0.0.1:2/msi/token')
    expect(error.hint).toMatch(/AZURE_POD_IDENTITY_AUTHORITY_HOST/)
  })

  it('serialises its fields for logs, frozen', () => {
    const error = new ManagedIdentityUnavailableError(TRIED, { retryAfterMs: 2000 })
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'ManagedIdentityUnavailableError',
      code: 'ERR_MANAGED_IDENTITY_UNAVAILABLE',
      retryable: true,
      retryAfterMs: 2000,
      tried: TRIED,
    })
    expect(Object.isFrozen(error.tried)).toBe(true)
    expect(inspect(error)).toContain('ERR_MANAGED_IDENTITY_UNAVAILABLE')
  })

  it('is recognised from another copy of the package by its brand and name', () => {
    const foreign = Object.assign(new Error('copy'), { name: 'ManagedIdentityUnavailableError' })
    Object.defineProperty(foreign, Symbol.for('oauth-client-credentials.error'), { value: true })
    expect(foreign).toBeInstanceOf(ManagedIdentityUnavailableError)
  })
})
