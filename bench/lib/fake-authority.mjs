/**
 * A minimal fake Entra ID token endpoint over https (throwaway certificate from our own
 * `generateCertificate`), and a plain node:http API, both run by the orchestrator in its own process
 * so that their work is not counted in the measured child processes.
 *
 * Why not `startLocalAuthority()`: the local authority checks a registry (every tenant, API and client
 * must be registered: 100,000 keys would mean 100,000 registered APIs) and signs every token with
 * RS256 (about 1 ms of CPU per token on a 2-core machine), which would dominate the stampede and fill
 * figures. This fake accepts any tenant, client and scope, checks nothing, and answers a JWT-shaped,
 * unsigned ~600-character token that is different on every request.
 *
 * Routes: POST /{tenant}/oauth2/v2.0/token, GET /{tenant}/v2.0/.well-known/openid-configuration,
 * GET /common/discovery/instance, and two control routes: GET /__bench/stats?client=…&tenant=…
 * (token requests and distinct client assertions of the client id, metadata requests of the tenant)
 * and POST /__bench/fault?client=…&status=…&retryAfter=…&times=…. Counts and faults are per client
 * id, so every child and repetition uses a fresh client id and sees only its own requests.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'

/** The length of every access token issued (characters). */
export const TOKEN_LENGTH = 600

/**
 * @typedef {{ token: number, assertions: number, lastAssertion: string | undefined, faults: Array<{ status: number, retryAfter: number | undefined, times: number }> }} ClientState
 */

/**
 * Starts the fake token endpoint on 127.0.0.1 (https) and the API on 127.0.0.1 (http).
 *
 * @param {{ generateCertificate: (o: object) => Promise<{ certificatePem: string, privateKeyPem: string }> }} testing
 *   the `dist/testing.js` module (for the TLS certificate)
 * @returns {Promise<{ url: string, caPem: string, apiUrl: string, totals: () => object, close: () => Promise<void> }>}
 */
export async function startFakeAuthority(testing) {
  const tls = await testing.generateCertificate({
    commonName: 'localhost',
    organization: 'oauth-client-credentials bench (throwaway)',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  })
  /** @type {Map<string, ClientState>} */
  const clients = new Map()
  /** @type {Map<string, number>} metadata requests per tenant */
  const tenants = new Map()
  const totals = { token: 0, other: 0 }
  const server = createHttpsServer({ key: tls.privateKeyPem, cert: tls.certificatePem }, (req, res) => {
    handle(req, res, { clients, tenants, totals }).catch((error) => {
      res.statusCode = 500
      res.end(String(error))
    })
  })
  server.keepAliveTimeout = 65_000
  server.maxConnections = 100_000
  const port = await listen(server)
  const url = `https://127.0.0.1:${port}`

  const api = createHttpServer((req, res) => {
    if (req.url === '/check') res.statusCode = carriesToken(req.headers) ? 200 : 401
    res.setHeader('content-type', 'text/plain')
    res.end('ok')
  })
  api.keepAliveTimeout = 65_000
  const apiPort = await listen(api)

  return {
    url,
    caPem: tls.certificatePem,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    totals: () => ({ ...totals }),
    close: async () => {
      server.closeAllConnections()
      api.closeAllConnections()
      await Promise.all([close(server), close(api)])
    },
  }
}

/** @param {import('node:net').Server} server */
function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(/** @type {{ port: number }} */ (server.address()).port))
  })
}

/** @param {import('node:net').Server} server */
function close(server) {
  return new Promise((resolve) => server.close(() => resolve(undefined)))
}

/** @param {Map<string, ClientState>} clients @param {string} id @returns {ClientState} */
function stateOf(clients, id) {
  let state = clients.get(id)
  if (state === undefined) {
    state = { token: 0, assertions: 0, lastAssertion: undefined, faults: [] }
    clients.set(id, state)
  }
  return state
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {{ clients: Map<string, ClientState>, tenants: Map<string, number>, totals: { token: number, other: number } }} state
 */
async function handle(req, res, { clients, tenants, totals }) {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1')
  const segments = url.pathname.split('/').filter(Boolean)
  if (segments[0] === '__bench') return control(req, res, url, clients, tenants)
  const body = req.method === 'POST' ? await readBody(req) : ''
  if (req.method === 'POST' && url.pathname.endsWith('/oauth2/v2.0/token')) {
    totals.token++
    return token(res, segments[0], new URLSearchParams(body), clients, req.headers.dpop !== undefined)
  }
  totals.other++
  if (req.method === 'GET' && url.pathname.endsWith('/.well-known/openid-configuration')) {
    tenants.set(segments[0], (tenants.get(segments[0]) ?? 0) + 1)
    return json(res, 200, metadata(`https://${req.headers.host}`, segments[0]))
  }
  if (req.method === 'GET' && url.pathname === '/common/discovery/instance') {
    const host = req.headers.host ?? '127.0.0.1'
    return json(res, 200, {
      tenant_discovery_endpoint: `https://${host}/common/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    })
  }
  return json(res, 404, { error: 'not_found' })
}

/**
 * A bearer token, or a DPoP token with its proof (the proof is not checked: the bench measures the
 * client's cost of making it).
 *
 * @param {import('node:http').IncomingHttpHeaders} headers
 */
function carriesToken(headers) {
  const authorization = headers.authorization ?? ''
  return (
    /^Bearer .+/.test(authorization) || (/^DPoP .+/.test(authorization) && typeof headers.dpop === 'string')
  )
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {string} tenant
 * @param {URLSearchParams} form
 * @param {Map<string, ClientState>} clients
 * @param {boolean} dpop the request carried a DPoP proof: the token is DPoP-bound (RFC 9449 §5)
 */
function token(res, tenant, form, clients, dpop) {
  const client = form.get('client_id') ?? ''
  const state = stateOf(clients, client)
  state.token++
  const assertion = form.get('client_assertion') ?? undefined
  if (assertion !== undefined && assertion !== state.lastAssertion) {
    state.assertions++
    state.lastAssertion = assertion
  }
  const fault = state.faults[0]
  if (fault !== undefined) {
    if (--fault.times <= 0) state.faults.shift()
    if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter))
    return json(res, fault.status, {
      error: fault.status === 429 ? 'temporarily_unavailable' : 'server_error',
      error_description: `AADSTS50196: bench fault ${fault.status}. Trace ID: ${randomUUID()}`,
      error_codes: [50196],
    })
  }
  const scope = form.get('scope') ?? form.get('resource') ?? ''
  return json(res, 200, {
    token_type: dpop ? 'DPoP' : 'Bearer',
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: accessToken(tenant, client, scope),
  })
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URL} url
 * @param {Map<string, ClientState>} clients
 * @param {Map<string, number>} tenants
 */
function control(req, res, url, clients, tenants) {
  const client = url.searchParams.get('client') ?? ''
  const state = stateOf(clients, client)
  if (url.pathname === '/__bench/stats') {
    const { token, assertions } = state
    const metadata = tenants.get(url.searchParams.get('tenant') ?? '') ?? 0
    return json(res, 200, { token, assertions, metadata })
  }
  if (url.pathname === '/__bench/fault' && req.method === 'POST') {
    const retryAfter = url.searchParams.get('retryAfter')
    state.faults.push({
      status: Number(url.searchParams.get('status') ?? 500),
      retryAfter: retryAfter === null ? undefined : Number(retryAfter),
      times: Number(url.searchParams.get('times') ?? 1),
    })
    return json(res, 200, { ok: true })
  }
  return json(res, 404, { error: 'not_found' })
}

/** A JWT-shaped token of exactly {@link TOKEN_LENGTH} characters, unique per call (not signed). */
function accessToken(tenant, client, scope) {
  const now = Math.floor(Date.now() / 1000)
  const header = b64({ typ: 'JWT', alg: 'RS256', kid: 'bench' })
  const payload = b64({
    aud: scope.replace(/\/\.default$/, ''),
    iss: `https://sts.windows.net/${tenant}/`,
    iat: now - 300,
    nbf: now - 300,
    exp: now + 3599,
    appid: client,
    roles: ['Bench.Read'],
    tid: tenant,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  })
  const room = Math.max(43, TOKEN_LENGTH - header.length - payload.length - 2)
  const signature = randomBytes(Math.ceil((room * 3) / 4))
    .toString('base64url')
    .slice(0, room)
  return `${header}.${payload}.${signature}`
}

function b64(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function metadata(origin, tenant) {
  const base = `${origin}/${tenant}`
  return {
    issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_types_supported: ['code', 'id_token', 'token'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
  }
}

/** @param {import('node:http').IncomingMessage} req */
async function readBody(req) {
  let body = ''
  req.setEncoding('utf8')
  for await (const chunk of req) body += chunk
  return body
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} value */
function json(res, status, value) {
  const text = JSON.stringify(value)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}
