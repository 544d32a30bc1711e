import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { AuthorityError, ResponseFormatError } from '../../src/errors.js'
import {
  type IdentityResponse,
  LONG_LIVED_MS,
  parseManagedIdentityResponse,
} from '../../src/managed-identity/response.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()

const SENT = Date.parse('2026-03-01T08:00:00Z')
const SENT_S = SENT / 1000
const CONTEXT = { source: 'imds', resource: 'https://vault.azure.net', now: SENT } as const

function answer(body: unknown, status = 200, headers: Record<string, string> = {}): IdentityResponse {
  return { status, headers, text: typeof body === 'string' ? body : JSON.stringify(body), sentAt: SENT }
}

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('parseManagedIdentityResponse: success forms', () => {
  it.each([
    ['epoch seconds as a number', { expires_on: SENT_S + 3600 }],
    ['epoch seconds as a numeric string', { expires_on: String(SENT_S + 3600) }],
    ['an ISO 8601 date', { expires_on: new Date(SENT + 3_600_000).toISOString() }],
    ['an ISO 8601 date with an offset', { expires_on: '2026-03-01T10:00:00+01:00' }],
    ['expires_in as a string', { expires_in: '3600' }],
    ['expires_in as a number', { expires_in: 3600 }],
  ])('reads the expiry from %s', (_form, expiry) => {
    const token = parseManagedIdentityResponse(answer({ access_token: 'tok', ...expiry }), CONTEXT)
    expect(token.expiresAt).toBe(SENT + 3_600_000)
    expect(token.requestedAt).toBe(SENT)
    expect(token.tokenType).toBe('Bearer')
  })

  it('takes the earlier of expires_on and expires_in when both are given', () => {
    const token = parseManagedIdentityResponse(
      answer({ access_token: 'tok', expires_on: String(SENT_S + 7200), expires_in: '3600' }),
      CONTEXT,
    )
    expect(token.expiresAt).toBe(SENT + 3_600_000)
  })

  it('refreshes a token living over 2 h at half its life, as msal-node does', () => {
    const day = parseManagedIdentityResponse(answer({ access_token: 't', expires_in: '86400' }), CONTEXT)
    expect(day.refreshAt).toBe(SENT + 43_200_000)
    const twoHours = parseManagedIdentityResponse(
      answer({ access_token: 't', expires_in: String(LONG_LIVED_MS / 1000) }),
      CONTEXT,
    )
    expect(twoHours.refreshAt).toBe(twoHours.expiresAt)
  })

  it('uses refresh_in when the endpoint gives it (never later than the expiry)', () => {
    const token = parseManagedIdentityResponse(
      answer({ access_token: 't', expires_in: '86400', refresh_in: '600' }),
      CONTEXT,
    )
    expect(token.refreshAt).toBe(SENT + 600_000)
    const late = parseManagedIdentityResponse(
      answer({ access_token: 't', expires_in: '60', refresh_in: 600 }),
      CONTEXT,
    )
    expect(late.refreshAt).toBe(late.expiresAt)
  })

  it('keeps the echoed resource and client id, or the resource asked for', () => {
    const echoed = parseManagedIdentityResponse(
      answer({ access_token: 't', expires_in: '60', resource: 'https://vault.azure.net/', client_id: 'abc' }),
      CONTEXT,
    )
    expect(echoed.resource).toBe('https://vault.azure.net/')
    expect(echoed.clientId).toBe('abc')
    const bare = parseManagedIdentityResponse(answer({ access_token: 't', expires_in: '60' }), {
      ...CONTEXT,
      source: 'cloud-shell',
    })
    expect(bare.resource).toBe('https://vault.azure.net')
    expect(bare.clientId).toBeUndefined()
    expect(bare.source).toBe('cloud-shell')
  })

  it('accepts token_type bearer in any case, and prints without the token', () => {
    const token = parseManagedIdentityResponse(
      answer({ access_token: 'secret-token-value', expires_in: '60', token_type: 'bearer' }),
      CONTEXT,
    )
    expect(inspect(token)).not.toContain('secret-token-value')
    expect(JSON.stringify(token)).not.toContain('secret-token-value')
    expect(Object.isFrozen(token)).toBe(true)
  })

  it.each([
    ['body', 'not json'],
    ['body', '[1,2]'],
    ['access_token', { expires_in: '60' }],
    ['access_token', { access_token: '', expires_in: '60' }],
    ['token_type', { access_token: 't', expires_in: '60', token_type: 'pop' }],
    ['expires_in', { access_token: 't' }],
    ['expires_on', { access_token: 't', expires_on: '09/14/2017 00:00:00 PM +00:00' }],
    ['expires_on', { access_token: 't', expires_on: String(SENT_S - 10) }],
    ['expires_in', { access_token: 't', expires_in: '0' }],
    ['expires_in', { access_token: 't', expires_in: '-5' }],
    ['expires_on', { access_token: 't', expires_on: String(SENT + 3_600_000) }],
    ['expires_in', { access_token: 't', expires_in: String(400 * 86_400) }],
  ])('refuses a 200 whose %s is unusable', (field, body) => {
    const error = thrown(() => parseManagedIdentityResponse(answer(body), CONTEXT))
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect((error as ResponseFormatError).field).toBe(field)
  })
})

describe('parseManagedIdentityResponse: error forms', () => {
  it("reads IMDS's { error, error_description }", () => {
    const error = thrown(() =>
      parseManagedIdentityResponse(
        answer({ error: 'invalid_request', error_description: 'Identity not found' }, 400),
        CONTEXT,
      ),
    ) as AuthorityError
    expect(error).toBeInstanceOf(AuthorityError)
    expect(error.status).toBe(400)
    expect(error.error).toBe('invalid_request')
    expect(error.errorDescription).toBe('Identity not found')
    expect(error.message).toBe(
      'The IMDS managed identity endpoint answered 400 (invalid_request: Identity not found).',
    )
    expect(error.hint).toMatch(/assign the user-assigned identity/)
    expect(error.retryable).toBe(false)
  })

  it("reads App Service's { statusCode, message, correlationId }", () => {
    const body = {
      statusCode: 400,
      message: 'No MSI found for specified ClientId/ResourceId.',
      correlationId: 'c0ffee',
    }
    const error = thrown(() =>
      parseManagedIdentityResponse(answer(body, 400), { ...CONTEXT, source: 'app-service' }),
    ) as AuthorityError
    expect(error.errorDescription).toBe(body.message)
    expect(error.correlationId).toBe('c0ffee')
    expect(error.hint).toMatch(/No managed identity matches/)
  })

  it("reads Cloud Shell's and Service Fabric's { error: { code, message } }", () => {
    const body = {
      error: {
        code: 'SecretHeaderNotFound',
        message: 'Secret is not found in the request headers.',
        correlationId: 'sf-1',
      },
    }
    const error = thrown(() =>
      parseManagedIdentityResponse(answer(body, 401), { ...CONTEXT, source: 'service-fabric' }),
    ) as AuthorityError
    expect(error.error).toBe('SecretHeaderNotFound')
    expect(error.errorDescription).toBe('Secret is not found in the request headers.')
    expect(error.correlationId).toBe('sf-1')
    expect(error.hint).toMatch(/IDENTITY_HEADER/)
  })

  it('treats a 200 that carries error as an error', () => {
    const error = thrown(() =>
      parseManagedIdentityResponse(
        answer({
          error: 'invalid_resource',
          error_description: 'AADSTS500011: The resource principal named x was not found.',
        }),
        CONTEXT,
      ),
    ) as AuthorityError
    expect(error).toBeInstanceOf(AuthorityError)
    expect(error.aadstsCodes).toEqual([500011])
    expect(error.hint).toMatch(/Check the resource/)
  })

  it('reads Retry-After and marks throttling and server failures retryable', () => {
    const throttled = thrown(() =>
      parseManagedIdentityResponse(answer('Too Many Requests', 429, { 'retry-after': '7' }), CONTEXT),
    ) as AuthorityError
    expect(throttled.retryAfterMs).toBe(7000)
    expect(throttled.retryable).toBe(true)
    expect(throttled.hint).toMatch(/throttling/)
    const down = thrown(() =>
      parseManagedIdentityResponse(answer('<html>502</html>', 502), CONTEXT),
    ) as AuthorityError
    expect(down.retryable).toBe(true)
    expect(down.error).toBeUndefined()
    expect(down.message).toBe('The IMDS managed identity endpoint answered 502.')
  })

  it('cuts a very long message', () => {
    const error = thrown(() =>
      parseManagedIdentityResponse(answer({ error: 'x', error_description: 'y'.repeat(5000) }, 400), CONTEXT),
    ) as AuthorityError
    expect(error.errorDescription?.length).toBeLessThan(600)
  })
})
