import {
  ConfidentialClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node'
import { decodeJwt } from 'jose'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE,
  type GeneratedCertificate,
  generateCertificate,
  type LocalAuthority,
  startLocalAuthority,
} from '../../src/testing/index.js'

// Fidelity: the unmodified @azure/msal-node talks to the local authority over https.
const CERT_APP = 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b'
const SCOPES = [`${EXAMPLE.api.uri}/.default`]
let authority: LocalAuthority
let agent: Agent
let certificate: GeneratedCertificate

/**
 * msal's network module on undici with the authority's CA trusted. Requests msal sends to the real
 * instance-discovery host are routed to the local authority (which serves the same path).
 */
function trustingNetwork(seen: string[]): INetworkModule {
  const send = async <T>(
    url: string,
    method: 'GET' | 'POST',
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const target = url.replace(/^https:\/\/login\.microsoftonline\.com\//, `${authority.url}/`)
    seen.push(`${method} ${new URL(target).pathname}`)
    const res = await request(target, {
      method,
      dispatcher: agent,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
    })
    const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]))
    return { status: res.statusCode, headers, body: (await res.body.json()) as T }
  }
  return {
    sendGetRequestAsync: (url, options) => send(url, 'GET', options),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  }
}

beforeAll(async () => {
  ;[authority, certificate] = await Promise.all([
    startLocalAuthority({ https: true }),
    generateCertificate({ commonName: 'msal-daemon' }),
  ])
  agent = new Agent({ connect: { ca: authority.caPem } })
  authority.clients.add({
    appId: CERT_APP,
    displayName: 'msal-cert',
    certificates: [{ pem: certificate.certificatePem }],
  })
  authority.clients.grant(CERT_APP, EXAMPLE.api.uri, ['Admin'])
})
afterAll(async () => {
  await agent.close()
  await authority.close()
})

describe('@azure/msal-node against the local authority', () => {
  it('acquires a token by client credential with a secret (knownAuthorities, no instance discovery)', async () => {
    const seen: string[] = []
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: EXAMPLE.clients.admin.appId,
        clientSecret: EXAMPLE.clients.admin.secret,
        authority: authority.authorityUrl(EXAMPLE.tenantId),
        knownAuthorities: [new URL(authority.url).host],
      },
      system: { networkClient: trustingNetwork(seen) },
    })
    const result = await app.acquireTokenByClientCredential({ scopes: SCOPES })
    expect(result?.accessToken).toBeTruthy()
    expect(result?.tokenType).toBe('Bearer')
    const lifetimeMs = (result?.expiresOn?.getTime() ?? 0) - Date.now()
    expect(lifetimeMs).toBeGreaterThan(3_590_000)
    expect(lifetimeMs).toBeLessThanOrEqual(3_600_000)
    expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({
      appid: EXAMPLE.clients.admin.appId,
      roles: ['Admin'],
    })
    expect(seen).toEqual([
      `GET /${EXAMPLE.tenantId}/v2.0/.well-known/openid-configuration`,
      `POST /${EXAMPLE.tenantId}/oauth2/v2.0/token`,
    ])
    expect(authority.requests.last()?.form?.client_secret).toBe('[redacted]')
  })

  it('acquires a token with a certificate (PS256, x5t#S256 and aud = the discovered token endpoint)', async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: CERT_APP,
        clientCertificate: {
          thumbprintSha256: Buffer.from(certificate.thumbprintSha256, 'base64url').toString('hex'),
          privateKey: certificate.privateKeyPem,
        },
        authority: authority.authorityUrl(EXAMPLE.tenantDomain),
        knownAuthorities: [new URL(authority.url).host],
      },
      system: { networkClient: trustingNetwork([]) },
    })
    const result = await app.acquireTokenByClientCredential({ scopes: SCOPES })
    expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({
      appid: CERT_APP,
      appidacr: '2',
      roles: ['Admin'],
    })
  })

  it('resolves the authority through instance discovery when the host is not in knownAuthorities', async () => {
    const seen: string[] = []
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: EXAMPLE.clients.reader.appId,
        clientSecret: EXAMPLE.clients.reader.secret,
        authority: authority.authorityUrl(EXAMPLE.tenantId),
      },
      system: { networkClient: trustingNetwork(seen) },
    })
    const result = await app.acquireTokenByClientCredential({ scopes: SCOPES })
    expect(decodeJwt(result?.accessToken ?? '').roles).toEqual(['ReadOnly'])
    expect(seen[0]).toBe('GET /common/discovery/instance')
  })

  it('surfaces the authority’s AADSTS error to msal callers', async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: EXAMPLE.clients.admin.appId,
        clientSecret: 'wrong',
        authority: authority.authorityUrl(EXAMPLE.tenantId),
        knownAuthorities: [new URL(authority.url).host],
      },
      system: { networkClient: trustingNetwork([]) },
    })
    await expect(app.acquireTokenByClientCredential({ scopes: SCOPES })).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS7000215'),
    })
  })
})
