import { describe, expect, expectTypeOf, it } from 'vitest'
import type { ClientCredentialsErrorUnion } from '../src/error-union.js'
import {
  AuthorityError,
  ClientClosedError,
  ConfigurationError,
  CredentialError,
  type ErrorCode,
  ResponseFormatError,
  TokenVerificationError,
  TransportError,
} from '../src/errors.js'
import { ManagedIdentityUnavailableError } from '../src/managed-identity/errors.js'

const info = { url: 'https://login.example.com/t/oauth2/v2.0/token', clientRequestId: 'r1' }

/** Reads a field only the subclass has: compiles only if `switch (err.code)` narrows. */
function detail(err: ClientCredentialsErrorUnion): string {
  switch (err.code) {
    case 'ERR_CONFIG_INVALID':
      return err.path
    case 'ERR_CREDENTIAL_INVALID':
      return err.name
    case 'ERR_TOKEN_REQUEST_FAILED':
      return err.reason
    case 'ERR_AUTHORITY_REJECTED':
      return String(err.status)
    case 'ERR_TOKEN_RESPONSE_INVALID':
      return err.field
    case 'ERR_TOKEN_REJECTED':
      return err.reason
    case 'ERR_MANAGED_IDENTITY_UNAVAILABLE':
      return err.tried.map((t) => t.url).join(' ')
    case 'ERR_CLIENT_CLOSED':
      return err.name
    default: {
      const unhandled: never = err
      return unhandled
    }
  }
}

describe('ClientCredentialsErrorUnion', () => {
  it('narrows to the subclass on err.code, and covers every code', () => {
    expectTypeOf<ClientCredentialsErrorUnion['code']>().toEqualTypeOf<ErrorCode>()
    expectTypeOf<
      Extract<ClientCredentialsErrorUnion, { code: 'ERR_TOKEN_REJECTED' }>
    >().toEqualTypeOf<TokenVerificationError>()
    const errors: ClientCredentialsErrorUnion[] = [
      new ConfigurationError('tenant', 'bad'),
      new CredentialError('bad key'),
      new TransportError('timeout', 't', info),
      new AuthorityError('a', { status: 401 }),
      new ResponseFormatError('expires_in', 'r', { status: 200 }),
      new TokenVerificationError('audience', 'v', 'Bearer error="invalid_token"'),
      new ManagedIdentityUnavailableError([
        { source: 'imds', url: 'http://127.0.0.1:1/token', outcome: 'refused' },
      ]),
      new ClientClosedError(),
    ]
    expect(errors.map(detail)).toEqual([
      'tenant',
      'CredentialError',
      'timeout',
      '401',
      'expires_in',
      'audience',
      'http://127.0.0.1:1/token',
      'ClientClosedError',
    ])
  })
})
