/**
 * Properties of the token response parser (docs/entra.md §6, §8): whatever the authority (or a proxy in its
 * place) answers, the parser returns a usable token or raises one of our two errors.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AuthorityError, ResponseFormatError } from '../../src/errors.js'
import { parseTokenResponse } from '../../src/response.js'
import type { RawResponse } from '../../src/transport.js'
import { anyText } from './arbitraries.js'

const SENT_AT = Date.parse('2026-11-24T10:00:00Z')
const YEAR_SEC = 365 * 24 * 3600
/** The cache's clock-skew margin: a token living no longer than this could never be handed out. */
const SKEW_SEC = 30

/** The parser's verdict: a token, or the error it threw. */
function verdict(response: RawResponse): void {
  let parsed: ReturnType<typeof parseTokenResponse>
  try {
    parsed = parseTokenResponse(response)
  } catch (error) {
    if (!(error instanceof AuthorityError || error instanceof ResponseFormatError)) {
      throw new Error(`parseTokenResponse threw ${String(error)}`, { cause: error })
    }
    expect(error.message.length).toBeGreaterThan(0)
    if (error instanceof AuthorityError) expect(error.status).toBe(response.status)
    return
  }
  expect(response.status).toBeGreaterThanOrEqual(200)
  expect(response.status).toBeLessThan(300)
  expect(typeof parsed.accessToken).toBe('string')
  expect(parsed.accessToken.length).toBeGreaterThan(0)
  expect(parsed.tokenType).toBe('Bearer')
  expect(Number.isFinite(parsed.expiresInSec)).toBe(true)
  expect(parsed.expiresInSec).toBeGreaterThan(SKEW_SEC)
  expect(parsed.expiresInSec).toBeLessThanOrEqual(YEAR_SEC)
  for (const optional of [parsed.extExpiresInSec, parsed.refreshInSec]) {
    if (optional !== undefined) expect(Number.isFinite(optional) && optional > 0).toBe(true)
  }
}

const status = fc.oneof(
  fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503),
  fc.integer({ min: 100, max: 599 }),
  fc.integer({ min: 0, max: 999 }),
)

const headerValue = fc.oneof(
  anyText(20),
  fc.nat().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
)
const headers = fc.dictionary(
  fc.constantFrom('retry-after', 'x-ms-request-id', 'content-type', 'www-authenticate'),
  fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 }), fc.constant(undefined)),
)

function raw(statusCode: number, text: string, h: RawResponse['headers']): RawResponse {
  return { status: statusCode, text, headers: h, sentAt: SENT_AT, clientRequestId: 'req-1' }
}

/** A value in any JSON type, or a number-like string, for each field the parser reads. */
const field = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '3599',
    '0',
    '-1',
    '1e3',
    '3599.5',
    ' 3599',
    '0x10',
    'Infinity',
    'NaN',
    '',
    'Bearer',
    'bearer',
    'BEARER',
    'pop',
  ),
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e308, -0, 5e-324, Number.MAX_SAFE_INTEGER, YEAR_SEC, YEAR_SEC + 1),
)

const jwtWithExp = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.double(), fc.integer()).map((exp) => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')
  return `${part({ alg: 'RS256' })}.${part({ exp })}.c2ln`
})

/** Bodies shaped like token or error answers, every field of any type and often missing. */
const fields = {
  access_token: fc.oneof(field, jwtWithExp, fc.string({ minLength: 1 })),
  token_type: field,
  expires_in: field,
  ext_expires_in: field,
  refresh_in: field,
  scope: field,
  resource: field,
  error: field,
  error_description: fc.oneof(
    field,
    anyText(80).map((t) => `AADSTS7000215: ${t} Trace ID: x`),
  ),
  error_codes: fc.oneof(field, fc.array(fc.oneof(fc.integer(), fc.double(), fc.string()), { maxLength: 4 })),
  trace_id: field,
  correlation_id: field,
  timestamp: field,
  error_uri: field,
}
const tokenLike = fc.record(fields, { requiredKeys: [] }).map((body) => JSON.stringify(body))
const { error: _error, ...successFields } = fields
/** Token-shaped bodies without `error`. */
const successLike = fc.record(successFields, { requiredKeys: [] }).map((body) => JSON.stringify(body))

const anyBody = fc.oneof(
  tokenLike,
  fc.json({ maxDepth: 3 }),
  anyText(200),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
  fc.constantFrom(
    '',
    ' ',
    '{',
    '[]',
    'null',
    '"x"',
    '<html>502</html>',
    '{"__proto__":{"x":1}}',
    '{"constructor":1}',
  ),
)

describe('parseTokenResponse', () => {
  it('turns any bytes, any JSON and any status into a token with a positive finite lifetime, or an AuthorityError or ResponseFormatError', () => {
    fc.assert(
      fc.property(status, anyBody, headers, (code, text, h) => {
        verdict(raw(code, text, h))
      }),
      { numRuns: 5000 },
    )
  })

  it('answers every token-shaped 2xx body either with a token or a ResponseFormatError naming a field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 299 }), successLike, (code, text) => {
        let refused: unknown
        try {
          parseTokenResponse(raw(code, text, {}))
        } catch (error) {
          refused = error
        }
        if (refused === undefined) verdict(raw(code, text, {}))
        else {
          expect(refused).toBeInstanceOf(ResponseFormatError)
          expect(['access_token', 'token_type', 'expires_in']).toContain(
            (refused as ResponseFormatError).field,
          )
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('raises an AuthorityError for every answer outside 2xx, and for every 2xx JSON object that carries error', () => {
    fc.assert(
      fc.property(status, anyBody, headers, (code, text, h) => {
        let body: unknown
        try {
          body = JSON.parse(text)
        } catch {}
        const isObject = typeof body === 'object' && body !== null && !Array.isArray(body)
        const carriesError = isObject && (body as { error?: unknown }).error !== undefined
        fc.pre(code < 200 || code >= 300 || carriesError)
        expect(() => parseTokenResponse(raw(code, text, h))).toThrow(AuthorityError)
      }),
      { numRuns: 3000 },
    )
  })

  it('reads any lifetime over the 30 s skew margin and up to a year, as a number or v1 string, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: SKEW_SEC + 1, max: YEAR_SEC }), fc.boolean(), (seconds, asString) => {
        const text = JSON.stringify({
          token_type: 'Bearer',
          access_token: 'opaque',
          expires_in: asString ? String(seconds) : seconds,
        })
        expect(parseTokenResponse(raw(200, text, {})).expiresInSec).toBe(seconds)
      }),
      { numRuns: 1000 },
    )
  })

  it('refuses a lifetime within the skew margin or over a year with a ResponseFormatError on expires_in', () => {
    const refused = fc.oneof(
      fc.double({ min: Number.MIN_VALUE, max: SKEW_SEC, noNaN: true }),
      fc.integer({ min: YEAR_SEC + 1, max: Number.MAX_SAFE_INTEGER }),
    )
    fc.assert(
      fc.property(refused, fc.boolean(), (seconds, asString) => {
        const text = JSON.stringify({
          access_token: 'opaque',
          expires_in: asString ? String(seconds) : seconds,
        })
        expect(() => parseTokenResponse(raw(200, text, {}))).toThrow(ResponseFormatError)
      }),
      { numRuns: 1000 },
    )
  })
})
