import { describe, expect, it } from 'vitest'
import { AuthorityError, ResponseFormatError } from '../src/errors.js'
import { parseTokenResponse, stripTrailers } from '../src/response.js'
import type { RawResponse } from '../src/transport.js'

const SENT_AT = Date.parse('2026-11-24T10:00:00Z')

function raw(status: number, text: string, headers: RawResponse['headers'] = {}): RawResponse {
  return { status, text, headers, sentAt: SENT_AT, clientRequestId: 'req-1' }
}

function rejectionOf(response: RawResponse, ctx = {}): unknown {
  try {
    parseTokenResponse(response, ctx)
  } catch (error) {
    return error
  }
  throw new Error('expected the answer to be refused')
}

describe('success answers', () => {
  it('reads a v2 body with numbers', () => {
    const body = '{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0eXAi"}'
    expect(parseTokenResponse(raw(200, body))).toEqual({
      accessToken: 'eyJ0eXAi',
      tokenType: 'Bearer',
      expiresInSec: 3599,
      extExpiresInSec: 3599,
      refreshInSec: undefined,
      scope: undefined,
      resource: undefined,
    })
  })

  it('reads a v1 body whose numbers are strings', () => {
    const body = JSON.stringify({
      token_type: 'Bearer',
      expires_in: '3599',
      ext_expires_in: '3599',
      expires_on: '1597522331',
      not_before: '1597518431',
      resource: 'https://management.azure.com',
      access_token: 'eyJ0eXAi',
    })
    const parsed = parseTokenResponse(raw(200, body))
    expect(parsed.expiresInSec).toBe(3599)
    expect(parsed.extExpiresInSec).toBe(3599)
    expect(parsed.resource).toBe('https://management.azure.com')
  })

  it('reads refresh_in as a number or a string, and lets ext_expires_in be absent', () => {
    expect(
      parseTokenResponse(
        raw(200, '{"token_type":"Bearer","expires_in":86399,"refresh_in":43200,"access_token":"a"}'),
      ).refreshInSec,
    ).toBe(43200)
    const v1 = parseTokenResponse(
      raw(200, '{"token_type":"Bearer","expires_in":"86399","refresh_in":"43200","access_token":"a"}'),
    )
    expect(v1.refreshInSec).toBe(43200)
    expect(v1.extExpiresInSec).toBeUndefined()
  })

  it('accepts bearer in any case and a missing token_type', () => {
    expect(
      parseTokenResponse(raw(200, '{"token_type":"bearer","expires_in":60,"access_token":"a"}')).tokenType,
    ).toBe('Bearer')
    expect(parseTokenResponse(raw(200, '{"expires_in":60,"access_token":"a"}')).tokenType).toBe('Bearer')
  })

  it('accepts DPoP (any case) only when the client asked with DPoP, and then nothing else', () => {
    const dpop = raw(200, '{"token_type":"dpop","expires_in":60,"access_token":"a"}')
    expect(parseTokenResponse(dpop, { dpop: true }).tokenType).toBe('DPoP')
    const refused = rejectionOf(dpop)
    expect(refused).toBeInstanceOf(ResponseFormatError)
    expect((refused as ResponseFormatError).message).toMatch(
      /token_type is "DPoP": the server bound the token to a key/,
    )
    for (const body of [
      '{"token_type":"Bearer","expires_in":60,"access_token":"a"}',
      '{"expires_in":60,"access_token":"a"}',
      '{"token_type":"mtls_pop","expires_in":60,"access_token":"a"}',
    ]) {
      const error = rejectionOf(raw(200, body), { dpop: true })
      expect(error).toBeInstanceOf(ResponseFormatError)
      expect((error as ResponseFormatError).message).toMatch(/not DPoP: the server did not bind the token/)
    }
  })

  it('takes the lifetime from the JWT exp claim when expires_in is missing', () => {
    const payload = Buffer.from(JSON.stringify({ exp: SENT_AT / 1000 + 600 })).toString('base64url')
    const parsed = parseTokenResponse(
      raw(200, JSON.stringify({ token_type: 'Bearer', access_token: `h.${payload}.s` })),
    )
    expect(parsed.expiresInSec).toBe(600)
  })
})

describe('success answers that are not usable', () => {
  it.each([
    ['missing access_token', '{"token_type":"Bearer","expires_in":3599}', 'access_token'],
    ['empty access_token', '{"token_type":"Bearer","expires_in":3599,"access_token":""}', 'access_token'],
    ['numeric access_token', '{"token_type":"Bearer","expires_in":3599,"access_token":42}', 'access_token'],
    ['expires_in of 0', '{"token_type":"Bearer","expires_in":0,"access_token":"a"}', 'expires_in'],
    ['negative expires_in', '{"token_type":"Bearer","expires_in":-5,"access_token":"a"}', 'expires_in'],
    ['expires_in of letters', '{"token_type":"Bearer","expires_in":"abc","access_token":"a"}', 'expires_in'],
    [
      'expires_in inside the 30 s skew margin',
      '{"token_type":"Bearer","expires_in":30,"access_token":"a"}',
      'expires_in',
    ],
    ['huge expires_in', '{"token_type":"Bearer","expires_in":99999999999,"access_token":"a"}', 'expires_in'],
    [
      'missing expires_in on an opaque token',
      '{"token_type":"Bearer","access_token":"opaque"}',
      'expires_in',
    ],
    ['a MAC token', '{"token_type":"mac","expires_in":3599,"access_token":"a"}', 'token_type'],
    ['an HTML page', '<html><body>Hello</body></html>', 'body'],
    ['an empty body', '', 'body'],
    ['truncated JSON', '{"token_type":"Bearer","expires_in":35', 'body'],
    ['a JSON array', '[1,2]', 'body'],
  ])('refuses %s, naming the field', (_, text, field) => {
    const error = rejectionOf(raw(200, text))
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect((error as ResponseFormatError).code).toBe('ERR_TOKEN_RESPONSE_INVALID')
    expect((error as ResponseFormatError).field).toBe(field)
    expect((error as ResponseFormatError).message).toContain(field)
  })
})

describe('a token that cannot be sent in an HTTP header is refused at parse time (issue 13 finding 11)', () => {
  it.each([
    ['a CR/LF (header injection)', 'eyJhbGci\r\nX-Injected: 1'],
    ['a lone LF', 'abc\ndef'],
    ['a NUL', 'abc\u0000def'],
    ['a tab', 'abc\tdef'],
    ['a space', 'abc def'],
    ['a DEL', 'abc\u007fdef'],
    ['a Latin-1 letter', 'abc\u00e9def'],
    ['a character outside Latin-1', 'abc\u20acdef'],
    ['an emoji', 'abc\ud83d\ude00def'],
  ])('refuses a token holding %s, without printing it', (_, accessToken) => {
    const body = JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: accessToken })
    const error = rejectionOf(raw(200, body)) as ResponseFormatError
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect(error.field).toBe('access_token')
    expect(`${error.message} ${error.hint ?? ''} ${JSON.stringify(error)}`).not.toContain(accessToken)
    expect(error.message).not.toMatch(/abc|def/)
  })

  it('accepts every visible ASCII character', () => {
    let visible = ''
    for (let c = 0x21; c <= 0x7e; c++) visible += String.fromCharCode(c)
    const body = JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: visible })
    expect(parseTokenResponse(raw(200, body)).accessToken).toBe(visible)
  })
})

describe('expires_in that JSON reads as infinite', () => {
  it('reports 1e400 as not a finite number, not as null', () => {
    const error = rejectionOf(
      raw(200, '{"token_type":"Bearer","expires_in":1e400,"access_token":"a"}'),
    ) as ResponseFormatError
    expect(error.field).toBe('expires_in')
    expect(error.message).not.toContain('null')
    expect(error.message).toMatch(/Infinity/)
  })
})

describe('error answers', () => {
  const newForm = {
    error: 'invalid_client',
    error_description:
      "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'. Trace ID: 0b0e5c1a-1111-4000-8000-000000000001 Correlation ID: 5f1b2c3d-2222-4000-8000-000000000002 Timestamp: 2026-11-24 10:00:00Z",
    error_codes: [7000215],
    timestamp: '2026-11-24 10:00:00Z',
    trace_id: '0b0e5c1a-1111-4000-8000-000000000001',
    correlation_id: '5f1b2c3d-2222-4000-8000-000000000002',
    error_uri: 'https://login.microsoftonline.com/error?code=7000215',
  }

  it('turns an Entra error body into an AuthorityError with every field', () => {
    const error = rejectionOf(raw(401, JSON.stringify(newForm))) as AuthorityError
    expect(error).toBeInstanceOf(AuthorityError)
    expect(error.code).toBe('ERR_AUTHORITY_REJECTED')
    expect(error.status).toBe(401)
    expect(error.error).toBe('invalid_client')
    expect(error.aadstsCodes).toEqual([7000215])
    expect(error.errorDescription).toMatch(
      /^AADSTS7000215: Invalid client secret provided\..*'55b2a7ec-73f3-45c2-af08-21ecc33dc40e'\.$/,
    )
    expect(error.traceId).toBe('0b0e5c1a-1111-4000-8000-000000000001')
    expect(error.correlationId).toBe('5f1b2c3d-2222-4000-8000-000000000002')
    expect(error.timestamp).toBe('2026-11-24 10:00:00Z')
    expect(error.errorUri).toBe('https://login.microsoftonline.com/error?code=7000215')
    expect(error.clientRequestId).toBe('req-1')
    expect(error.retryable).toBe(false)
    expect(error.message).toContain('AADSTS7000215')
  })

  it('strips the trailers with either separator', () => {
    const crlf =
      'AADSTS90002: Tenant not found.\r\nTrace ID: a\r\nCorrelation ID: b\r\nTimestamp: 2019-01-01 00:00:00Z'
    const spaces =
      'AADSTS90002: Tenant not found. Trace ID: a Correlation ID: b Timestamp: 2026-01-01 00:00:00Z'
    expect(stripTrailers(crlf)).toBe('AADSTS90002: Tenant not found.')
    expect(stripTrailers(spaces)).toBe('AADSTS90002: Tenant not found.')
    const legacy = { error: 'invalid_request', error_description: crlf, error_codes: [70002, 50012] }
    const error = rejectionOf(raw(400, JSON.stringify(legacy))) as AuthorityError
    expect(error.errorDescription).toBe('AADSTS90002: Tenant not found.')
    expect(error.aadstsCodes).toEqual([70002, 50012])
  })

  it('reads the AADSTS code from the description when error_codes is missing', () => {
    const body = {
      error: 'invalid_scope',
      error_description: 'AADSTS1002012: The provided value for scope is not valid.',
    }
    const error = rejectionOf(raw(400, JSON.stringify(body))) as AuthorityError
    expect(error.aadstsCodes).toEqual([1002012])
    expect(error.hint).toContain('/.default')
  })

  it('says the Secret ID was sent when the configured secret is GUID-shaped and the answer is 7000215', () => {
    const guidSecret = rejectionOf(raw(401, JSON.stringify(newForm)), {
      secretLooksLikeId: true,
    }) as AuthorityError
    expect(guidSecret.hint).toContain('Secret ID')
    expect(guidSecret.hint).toContain('Value')
    const other = rejectionOf(raw(401, JSON.stringify(newForm)), {
      secretLooksLikeId: false,
    }) as AuthorityError
    expect(other.hint).not.toContain('looks like')
  })

  it.each([
    [7000222, 'expired'],
    [700016, 'client id'],
    [500011, 'App ID URI'],
    [90002, 'tenant'],
    [700027, 'certificate'],
    [700024, 'clock'],
  ])('gives a hint for AADSTS%d', (code, words) => {
    const body = { error: 'invalid_client', error_description: `AADSTS${code}: x`, error_codes: [code] }
    expect((rejectionOf(raw(400, JSON.stringify(body))) as AuthorityError).hint).toContain(words)
  })

  it('treats a 200 that carries error as an error', () => {
    const error = rejectionOf(
      raw(200, JSON.stringify({ error: 'invalid_request', error_description: 'nope' })),
    )
    expect(error).toBeInstanceOf(AuthorityError)
    expect((error as AuthorityError).status).toBe(200)
    expect((error as AuthorityError).error).toBe('invalid_request')
  })

  it('turns a plain-text 429 into a retryable throttling error with Retry-After', () => {
    const error = rejectionOf(raw(429, 'Too Many Requests', { 'retry-after': '60' })) as AuthorityError
    expect(error).toBeInstanceOf(AuthorityError)
    expect(error.status).toBe(429)
    expect(error.retryable).toBe(true)
    expect(error.retryAfterMs).toBe(60_000)
    expect(error.message).toContain('throttled')
  })

  it('turns an HTML 502 page into a retryable error that says so', () => {
    const error = rejectionOf(
      raw(502, '<html><head><title>502 Bad Gateway</title></head></html>'),
    ) as AuthorityError
    expect(error).toBeInstanceOf(AuthorityError)
    expect(error.retryable).toBe(true)
    expect(error.status).toBe(502)
  })

  it('marks 503 temporarily_unavailable retryable and invalid_scope not', () => {
    const unavailable = {
      error: 'temporarily_unavailable',
      error_description: 'AADSTS90033: busy',
      error_codes: [90033],
    }
    expect((rejectionOf(raw(503, JSON.stringify(unavailable))) as AuthorityError).retryable).toBe(true)
    const scope = { error: 'invalid_scope', error_description: 'AADSTS1002012: bad', error_codes: [1002012] }
    expect((rejectionOf(raw(400, JSON.stringify(scope))) as AuthorityError).retryable).toBe(false)
  })

  it('takes the trace id from x-ms-request-id when the body has none', () => {
    const error = rejectionOf(raw(500, 'oops', { 'x-ms-request-id': 'trace-9' })) as AuthorityError
    expect(error.traceId).toBe('trace-9')
  })

  it('keeps the message short when the description is huge', () => {
    const body = { error: 'invalid_request', error_description: 'x'.repeat(100_000) }
    expect((rejectionOf(raw(400, JSON.stringify(body))) as AuthorityError).message.length).toBeLessThan(1000)
  })
})

describe('token_type mtls_pop (Entra mTLS PoP)', () => {
  const body = (tokenType: string | undefined) =>
    JSON.stringify({ token_type: tokenType, expires_in: 3599, access_token: 'eyJ0eXAi' })

  it('is accepted, and kept, only from a client that asked for it', () => {
    expect(parseTokenResponse(raw(200, body('mtls_pop')), { tokenType: 'mtls_pop' }).tokenType).toBe(
      'mtls_pop',
    )
    const refused = rejectionOf(raw(200, body('mtls_pop')))
    expect(refused).toBeInstanceOf(ResponseFormatError)
    expect((refused as Error).message).toContain('an mtls_pop token was not asked for')
  })

  it('must be what came back when it was asked for: a Bearer token (or none said) is refused', () => {
    for (const tokenType of ['Bearer', undefined]) {
      const refused = rejectionOf(raw(200, body(tokenType)), { tokenType: 'mtls_pop' })
      expect(refused).toBeInstanceOf(ResponseFormatError)
      expect((refused as Error).message).toContain('another kind came back')
    }
  })
})
