import { createCipheriv, createSecretKey, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { ENTRY_FORMAT, type Keyring, keyIdOf, openEntry, sealEntry } from '../../src/redis/envelope.js'
import { parseRedisStoreOptions } from '../../src/redis/options.js'
import type { StoredToken } from '../../src/store.js'

const KEY = Buffer.alloc(32, 1)
const OTHER = Buffer.alloc(32, 2)
const ENTRY = 'oauth-client-credentials:token:abc'
const token: StoredToken = {
  accessToken: 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJhcGkifQ.c2ln-SECRET-TOKEN',
  requestedAt: 1_764_000_000_000,
  refreshAt: 1_764_003_300_000,
  expiresAt: 1_764_003_599_000,
  scope: 'api://myapis/mywebapi/.default',
  tenant: 'contoso.onmicrosoft.com',
}

const plain: Keyring = { current: undefined, byId: new Map() }

/** An entry as format 1 sealed it: the Redis key alone as associated data. */
function sealV1(stored: StoredToken, key: Buffer, kid: string, entryKey: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
  cipher.setAAD(Buffer.from(entryKey))
  const data = Buffer.concat([cipher.update(JSON.stringify(stored)), cipher.final()])
  const b64 = (bytes: Buffer) => bytes.toString('base64url')
  return JSON.stringify({ v: 1, kid, iv: b64(iv), data: b64(data), tag: b64(cipher.getAuthTag()) })
}
function ring(key: Buffer, id = keyIdOf(key), former: Array<[string, Buffer]> = []): Keyring {
  const current = { id, key: createSecretKey(key) }
  return {
    current,
    byId: new Map([[id, current.key], ...former.map(([i, k]) => [i, createSecretKey(k)] as const)]),
  }
}

describe('the entry envelope', () => {
  it('stores a token as plain JSON without a key, naming the Redis key it belongs to, and reads it back', () => {
    const value = sealEntry(token, plain, ENTRY)
    expect(JSON.parse(value)).toEqual({ v: 2, key: ENTRY, token })
    expect(openEntry(value, plain, ENTRY)).toEqual({ token })
  })

  it('binds a plain entry to its Redis key (issue 13 finding 7): copied to another key it is a problem', () => {
    const value = sealEntry(token, plain, ENTRY)
    expect(openEntry(value, plain, `${ENTRY}x`).problem).toMatch(/belongs to another key/)
    const unbound = JSON.stringify({ v: 2, token })
    expect(openEntry(unbound, plain, ENTRY).problem).toMatch(/names no key/)
  })

  it('keeps an undefined tenant undefined', () => {
    const value = sealEntry({ ...token, tenant: undefined }, plain, ENTRY)
    expect(openEntry(value, plain, ENTRY).token?.tenant).toBeUndefined()
  })

  it('encrypts with AES-256-GCM: the stored value holds no part of the token, and names its key id', () => {
    const keyring = ring(KEY)
    const value = sealEntry(token, keyring, ENTRY)
    for (const part of token.accessToken.split('.')) expect(value).not.toContain(part)
    expect(value).not.toContain('SECRET')
    expect(value).not.toContain('contoso')
    expect(JSON.parse(value)).toMatchObject({ v: 2, kid: keyIdOf(KEY) })
    expect(openEntry(value, keyring, ENTRY)).toEqual({ token })
  })

  it('uses a new IV for each entry', () => {
    const keyring = ring(KEY)
    expect(sealEntry(token, keyring, ENTRY)).not.toBe(sealEntry(token, keyring, ENTRY))
  })

  it('reads an entry sealed with another key under the same id as a problem, not a token', () => {
    const value = sealEntry(token, ring(KEY, 'k1'), ENTRY)
    expect(openEntry(value, ring(OTHER, 'k1'), ENTRY).problem).toMatch(/does not decrypt with key id 'k1'/)
  })

  it('reads an entry sealed with an unknown key id as a problem', () => {
    const value = sealEntry(token, ring(KEY), ENTRY)
    expect(openEntry(value, ring(OTHER), ENTRY).problem).toMatch(/not configured/)
  })

  it('binds an entry to its Redis key: copied elsewhere it does not decrypt', () => {
    const keyring = ring(KEY)
    const value = sealEntry(token, keyring, ENTRY)
    expect(openEntry(value, keyring, `${ENTRY}x`).problem).toMatch(/does not decrypt/)
  })

  it('detects tampering', () => {
    const keyring = ring(KEY)
    const envelope = JSON.parse(sealEntry(token, keyring, ENTRY)) as Record<string, string>
    const data = Buffer.from(envelope.data ?? '', 'base64url')
    data[0] = (data[0] ?? 0) ^ 1
    const tampered = JSON.stringify({ ...envelope, data: data.toString('base64url') })
    expect(openEntry(tampered, keyring, ENTRY).problem).toMatch(/does not decrypt/)
  })

  it('refuses plain entries while encryption is on, and encrypted ones without a key', () => {
    expect(openEntry(sealEntry(token, plain, ENTRY), ring(KEY), ENTRY).problem).toMatch(/not encrypted/)
    expect(openEntry(sealEntry(token, ring(KEY), ENTRY), plain, ENTRY).problem).toMatch(/no encryptionKey/)
  })

  it('reads entries of a former key during a rotation', () => {
    const old = sealEntry(token, ring(OTHER, 'old'), ENTRY)
    expect(openEntry(old, ring(KEY, 'new', [['old', OTHER]]), ENTRY)).toEqual({ token })
  })

  it.each([
    ['not JSON', 'garbage{', /not JSON/],
    ['a JSON scalar', '42', /not a JSON object/],
    ['format version 0', '{"v":0,"token":{}}', /unknown format version \(0\)/],
    ['a format version that is a string', '{"v":"2","token":{}}', /unknown format version \('2'\)/],
    ['a format version that is not whole', '{"v":2.5,"token":{}}', /unknown format version \(2.5\)/],
    ['no token', '{"v":1}', /valid token/],
    [
      'a token without its string',
      JSON.stringify({ v: 1, token: { ...token, accessToken: '' } }),
      /valid token/,
    ],
    [
      'a token with a string time',
      JSON.stringify({ v: 1, token: { ...token, expiresAt: '1' } }),
      /valid token/,
    ],
    ['a broken sealed entry', '{"v":1,"kid":"k","iv":1}', /not a valid encrypted entry/],
  ])('reads %s as a problem', (_name, value, problem) => {
    expect(openEntry(value, plain, ENTRY).problem).toMatch(problem)
  })

  it('reads entries of the previous format (1), plain and sealed, bound to their key alone', () => {
    const plainV1 = JSON.stringify({ v: 1, key: ENTRY, token })
    expect(openEntry(plainV1, plain, ENTRY)).toEqual({ token })
    expect(openEntry(plainV1, plain, `${ENTRY}x`).problem).toMatch(/belongs to another key/)
    const keyring = ring(KEY)
    const sealedV1 = sealV1(token, KEY, keyIdOf(KEY), ENTRY)
    expect(openEntry(sealedV1, keyring, ENTRY)).toEqual({ token })
    expect(openEntry(sealedV1, keyring, `${ENTRY}x`).problem).toMatch(/does not decrypt/)
  })

  it('binds a sealed entry to its format version: relabelled as another version, it does not decrypt', () => {
    const keyring = ring(KEY)
    const sealed = JSON.parse(sealEntry(token, keyring, ENTRY)) as Record<string, unknown>
    expect(openEntry(JSON.stringify({ ...sealed, v: 1 }), keyring, ENTRY).problem).toMatch(/does not decrypt/)
    const downgraded = JSON.parse(sealV1(token, KEY, keyIdOf(KEY), ENTRY)) as Record<string, unknown>
    expect(openEntry(JSON.stringify({ ...downgraded, v: 2 }), keyring, ENTRY).problem).toMatch(
      /does not decrypt/,
    )
  })

  it('reads an entry of a newer format as a problem that names its version, plain or sealed', () => {
    const newer = [
      JSON.stringify({ v: 3, key: ENTRY, token, addedLater: 1 }),
      JSON.stringify({ v: 7, kid: 'k', iv: 'x', data: 'x', tag: 'x', cipher: 'something new' }),
      JSON.stringify({ v: 3 }),
    ]
    for (const value of newer) {
      for (const keyring of [plain, ring(KEY)]) {
        const opened = openEntry(value, keyring, ENTRY)
        expect(opened.token).toBeUndefined()
        expect(opened.newerFormat).toBe(JSON.parse(value).v)
        expect(opened.problem).toMatch(/is in format version \d, newer than this release reads/)
      }
    }
    expect(ENTRY_FORMAT).toBe(2)
  })

  it('ignores the fields it does not know in an entry of its own format', () => {
    const extended = JSON.stringify({
      v: 2,
      key: ENTRY,
      token: { ...token, boundTo: 'x' },
      writer: 'a later release',
    })
    expect(openEntry(extended, plain, ENTRY)).toEqual({ token })
  })

  it('names a key by a short stable fingerprint', () => {
    expect(keyIdOf(KEY)).toMatch(/^[\w-]{8}$/)
    expect(keyIdOf(KEY)).toBe(keyIdOf(Buffer.from(KEY)))
    expect(keyIdOf(KEY)).not.toBe(keyIdOf(OTHER))
  })
})

describe('entries that cannot be trusted (issue 13 finding 8)', () => {
  const sealedFields = { iv: 'AAAAAAAAAAAAAAAA', data: 'AA', tag: 'AAAAAAAAAAAAAAAAAAAAAA' }
  it.each([
    ['a version that cannot be printed', '{"v":{"toString":1}}'],
    ['a version list that cannot be printed', '{"v":[{"toString":1}]}'],
    ['a version with a valueOf', '{"v":{"valueOf":1,"toString":1}}'],
    ['a key id that is an object', JSON.stringify({ v: 1, kid: { toString: 1 }, ...sealedFields })],
    ['a token that is a list', '{"v":1,"token":[1,2]}'],
    [
      'a token whose fields are objects',
      JSON.stringify({ v: 1, token: { ...token, scope: { toString: 1 } } }),
    ],
    ['a JSON array', '[{"toString":1}]'],
  ])('reads an entry holding %s as a problem, without throwing', (_name, value) => {
    for (const keyring of [plain, ring(KEY)]) {
      expect(() => openEntry(value, keyring, ENTRY)).not.toThrow()
      expect(openEntry(value, keyring, ENTRY).problem).toEqual(expect.any(String))
    }
  })

  it('quotes at most a few characters of what an entry holds in a problem', () => {
    const kid = 'k'.repeat(100_000)
    const problems = [
      openEntry(JSON.stringify({ v: 1, kid, ...sealedFields }), ring(KEY), ENTRY).problem,
      openEntry(JSON.stringify({ v: 'v'.repeat(100_000) }), plain, ENTRY).problem,
    ]
    for (const problem of problems) expect(problem?.length).toBeLessThan(200)
  })

  it('never throws, whatever JSON is stored: a token, or a short problem', () => {
    const field = fc.oneof(fc.jsonValue(), fc.constant({ toString: 1 }), fc.constant({ valueOf: {} }))
    const envelope = fc.record(
      { v: fc.oneof(fc.constant(1), field), kid: field, iv: field, data: field, tag: field, token: field },
      { requiredKeys: [] },
    )
    const stored = fc.oneof(
      envelope.map((value) => JSON.stringify(value)),
      fc.jsonValue().map((value) => `${JSON.stringify(value)}`), // not String(): `{"toString":0}` throws in the generator
      fc.string(),
    )
    fc.assert(
      fc.property(stored, (value) => {
        for (const keyring of [plain, ring(KEY)]) {
          const opened = openEntry(value, keyring, ENTRY)
          if (opened.token !== undefined)
            expect(opened.token).toEqual(expect.objectContaining({ accessToken: expect.any(String) }))
          else expect(opened.problem.length).toBeLessThan(200)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('createRedisStore options', () => {
  it('takes a key as 32 bytes, base64 or base64url, with its fingerprint as default id', () => {
    for (const encryptionKey of [
      KEY,
      KEY.toString('base64'),
      KEY.toString('base64url'),
      new Uint8Array(KEY),
    ]) {
      expect(parseRedisStoreOptions({ encryptionKey }).keyring.current?.id).toBe(keyIdOf(KEY))
    }
    expect(parseRedisStoreOptions({ encryptionKey: KEY, keyId: '2026-01' }).keyring.current?.id).toBe(
      '2026-01',
    )
  })

  it('takes former keys by id or as a list named by their fingerprints', () => {
    const byId = parseRedisStoreOptions({ encryptionKey: KEY, decryptionKeys: { old: OTHER } }).keyring.byId
    expect([...byId.keys()]).toEqual([keyIdOf(KEY), 'old'])
    const listed = parseRedisStoreOptions({ encryptionKey: KEY, decryptionKeys: [OTHER] }).keyring.byId
    expect([...listed.keys()]).toEqual([keyIdOf(KEY), keyIdOf(OTHER)])
  })

  it('has defaults', () => {
    expect(parseRedisStoreOptions(undefined)).toMatchObject({
      prefix: 'oauth-client-credentials:',
      operationTimeoutMs: 200,
      leaseMs: 10_000,
      waitMs: 15_000,
      pubSub: true,
      keyring: { current: undefined },
    })
  })

  it.each([
    [{ encryptionKey: Buffer.alloc(16) }, 'encryptionKey'],
    [{ encryptionKey: 'c2hvcnQ=' }, 'encryptionKey'],
    [{ encryptionKey: 'not base64 at all!' }, 'encryptionKey'],
    [{ keyId: 'k1' }, 'keyId'],
    [{ encryptionKey: KEY, keyId: 'has space' }, 'keyId'],
    [{ encryptionKey: KEY, decryptionKeys: [Buffer.alloc(31)] }, 'decryptionKeys.0'],
    [{ operationTimeoutMs: 0 }, 'operationTimeoutMs'],
    [{ prefix: '' }, 'prefix'],
    [{ prefix: 'orders-{api}:' }, 'prefix'],
    [{ prefix: 'a}' }, 'prefix'],
    [{ logger: {} }, 'logger'],
    [{ leaseMS: 5 }, 'leaseMS'],
  ])('refuses %o, naming %s, never echoing a key', (options, path) => {
    let error: unknown
    try {
      parseRedisStoreOptions(options)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).code).toBe('ERR_CONFIG_INVALID')
    expect((error as ConfigurationError).path).toBe(path)
    expect((error as ConfigurationError).message).not.toContain('c2hvcnQ')
  })
})
