import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../../src/testing/index.js'
import { get, post, secretForm } from '../helpers.js'

const { admin } = EXAMPLE.clients
const SCOPE = `${EXAMPLE.api.uri}/.default`
let authority: LocalAuthority
let trusting: Agent

beforeAll(async () => {
  authority = await startLocalAuthority({ https: true })
  trusting = new Agent({ connect: { ca: authority.caPem } })
})
afterAll(async () => {
  await trusting.close()
  await authority.close()
})

describe('https mode', () => {
  it('listens on https://127.0.0.1 and exposes the certificate to trust as caPem', () => {
    expect(authority.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(authority.caPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
  })

  it('is refused by a client that does not trust caPem', async () => {
    const strict = new Agent()
    try {
      await expect(
        post(authority.tokenEndpoint(EXAMPLE.tenantId), secretForm(admin.appId, admin.secret, SCOPE), {
          dispatcher: strict,
        }),
      ).rejects.toThrow()
    } finally {
      await strict.close()
    }
  })

  it('issues a token to a client that trusts caPem through an undici Agent', async () => {
    const res = await post(
      authority.tokenEndpoint(EXAMPLE.tenantId),
      secretForm(admin.appId, admin.secret, SCOPE),
      {
        dispatcher: trusting,
      },
    )
    expect(res.status).toBe(200)
    expect(res.json.token_type).toBe('Bearer')
  })

  it('serves localhost too (SAN) and names the host the caller used in metadata', async () => {
    const localhost = `https://localhost:${authority.port}/${EXAMPLE.tenantId}/v2.0/.well-known/openid-configuration`
    const res = await get(localhost, { dispatcher: trusting })
    expect(res.status).toBe(200)
    expect(res.json.token_endpoint).toBe(
      `https://localhost:${authority.port}/${EXAMPLE.tenantId}/oauth2/v2.0/token`,
    )
  })

  it('closes promptly while keep-alive connections are open', async () => {
    const other = await startLocalAuthority({ https: true })
    const agent = new Agent({ connect: { ca: other.caPem }, keepAliveTimeout: 60_000 })
    await post(other.tokenEndpoint(EXAMPLE.tenantId), secretForm(admin.appId, admin.secret, SCOPE), {
      dispatcher: agent,
    })
    const started = performance.now()
    await other.close()
    expect(performance.now() - started).toBeLessThan(500)
    await agent.close()
  })
})

describe('plain http mode', () => {
  it('has no caPem', async () => {
    const plain = await startLocalAuthority()
    expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(plain.caPem).toBeUndefined()
    await plain.close()
  })

  it('listens on the requested port', async () => {
    const probe = await startLocalAuthority()
    const port = probe.port
    await probe.close()
    const fixed = await startLocalAuthority({ port })
    try {
      expect(fixed.url).toBe(`http://127.0.0.1:${port}`)
    } finally {
      await fixed.close()
    }
  })

  it('supports await using (Symbol.asyncDispose closes it)', async () => {
    let url = ''
    {
      await using scoped = await startLocalAuthority()
      url = scoped.metadataUrl(EXAMPLE.tenantId)
      expect((await get(url)).status).toBe(200)
    }
    await expect(get(url)).rejects.toThrow()
  })
})
