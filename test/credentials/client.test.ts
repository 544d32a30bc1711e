import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../../src/client.js'
import type { ClientAssertionContext } from '../../src/credentials/assertion.js'
import { CERTIFICATE_RECHECK_MS } from '../../src/credentials/certificate-file.js'
import { ConfigurationError, CredentialError } from '../../src/errors.js'
import type { TokenClientOptions } from '../../src/options.js'
import { useNetwork } from '../helpers/network.js'
import { CLIENT_ID, fakeJwt, scriptedEndpoint, TENANT, V2_URL, v2Token } from '../helpers/token-endpoint.js'
import { fixtureClock, fixturePath, fixtureText, thumbprints, verifyAssertion } from './fixtures.js'

const network = useNetwork()
const API = 'api://myapis/mywebapi'
const certificate = { privateKey: fixtureText('rsa.key.pem'), certificate: fixtureText('rsa.cert.pem') }

function newClient(credential: TokenClientOptions['credential'], extra: Partial<TokenClientOptions> = {}) {
  return new TokenClient({ tenant: TENANT, clientId: CLIENT_ID, credential, clock: fixtureClock(), ...extra })
}

function unavailable(): Response {
  return HttpResponse.json(
    { error: 'temporarily_unavailable', error_description: 'AADSTS90033: busy', error_codes: [90033] },
    { status: 503, headers: { 'retry-after': '0' } },
  )
}

function headerOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8'))
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-client-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('a TokenClient with a certificate', () => {
  it('signs a new assertion (new jti) for the retry after a 503', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [unavailable(), v2Token(fakeJwt({ aud: API }))])
    network.use(endpoint.handler)
    const clock = fixtureClock()
    await newClient({ certificate }, { clock, http: { retries: 1 } }).getToken(API)
    expect(endpoint.count).toBe(2)
    const payloads = []
    for (const seen of endpoint.seen) {
      expect(seen.form.get('client_assertion_type')).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      )
      expect(seen.form.has('client_secret')).toBe(false)
      const { payload } = await verifyAssertion(
        seen.form.get('client_assertion') ?? '',
        'rsa.cert.pem',
        'PS256',
        clock.now(),
      )
      expect(payload.aud).toBe(V2_URL)
      payloads.push(payload)
    }
    expect(payloads[0]?.jti).not.toBe(payloads[1]?.jti)
    expect(endpoint.seen[0]?.form.get('client_assertion')).not.toBe(
      endpoint.seen[1]?.form.get('client_assertion'),
    )
  })

  it('signs nothing on cache hits', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ aud: API }))])
    network.use(endpoint.handler)
    const client = newClient({ certificate })
    for (let i = 0; i < 100; i++) await client.getToken(API)
    expect(endpoint.count).toBe(1)
  })

  it('refuses at construction a certificate that cannot be used', () => {
    const attempt = () =>
      newClient({ certificate: { ...certificate, certificate: fixtureText('expired.cert.pem') } })
    expect(attempt).toThrow(CredentialError)
  })

  it('uses a rotated certificate file on the next token request after 30 s, without a restart', async () => {
    const path = join(dir, 'client.pem')
    copyFileSync(fixturePath('rsa.combined.pem'), path)
    const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ aud: API }))])
    network.use(endpoint.handler)
    const clock = fixtureClock()
    const client = newClient({ certificatePath: path }, { clock })
    await client.getToken(API)
    copyFileSync(fixturePath('other.combined.pem'), `${path}.new`)
    renameSync(`${path}.new`, path)
    clock.advance(CERTIFICATE_RECHECK_MS)
    await client.getToken(API) // a cache hit: the file is not looked at
    await client.getToken(API, { forceRefresh: true })
    const sent = endpoint.seen.map((s) => headerOf(s.form.get('client_assertion') ?? '')['x5t#S256'])
    expect(sent).toEqual([thumbprints('rsa').x5tS256, thumbprints('other').x5tS256])
  })
})

describe('a TokenClient with an assertion callback', () => {
  it('calls the callback once for the first fetch and zero times for 1,000 cache hits', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ aud: API }))])
    network.use(endpoint.handler)
    const callback = vi.fn(async (_context: ClientAssertionContext) => 'header.payload.signature')
    const client = newClient({ clientAssertion: callback })
    await client.getToken(API)
    expect(callback).toHaveBeenCalledOnce()
    for (let i = 0; i < 1000; i++) await client.getToken(API)
    expect(callback).toHaveBeenCalledOnce()
    expect(endpoint.count).toBe(1)
    expect(endpoint.seen[0]?.form.get('client_assertion')).toBe('header.payload.signature')
    expect(callback.mock.calls[0]?.[0]).toMatchObject({ clientId: CLIENT_ID, tokenEndpoint: V2_URL })
  })

  it('calls the callback again for each retry', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [unavailable(), v2Token(fakeJwt({ aud: API }))])
    network.use(endpoint.handler)
    let n = 0
    const client = newClient({ clientAssertion: () => `assertion.${++n}.x` }, { http: { retries: 1 } })
    await client.getToken(API)
    expect(endpoint.seen.map((s) => s.form.get('client_assertion'))).toEqual([
      'assertion.1.x',
      'assertion.2.x',
    ])
  })

  it('rejects getToken with a CredentialError when the callback fails, without a request', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ aud: API }))])
    network.use(endpoint.handler)
    const client = newClient({ clientAssertion: () => Promise.reject(new Error('signer down')) })
    await expect(client.getToken(API)).rejects.toMatchObject({ code: 'ERR_CREDENTIAL_INVALID' })
    expect(endpoint.count).toBe(0)
  })
})

describe('a TokenClient with a federated token file', () => {
  it('re-reads the file for every token request', async () => {
    const path = join(dir, 'azure-identity-token')
    writeFileSync(path, 'kube.token.one')
    const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ aud: API }))])
    network.use(endpoint.handler)
    const client = newClient({ federatedTokenFile: path })
    await client.getToken(API)
    writeFileSync(path, 'kube.token.two')
    await client.getToken('https://graph.microsoft.com')
    await client.getToken(API, { forceRefresh: true })
    expect(endpoint.seen.map((s) => s.form.get('client_assertion'))).toEqual([
      'kube.token.one',
      'kube.token.two',
      'kube.token.two',
    ])
  })
})

describe('private_key_jwt with a generic server', () => {
  it('sends the assertion with the configured audience and kid to any RFC 7523 token endpoint', async () => {
    const url = 'https://idp.example.com/realms/demo/protocol/openid-connect/token'
    const endpoint = scriptedEndpoint(url, [v2Token('opaque-access-token')])
    network.use(endpoint.handler)
    const clock = fixtureClock()
    const client = new TokenClient({
      tokenEndpoint: url,
      clientId: 'orders-service',
      authMethod: 'private_key_jwt',
      credential: {
        certificate: {
          ...certificate,
          algorithm: 'RS256',
          audience: 'https://idp.example.com/realms/demo',
          keyId: 'orders-2026',
        },
      },
      clock,
    })
    await client.getToken({ scope: 'orders.read' })
    const form = endpoint.seen[0]?.form
    const { header, payload } = await verifyAssertion(
      form?.get('client_assertion') ?? '',
      'rsa.cert.pem',
      'RS256',
      clock.now(),
    )
    expect(header).toMatchObject({ alg: 'RS256', kid: 'orders-2026', x5t: thumbprints('rsa').x5t })
    expect(payload).toMatchObject({
      aud: 'https://idp.example.com/realms/demo',
      iss: 'orders-service',
      sub: 'orders-service',
    })
    expect(form?.get('client_id')).toBe('orders-service')
  })

  it('sends the token endpoint as aud when no audience is configured', async () => {
    const url = 'https://idp.example.com/oauth/token'
    const endpoint = scriptedEndpoint(url, [v2Token('opaque-access-token')])
    network.use(endpoint.handler)
    const clock = fixtureClock()
    const client = new TokenClient({
      tokenEndpoint: url,
      clientId: 'svc',
      credential: { certificate },
      clock,
    })
    await client.getToken({ scope: 'read' })
    const { payload } = await verifyAssertion(
      endpoint.seen[0]?.form.get('client_assertion') ?? '',
      'rsa.cert.pem',
      'PS256',
      clock.now(),
    )
    expect(payload.aud).toBe(url)
  })
})

describe('authMethod and credential kinds', () => {
  it.each([
    ['client_secret_basic', { certificate }],
    ['client_secret_post', { certificatePath: fixturePath('rsa.combined.pem') }],
    ['client_secret_post', { clientAssertion: 'a.b.c' }],
    ['client_secret_basic', { federatedTokenFile: '/var/run/token' }],
  ] as const)('refuses %s with an assertion credential (%o)', (authMethod, credential) => {
    const attempt = () => newClient(credential, { authMethod })
    expect(attempt).toThrow(ConfigurationError)
    expect(attempt).toThrow(
      /^authMethod: '.+' sends a client secret, but the credential is .+: remove authMethod or set it to 'private_key_jwt'\.$/,
    )
  })

  it('refuses private_key_jwt with a client secret', () => {
    const attempt = () => newClient({ clientSecret: 'not-a-real-secret' }, { authMethod: 'private_key_jwt' })
    expect(attempt).toThrow(ConfigurationError)
    expect(attempt).toThrow(/^authMethod: 'private_key_jwt' signs an assertion with a private key/)
  })

  it('accepts private_key_jwt with every assertion credential', () => {
    for (const credential of [
      { certificate },
      { clientAssertion: 'a.b.c' },
      { federatedTokenFile: '/var/run/token' },
    ]) {
      expect(() => newClient(credential, { authMethod: 'private_key_jwt' })).not.toThrow()
    }
  })
})

describe('credential option validation', () => {
  it.each([
    [{ certificate: { privateKey: 42 } }, 'credential.certificate.privateKey', /must be PEM text, a Buffer/],
    [{ certificate: { ...certificate, algorithm: 'ES256' } }, 'credential.certificate.algorithm', /./],
    [
      { certificate: { ...certificate, certificate: [] } },
      'credential.certificate.certificate',
      /must be PEM text/,
    ],
    [{ certificate: { ...certificate, pfx: 'x' } }, 'credential.certificate.pfx', /unknown option/],
    [{ certificatePath: '' }, 'credential.certificatePath', /is empty/],
    [{ certificatePath: 'a.pem', sendCertificateChain: 'yes' }, 'credential.sendCertificateChain', /./],
    [{ clientAssertion: 7 }, 'credential.clientAssertion', /non-empty JWT string or a function/],
    [{ federatedTokenFile: '' }, 'credential.federatedTokenFile', /is empty/],
    [
      { clientSecret: 'x', certificatePath: 'a.pem' },
      'credential',
      /more than one credential kind \(clientSecret, certificatePath\): give exactly one of/,
    ],
    [
      { certificate: { privateKey: 'x' }, federatedTokenFile: 'f' },
      'credential',
      /more than one credential kind/,
    ],
    ['a secret', 'credential', /./],
  ])('reports %o at %s', (credential, path, message) => {
    try {
      newClient(credential as TokenClientOptions['credential'])
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError)
      expect((error as ConfigurationError).path).toBe(path)
      expect((error as ConfigurationError).message).toMatch(message)
    }
  })
})
