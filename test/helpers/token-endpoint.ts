/**
 * A scripted token endpoint for msw: counts requests, keeps each form and its headers, and answers
 * from a queue of responses (the last one repeats).
 */
import { HttpResponse, http } from 'msw'

export const TENANT = 'f6aba1d9-da41-4ea3-8f30-4970725586a8'
export const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
export const SECRET = 'Xq8~Fake.Secret_Value-0123456789abcdefghij'
export const V2_URL = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`
export const V1_URL = `https://login.microsoftonline.com/${TENANT}/oauth2/token`

export interface SeenRequest {
  form: URLSearchParams
  headers: Headers
  url: string
}

export type Answer = Response | (() => Response | Promise<Response>)

/** A JWT-shaped (unsigned) token with `claims`, for tests that read `token.claims`. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ typ: 'JWT', alg: 'RS256', kid: 'k1' })}.${part(claims)}.c2lnbmF0dXJl`
}

/** A v2 success answer. */
export function v2Token(
  accessToken: string,
  expiresIn = 3599,
  extra: Record<string, unknown> = {},
): Response {
  return HttpResponse.json(
    {
      token_type: 'Bearer',
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: accessToken,
      ...extra,
    },
    { headers: { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' } },
  )
}

/** An Entra error answer (2024 form: trailers separated by spaces). */
export function entraError(status: number, error: string, code: number, message: string): Response {
  const description = `AADSTS${code}: ${message} Trace ID: 0b0e5c1a-0000-4000-8000-000000000001 Correlation ID: 5f1b2c3d-0000-4000-8000-000000000002 Timestamp: 2026-11-24 10:00:00Z`
  return HttpResponse.json(
    {
      error,
      error_description: description,
      error_codes: [code],
      timestamp: '2026-11-24 10:00:00Z',
      trace_id: '0b0e5c1a-0000-4000-8000-000000000001',
      correlation_id: '5f1b2c3d-0000-4000-8000-000000000002',
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
    { status },
  )
}

/** A msw handler for `url` that answers from `answers` in order (the last repeats). */
export function scriptedEndpoint(url: string, answers: Answer[]) {
  const seen: SeenRequest[] = []
  let index = 0
  const handler = http.post(url, async ({ request }) => {
    seen.push({ form: new URLSearchParams(await request.text()), headers: request.headers, url: request.url })
    const answer = answers[Math.min(index++, answers.length - 1)]
    if (answer === undefined) throw new Error('no answer scripted')
    return typeof answer === 'function' ? answer() : answer.clone()
  })
  return {
    handler,
    seen,
    get count() {
      return seen.length
    },
    /** Replaces the script (the next request takes the first new answer). */
    answer(...next: Answer[]) {
      answers = next
      index = 0
    },
  }
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.parse('2026-11-24T10:00:00Z')) {
  let now = start
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
    set(at: number) {
      now = at
    },
  }
}
