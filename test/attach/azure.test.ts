import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { isTokenCredential, type TokenCredential } from '@azure/core-auth'
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
} from '@azure/core-rest-pipeline'
import { afterEach, describe, expect, test } from 'vitest'
import { type AzureGetTokenOptions, toTokenCredential } from '../../src/attach/azure.js'
import type { TokenSource } from '../../src/attach/source.js'
import { TokenClient } from '../../src/client.js'
import { ConfigurationError } from '../../src/errors.js'
import type { GetTokenOptions, TokenRequest } from '../../src/options.js'
import { AccessToken } from '../../src/token.js'

const TENANT = 'contoso.onmicrosoft.com'
const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
const SCOPE = 'api://myapis/mywebapi/.default'
const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1764000000"}}}'

// A self-signed test-only certificate for 127.0.0.1 (P-256, valid until 2126), so that the Azure SDK,
// which refuses bearer tokens over http, can reach a loopback server.
const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgp8ZzezQWTfHvCYP9
ugTQoAVLlWWN9Hnad526paGRoaahRANCAASJ4y2cOMvxwsjdIvdc/Bqs1HuK2Gat
7FGGClIAeKSipUGXErJ8JyGyawsbxaNXmThueBItUsrUuXxBxTU+Kf3K
-----END PRIVATE KEY-----`
const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBjzCCATagAwIBAgIUeT2tbk0D9QDyibV2PKAB24kolGYwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNDIxMjgyMVoYDzIxMjYxMDMx
MjEyODIxWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASJ4y2cOMvxwsjdIvdc/Bqs1HuK2Gat7FGGClIAeKSipUGXErJ8JyGy
awsbxaNXmThueBItUsrUuXxBxTU+Kf3Ko2QwYjAdBgNVHQ4EFgQU3ykDCRTpPlZx
FYyGwCelNVQ60jgwHwYDVR0jBBgwFoAU3ykDCRTpPlZxFYyGwCelNVQ60jgwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC
IDIs3YhjTHn74VvW2ro7/NvGbx00CqXJ2c7yIEtCskWaAiAuwqjvfIWx4ky4l/d+
qBJakD1R2xyng2J1T9p7tQ5MqQ==
-----END CERTIFICATE-----`

const token = (accessToken: string) =>
  new AccessToken({
    accessToken,
    requestedAt: 1_000,
    expiresAt: 3_601_000,
    refreshAt: 3_301_000,
    scope: SCOPE,
    tenant: TENANT,
  })

/** A source that records its calls and answers `token-1`; `hold` makes it wait for the signal instead. */
function recordingSource(hold = false) {
  const calls: Array<{ what: string | TokenRequest; options: GetTokenOptions | undefined }> = []
  const source: TokenSource = {
    getToken(what, options) {
      calls.push({ what, options })
      if (!hold) return Promise.resolve(token('token-1'))
      return new Promise((_, reject) =>
        options?.signal?.addEventListener('abort', () => reject(options.signal?.reason)),
      )
    },
  }
  return { source, calls }
}

describe('toTokenCredential', () => {
  test('the token comes with its expiry and refresh times, as a Bearer token', async () => {
    const credential = toTokenCredential(recordingSource().source)
    expect(await credential.getToken(SCOPE)).toEqual({
      token: 'token-1',
      expiresOnTimestamp: 3_601_000,
      refreshAfterTimestamp: 3_301_000,
      tokenType: 'Bearer',
    })
  })

  test('a token bound to a client certificate is not handed to an Azure SDK client (it cannot present it)', async () => {
    const bound = new AccessToken({
      accessToken: 'bound-token',
      requestedAt: 1_000,
      expiresAt: 3_601_000,
      refreshAt: 3_301_000,
      scope: SCOPE,
      tenant: undefined,
      tokenType: 'mtls_pop',
      certificateThumbprint: 'x5t',
    })
    const credential = toTokenCredential({ getToken: async () => bound })
    await expect(credential.getToken(SCOPE)).rejects.toThrow(
      /an Azure SDK client cannot present that certificate/,
    )
  })

  test('one scope is asked for as getToken(scope); several as one scope list', async () => {
    const { source, calls } = recordingSource()
    const credential = toTokenCredential(source)
    await credential.getToken(SCOPE)
    await credential.getToken([SCOPE])
    await credential.getToken(['read', 'write'])
    expect(calls.map((c) => c.what)).toEqual([SCOPE, SCOPE, { scope: ['read', 'write'] }])
  })

  test('claims and enableCae are passed on; a listed tenantId as tenant, the own tenant (any case) as the default', async () => {
    const { source, calls } = recordingSource()
    const credential = toTokenCredential(source, {
      tenant: TENANT,
      additionallyAllowedTenants: ['Fabrikam.onmicrosoft.com'],
    })
    await credential.getToken(SCOPE, {
      tenantId: 'fabrikam.onmicrosoft.com',
      claims: CLAIMS,
      enableCae: true,
    })
    await credential.getToken(SCOPE, { tenantId: TENANT.toUpperCase() })
    expect(calls.map((c) => c.options)).toEqual([
      { tenant: 'fabrikam.onmicrosoft.com', claims: CLAIMS, enableCae: true },
      { enableCae: false },
    ])
  })

  test('any other tenantId is refused before the source is asked, with a quoted, shortened name', async () => {
    const { source, calls } = recordingSource()
    const chosen = `evil\r\n${'x'.repeat(200)}`
    for (const credential of [toTokenCredential(source, { tenant: TENANT }), toTokenCredential(source)]) {
      const error = await credential.getToken(SCOPE, { tenantId: chosen }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'ERR_CONFIG_INVALID', path: 'tenantId' })
      const { message, hint } = error as ConfigurationError
      expect(message).not.toMatch(/[\r\n]/)
      expect(message).not.toContain('x'.repeat(81))
      expect(hint).toContain('additionallyAllowedTenants')
    }
    expect(calls).toHaveLength(0)
  })

  test("'*' allows any tenant; invalid options are a ConfigurationError", async () => {
    const { source, calls } = recordingSource()
    await toTokenCredential(source, { additionallyAllowedTenants: ['*'] }).getToken(SCOPE, {
      tenantId: 'a.example',
    })
    expect(calls[0]?.options).toEqual({ tenant: 'a.example', enableCae: false })
    expect(() => toTokenCredential(source, { additionallyAllowedTenants: [''] })).toThrow(ConfigurationError)
  })

  test("the SDK's abort signal (an AbortSignal or a look-alike) and timeout abandon the wait", async () => {
    const credential = toTokenCredential(recordingSource(true).source)
    const controller = new AbortController()
    const aborted = credential.getToken(SCOPE, { abortSignal: controller.signal })
    controller.abort(new Error('stop'))
    await expect(aborted).rejects.toThrow('stop')
    await expect(credential.getToken(SCOPE, { requestOptions: { timeout: 10 } })).rejects.toMatchObject({
      name: 'TimeoutError',
    })
    const listeners: Array<() => void> = []
    const lookalike = {
      aborted: false,
      reason: new Error('look-alike'),
      addEventListener: (_: 'abort', listener: () => void) => listeners.push(listener),
      removeEventListener: () => {},
    }
    const waiting = credential.getToken(SCOPE, { abortSignal: lookalike })
    for (const listener of listeners) listener()
    await expect(waiting).rejects.toThrow('look-alike')
  })

  test('proof-of-possession is refused with a ConfigurationError', async () => {
    const options: AzureGetTokenOptions = {
      proofOfPossessionOptions: { nonce: 'n', resourceRequestMethod: 'GET', resourceRequestUrl: 'https://x' },
    }
    await expect(toTokenCredential(recordingSource().source).getToken(SCOPE, options)).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      path: 'proofOfPossessionOptions',
    })
  })

  test('it is a TokenCredential to @azure/core-auth', () => {
    const credential: TokenCredential = toTokenCredential(recordingSource().source)
    expect(isTokenCredential(credential)).toBe(true)
  })
})

describe('in an Azure SDK pipeline (loopback authority, https loopback API)', () => {
  const closers: Array<() => void> = []
  afterEach(() => {
    for (const close of closers.splice(0)) close()
  })

  async function start(answer: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
    const forms: URLSearchParams[] = []
    const paths: Array<string | undefined> = []
    const authority = createHttpServer(async (req, res) => {
      paths.push(req.url)
      let body = ''
      for await (const chunk of req) body += chunk
      forms.push(new URLSearchParams(body))
      const json = { token_type: 'Bearer', expires_in: 3599, access_token: `token-${forms.length}` }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json))
    })
    const seen: Array<string | undefined> = []
    const api = createHttpsServer({ key: TLS_KEY, cert: TLS_CERT }, (req, res) => {
      seen.push(req.headers.authorization)
      answer(req, res, seen.length)
    })
    for (const server of [authority, api]) {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      closers.push(() => server.close())
    }
    const client = new TokenClient({
      authorityHost: `http://127.0.0.1:${(authority.address() as AddressInfo).port}`,
      tenant: TENANT,
      clientId: CLIENT_ID,
      credential: { clientSecret: 'not-a-real-secret' },
    })
    const pipeline = createPipelineFromOptions({
      tlsOptions: { ca: TLS_CERT },
      retryOptions: { maxRetries: 0 },
    })
    pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({ credential: client.asTokenCredential(), scopes: SCOPE }),
    )
    const url = `https://127.0.0.1:${(api.address() as AddressInfo).port}/orders`
    const send = () => pipeline.sendRequest(createDefaultHttpClient(), createPipelineRequest({ url }))
    return { send, seen, forms, paths, client }
  }

  test('bearerTokenAuthenticationPolicy sends our token, from our cache on the next request', async () => {
    const { send, seen, forms } = await start((req, res) => {
      res.writeHead(req.headers.authorization === 'Bearer token-1' ? 200 : 401).end()
    })
    expect((await send()).status).toBe(200)
    expect((await send()).status).toBe(200)
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-1'])
    expect(forms.map((f) => f.get('scope'))).toEqual([SCOPE])
  })

  test("the SDK's CAE handling gets a token with the challenge's claims from our client", async () => {
    const challenge = `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(CLAIMS).toString('base64')}"`
    const { send, seen, forms } = await start((_req, res, n) => {
      if (n === 1) res.writeHead(401, { 'www-authenticate': challenge }).end()
      else res.writeHead(200).end()
    })
    expect((await send()).status).toBe(200)
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-2'])
    expect(forms.map((f) => f.get('claims'))).toEqual([null, CLAIMS])
  })

  test("a tenant from a resource server's challenge is refused unless listed; no token request goes there (issue 13 finding 6)", async () => {
    // what the Storage and Key Vault clients do: the tenant comes from the challenge's authorization_uri
    // (the SDK's token cycler then retries a refused credential until the current token expires, so the
    // credential is called here as the challenge callback calls it)
    const otherTenant = '0f9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d'
    const { client, forms, paths } = await start((_req, res) => res.writeHead(200).end())
    const credential = client.asTokenCredential()
    await expect(credential.getToken(SCOPE, { tenantId: otherTenant })).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      path: 'tenantId',
    })
    expect(forms).toHaveLength(0)
    // the client's own tenant, in any case, is its default tenant
    await credential.getToken(SCOPE, { tenantId: TENANT.toUpperCase() })
    const listed = client.asTokenCredential({ additionallyAllowedTenants: [otherTenant] })
    await listed.getToken(SCOPE, { tenantId: otherTenant })
    expect(paths).toEqual([`/${TENANT}/oauth2/v2.0/token`, `/${otherTenant}/oauth2/v2.0/token`])
  })
})
