/**
 * Two releases sharing a Redis during a rolling deploy, on a real Redis through both libraries: entries
 * of the format before (1, plain or sealed) are read; entries of a newer format than this release knows
 * are misses, logged once per format, never errors; and what this release then writes is read by the
 * other processes of the fleet.
 */
import { createCipheriv, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { keyIdOf } from '../../src/redis/envelope.js'
import { createRedisStore, ENTRY_FORMAT } from '../../src/redis/index.js'
import { redisTokenKeys } from '../../src/redis/keys.js'
import type { StoredToken } from '../../src/store.js'
import { type FakeAuthority, startAuthority } from './helpers/authority.js'
import { CLIENT_KINDS, type ClientKind, connectClient } from './helpers/clients.js'
import { CLIENT_ID, createFleetCache, TENANT, targetFor } from './helpers/fleet-cache.js'
import { type RedisServer, startRedisServer } from './helpers/redis-server.js'

const KEY = Buffer.alloc(32, 6)
const PREFIX = 'oauth-client-credentials:'
let server: RedisServer
let authority: FakeAuthority
const cleanups: Array<() => unknown> = []

beforeAll(async () => {
  ;[server, authority] = await Promise.all([startRedisServer(), startAuthority()])
})

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  await Promise.all([server?.stop(), authority?.close()])
})

/** A process of this release: its own client of `kind`, store and cache. */
async function processOf(kind: ClientKind, encryptionKey?: Buffer) {
  const connection = await connectClient(kind, { url: server.url })
  const logs: string[] = []
  const logger = {
    warn: (message: string, details?: object) => logs.push(`${message} ${JSON.stringify(details)}`),
  }
  const store = createRedisStore(connection.client, {
    logger,
    pubSub: false,
    ...(encryptionKey && { encryptionKey }),
  })
  const cache = createFleetCache({ authorityUrl: authority.url, store, logger })
  cleanups.push(
    () => store.close(),
    () => connection.close(),
  )
  const token = async (scope: string) => (await cache.lookup(targetFor(scope))).accessToken
  return {
    logs,
    token,
    write: (name: string, value: string) => connection.command(['SET', name, value]),
    read: async (name: string) => String(await connection.command(['GET', name])),
  }
}

/** The Redis name and a token of `scope`, as the fleet cache stores it. */
function entryOf(scope: string): { entry: string; stored: StoredToken } {
  const key = `${authority.url}\u0000${CLIENT_ID}\u0000${targetFor(scope).key}`
  const now = Date.now()
  const stored = {
    accessToken: `at-written-by-another-release-${scope}`,
    requestedAt: now,
    refreshAt: now + 3_000_000,
    expiresAt: now + 3_600_000,
    scope,
    tenant: TENANT,
  }
  return { entry: redisTokenKeys(PREFIX, key).entry, stored }
}

/** An entry sealed as format 1 did: AES-256-GCM with the Redis key alone as associated data. */
function sealedV1(stored: StoredToken, entry: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', KEY, iv, { authTagLength: 16 })
  cipher.setAAD(Buffer.from(entry))
  const data = Buffer.concat([cipher.update(JSON.stringify(stored)), cipher.final()])
  const b64 = (bytes: Buffer) => bytes.toString('base64url')
  return JSON.stringify({
    v: 1,
    kid: keyIdOf(KEY),
    iv: b64(iv),
    data: b64(data),
    tag: b64(cipher.getAuthTag()),
  })
}

describe.each(CLIENT_KINDS)('a rolling deploy on %s', (kind) => {
  it('reads the entries a release of the format before wrote, plain and sealed, without a token request', async () => {
    const plain = entryOf(`api://v1-plain-${kind}/.default`)
    const sealed = entryOf(`api://v1-sealed-${kind}/.default`)
    const [reader, sealedReader] = await Promise.all([processOf(kind), processOf(kind, KEY)])
    await reader.write(plain.entry, JSON.stringify({ v: 1, key: plain.entry, token: plain.stored }))
    await reader.write(sealed.entry, sealedV1(sealed.stored, sealed.entry))
    const before = authority.count
    expect(await reader.token(plain.stored.scope)).toBe(plain.stored.accessToken)
    expect(await sealedReader.token(sealed.stored.scope)).toBe(sealed.stored.accessToken)
    expect(authority.count).toBe(before)
    expect([...reader.logs, ...sealedReader.logs]).toEqual([])
  })

  it('takes entries of a newer format as misses logged once, and the fleet reads what it writes instead', async () => {
    const [first, second] = await Promise.all([processOf(kind), processOf(kind)])
    const scopes = [1, 2, 3].map((i) => `api://v3-${kind}-${i}/.default`)
    for (const scope of scopes) {
      const { entry, stored } = entryOf(scope)
      await first.write(entry, JSON.stringify({ v: ENTRY_FORMAT + 1, key: entry, token: stored, more: {} }))
    }
    const before = authority.count
    const tokens = await Promise.all(scopes.map((scope) => first.token(scope)))
    expect(tokens.every((token) => /^at-\d+-/.test(token))).toBe(true) // fetched: not the newer release's
    expect(authority.count - before).toBe(scopes.length)
    expect(first.logs).toHaveLength(1)
    expect(first.logs[0]).toMatch(/newer format.*\{"format":3\}/)
    // this release's own entries replaced them (written in the background): another process reads them
    await vi.waitFor(async () => {
      const formats = await Promise.all(
        scopes.map(async (scope) => JSON.parse(await first.read(entryOf(scope).entry)).v),
      )
      expect(formats).toEqual(scopes.map(() => ENTRY_FORMAT))
    })
    expect(await Promise.all(scopes.map((scope) => second.token(scope)))).toEqual(tokens)
    expect(authority.count - before).toBe(scopes.length)
  })
})
