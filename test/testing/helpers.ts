/**
 * Test helpers for the local authority suite: form POSTs over real sockets and client assertions
 * signed with test certificates. Test-only: the keys here are generated per run and never secret.
 */
import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import { SignJWT } from 'jose'
import { type Dispatcher, request } from 'undici'
import type { GeneratedCertificate } from '../../src/testing/index.js'

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

export interface Answer {
  status: number
  headers: Record<string, string>
  text: string
  json: Record<string, unknown>
}

/** POSTs a form (or any body) and reads the whole answer. */
export async function post(
  url: string,
  body: Record<string, string> | string,
  options: { headers?: Record<string, string>; dispatcher?: Dispatcher } = {},
): Promise<Answer> {
  const isForm = typeof body !== 'string'
  const res = await request(url, {
    method: 'POST',
    body: isForm ? new URLSearchParams(body).toString() : body,
    headers: {
      ...(isForm ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...options.headers,
    },
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  })
  return read(res)
}

/** GETs a URL and reads the whole answer. */
export async function get(
  url: string,
  options: { headers?: Record<string, string>; dispatcher?: Dispatcher } = {},
): Promise<Answer> {
  const res = await request(url, { method: 'GET', ...options })
  return read(res)
}

async function read(res: Dispatcher.ResponseData): Promise<Answer> {
  const text = await res.body.text()
  const headers = Object.fromEntries(
    Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
  )
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {}
  return { status: res.statusCode, headers, text, json }
}

/** The form of a secret request. */
export function secretForm(clientId: string, secret: string, scope: string): Record<string, string> {
  return { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope }
}

/** The form of a v1 secret request: `resource` instead of `scope`. */
export function secretResourceForm(
  clientId: string,
  secret: string,
  resource: string,
): Record<string, string> {
  return { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, resource }
}

export interface AssertionOptions {
  clientId: string
  audience: unknown
  certificate: GeneratedCertificate
  alg?: 'PS256' | 'RS256'
  thumbprint?: 'x5t' | 'x5t#S256' | 'none'
  /** Encode the thumbprint in standard base64 instead of base64url. */
  standardBase64?: boolean
  x5c?: GeneratedCertificate[]
  /** Epoch seconds. */
  now?: number
  lifetimeSeconds?: number
  nbf?: number
  issuer?: string
  subject?: string
  signWith?: GeneratedCertificate
}

/** Signs a client assertion the way MSAL does (PS256 + x5t#S256 by default). */
export async function clientAssertion(options: AssertionOptions): Promise<string> {
  const alg = options.alg ?? 'PS256'
  const now = options.now ?? Math.floor(Date.now() / 1000)
  const header: Record<string, unknown> = { alg, typ: 'JWT' }
  const kind = options.thumbprint ?? (alg === 'PS256' ? 'x5t#S256' : 'x5t')
  const raw = kind === 'x5t' ? options.certificate.thumbprintSha1 : options.certificate.thumbprintSha256
  const value = options.standardBase64 ? Buffer.from(raw, 'base64url').toString('base64') : raw
  if (kind !== 'none') header[kind] = value
  if (options.x5c) header.x5c = options.x5c.map((c) => c.der.toString('base64'))
  const payload = {
    aud: options.audience,
    iss: options.issuer ?? options.clientId,
    sub: options.subject ?? options.clientId,
    jti: randomUUID(),
    nbf: options.nbf ?? now,
    iat: now,
    exp: now + (options.lifetimeSeconds ?? 600),
  }
  return new SignJWT(payload as Record<string, unknown>)
    .setProtectedHeader(header as { alg: string })
    .sign((options.signWith ?? options.certificate).privateKey)
}

/** The form of an assertion request. */
export function assertionForm(clientId: string, assertion: string, scope: string): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion,
    scope,
  }
}

/** The error body keys, in Entra's order. */
export const ERROR_KEYS = [
  'error',
  'error_description',
  'error_codes',
  'timestamp',
  'trace_id',
  'correlation_id',
  'error_uri',
]

/**
 * Sends `head` (request line and headers, CRLF-separated, without the blank line) and `body` over a
 * plain socket, exactly as written, and resolves to what came back before the server closed the
 * connection (`Connection: close` is added). No client library normalises the request target.
 */
export function rawRequest(port: number, head: string, body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')))
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')))
    socket.end(`${head}\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  })
}

/** The status code of a raw answer (0 when nothing came back). */
export function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)
}
