/**
 * A DPoP client with a shared Redis store (real redis-server): the store holds tokens, never the DPoP
 * key (every key and value scanned for the private key's parameters), and entries are keyed by the
 * key's thumbprint, so a process with another key never gets a token bound to a key it does not hold.
 */
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/index.js'
import { createRedisStore } from '../../src/redis/index.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { type Connected, connectClient } from './helpers/clients.js'
import { type RedisServer, startRedisServer } from './helpers/redis-server.js'

useLoopbackGuard()

const { admin } = EXAMPLE.clients
const SCOPE = `${EXAMPLE.api.uri}/.default`

let redis: RedisServer
let connected: Connected
let authority: LocalAuthority

beforeAll(async () => {
  ;[redis, authority] = await Promise.all([startRedisServer(), startLocalAuthority({ issuer: 'local' })])
  connected = await connectClient('node-redis', { url: redis.url })
  authority.clients.requireDpop(admin.appId, { nonce: true })
})
afterAll(async () => {
  connected.close()
  await Promise.all([redis.stop(), authority.close()])
})

function clientWith(key: ReturnType<typeof generateKeyPairSync>['privateKey']): TokenClient {
  return new TokenClient({
    tokenEndpoint: authority.tokenEndpoint(EXAMPLE.tenantId),
    clientId: admin.appId,
    credential: { clientSecret: admin.secret },
    dpop: { key },
    cache: { store: createRedisStore(connected.client) },
  })
}

/** Every key and value in Redis, as text. */
async function everything(): Promise<string> {
  const keys = (await connected.command(['KEYS', '*'])) as string[]
  const parts: string[] = [...keys]
  for (const key of keys) {
    const type = String(await connected.command(['TYPE', key]))
    if (type === 'string') parts.push(String(await connected.command(['GET', key])))
    else if (type === 'hash') parts.push(JSON.stringify(await connected.command(['HGETALL', key])))
    else parts.push(`${type}:${key}`)
  }
  return parts.join('\n')
}

describe('DPoP with a shared Redis store', () => {
  it('stores the DPoP token, and no trace of the private key anywhere', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const client = clientWith(privateKey)
    const token = await client.getToken(SCOPE)
    expect(token.tokenType).toBe('DPoP')
    const stored = await everything()
    expect(stored).toContain(token.accessToken) // the scan does see the entry
    const jwk = privateKey.export({ format: 'jwk' })
    const pem = String(privateKey.export({ format: 'pem', type: 'pkcs8' }))
    const der = (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64')
    for (const secret of [
      jwk.d,
      der,
      pem.split('\n')[1],
      Buffer.from(String(jwk.d), 'base64url').toString('hex'),
    ]) {
      expect(secret && stored.includes(secret)).toBe(false)
    }
    expect(stored).not.toMatch(/"d"\s*:|PRIVATE KEY/)
    await client.close()
  })

  it('a process with another key does not get the token bound to the first key: it asks for its own', async () => {
    const first = clientWith(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
    const second = clientWith(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
    const a = await first.getToken(SCOPE)
    authority.requests.clear()
    const b = await second.getToken(SCOPE)
    expect(b.accessToken).not.toBe(a.accessToken)
    expect(b.claims?.cnf).toEqual({ jkt: (second.describe().dpop as { thumbprint: string }).thumbprint })
    expect(authority.requests.all().filter((r) => r.route === 'token' && r.status === 200)).toHaveLength(1)
    await Promise.all([first.close(), second.close()])
  })
})
