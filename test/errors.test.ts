import { describe, expect, it } from 'vitest'
import {
  AuthorityError,
  ClientClosedError,
  ClientCredentialsError,
  ConfigurationError,
  CredentialError,
  ResponseFormatError,
  TokenVerificationError,
  TransportError,
} from '../src/errors.js'

const info = { url: 'https://login.example.com/t/oauth2/v2.0/token', clientRequestId: 'r1' }

describe('errors', () => {
  it.each([
    [new ConfigurationError('tenant', 'bad'), 'ERR_CONFIG_INVALID', 'ConfigurationError'],
    [new CredentialError('bad key'), 'ERR_CREDENTIAL_INVALID', 'CredentialError'],
    [new TransportError('timeout', 't', info), 'ERR_TOKEN_REQUEST_FAILED', 'TransportError'],
    [new AuthorityError('a', { status: 401 }), 'ERR_AUTHORITY_REJECTED', 'AuthorityError'],
    [
      new ResponseFormatError('expires_in', 'r', { status: 200 }),
      'ERR_TOKEN_RESPONSE_INVALID',
      'ResponseFormatError',
    ],
    [
      new TokenVerificationError('audience', 'v', 'Bearer error="invalid_token"'),
      'ERR_TOKEN_REJECTED',
      'TokenVerificationError',
    ],
    [new ClientClosedError(), 'ERR_CLIENT_CLOSED', 'ClientClosedError'],
  ])('%s has a stable code and name and is a ClientCredentialsError', (error, code, name) => {
    expect(error.code).toBe(code)
    expect(error.name).toBe(name)
    expect(error).toBeInstanceOf(ClientCredentialsError)
    expect(error).toBeInstanceOf(Error)
  })

  it('keeps subclasses apart under instanceof', () => {
    expect(new ConfigurationError('x', 'y')).not.toBeInstanceOf(AuthorityError)
    expect(new AuthorityError('a', { status: 500 })).not.toBeInstanceOf(ConfigurationError)
  })

  it('recognises an error from another copy of the package by its brand', () => {
    const foreign = Object.assign(new Error('copy'), {
      name: 'AuthorityError',
      code: 'ERR_AUTHORITY_REJECTED',
    })
    Object.defineProperty(foreign, Symbol.for('oauth-client-credentials.error'), { value: true })
    expect(foreign).toBeInstanceOf(AuthorityError)
    expect(foreign).toBeInstanceOf(ClientCredentialsError)
    expect(foreign).not.toBeInstanceOf(ConfigurationError)
    expect(new Error('plain')).not.toBeInstanceOf(ClientCredentialsError)
  })

  it('prefixes a configuration error with the option path', () => {
    const error = new ConfigurationError('credential.clientSecret', 'is empty')
    expect(error.message).toBe('credential.clientSecret: is empty')
    expect(error.path).toBe('credential.clientSecret')
  })

  it('serialises its fields for logs', () => {
    const error = new AuthorityError(
      'rejected',
      { status: 429, retryAfterMs: 2000 },
      { retryable: true, hint: 'wait' },
    )
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'AuthorityError',
      code: 'ERR_AUTHORITY_REJECTED',
      message: 'rejected',
      status: 429,
      retryAfterMs: 2000,
      retryable: true,
      hint: 'wait',
    })
  })

  it('answers 403 for missing roles and 401 for other rejections', () => {
    expect(new TokenVerificationError('roles', 'm', 'c').status).toBe(403)
    expect(new TokenVerificationError('expired', 'm', 'c').status).toBe(401)
  })
})
