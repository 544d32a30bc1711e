/**
 * The token store on Redis: one string per token (encrypted when a key is given) expiring with the
 * token, a lease per token so that one process of the fleet fetches it, and wake-up channels for the
 * others, all three of a token in one hash slot (keys.ts). It takes node-redis and ioredis clients and
 * clusters (driver.ts). Redis is an optimisation: every method answers (a miss, a granted lease) when
 * Redis cannot, and never rejects.
 */
import { randomBytes } from 'node:crypto'
import { REDACTED, redactInstances } from '../redact.js'
import type { StoredToken, StoreLease, TokenStore } from '../store.js'
import { deleteMatching } from './clear.js'
import type { RedisLike } from './client.js'
import { FAILED, RedisConnection } from './connection.js'
import { driverFor, type RedisDriver } from './driver.js'
import { openEntry, sealEntry } from './envelope.js'
import { clientPattern, eventsChannels, type RedisTokenKeys, redisTokenKeys } from './keys.js'
import { Notifier, UNKNOWN_COMMAND } from './notifier.js'
import { parseRedisStoreOptions, type RedisStoreOptions, type RedisStoreSettings } from './options.js'
import { Refused } from './replies.js'

/** Deletes the lease only if `owner` still holds it: KEYS[1] lease; ARGV owner. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`

/** The lease granted when Redis cannot be asked: nobody to coordinate with, so fetch. */
const UNCOORDINATED: StoreLease = { release: () => Promise.resolve() }

/** How many newer format versions a store remembers having logged (entries are data: bounded). */
const NEWER_FORMATS_LOGGED = 8

/**
 * A {@link TokenStore} on Redis. Create it with {@link createRedisStore}.
 *
 * @example
 * ```ts
 * const store = createRedisStore(redis, { encryptionKey: process.env.TOKEN_KEY! })
 * store.describe() // { prefix: 'oauth-client-credentials:', encrypted: true, keyId: '…', available: true, … }
 * await store.close() // on shutdown, before redis.close()
 * ```
 */
export class RedisTokenStore implements TokenStore {
  /** How long a process waits for the leaseholder's token before requesting its own, ms. */
  readonly waitMs: number
  readonly #settings: RedisStoreSettings
  readonly #driver: RedisDriver
  readonly #connection: RedisConnection
  readonly #notifier: Notifier | undefined
  readonly #newerFormats = new Set<number>()
  /** Whether wake-ups are published on sharded channels (SPUBLISH), until the server says it has none. */
  #sharded = true

  constructor(redis: RedisLike, options?: RedisStoreOptions) {
    const settings = parseRedisStoreOptions(options)
    this.#settings = settings
    this.waitMs = settings.waitMs
    this.#driver = driverFor(redis)
    this.#connection = new RedisConnection(this.#driver, settings.operationTimeoutMs, settings.logger)
    if (settings.pubSub)
      this.#notifier = new Notifier(this.#driver, eventsChannels(settings.prefix), settings.logger)
  }

  /** The token stored at `key`; `undefined` when absent, unreadable (logged) or Redis unavailable. */
  async get(key: string): Promise<StoredToken | undefined> {
    const keys = this.#keys(key)
    const value = textOf(await this.#connection.run(['GET', keys.entry], keys.entry))
    if (value === undefined) return undefined
    const { token, problem, newerFormat } = openEntry(value, this.#settings.keyring, keys.entry)
    if (newerFormat !== undefined) this.#newerFormat(newerFormat)
    else if (problem !== undefined) {
      this.#settings.logger?.warn?.('Unreadable token in the Redis token store, treated as a miss.', {
        key: keys.entry,
        problem: `the entry ${problem}`,
      })
    }
    return token
  }

  /** Stores `token` at `key` for `ttlMs` and wakes the processes waiting for it. */
  async set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    const keys = this.#keys(key)
    const value = sealEntry(token, this.#settings.keyring, keys.entry)
    const px = String(Math.max(1, Math.ceil(ttlMs)))
    await Promise.all([
      this.#connection.run(['SET', keys.entry, value, 'PX', px], keys.entry),
      this.#publish(keys),
    ])
  }

  /** `key`'s lease for `leaseMs`; `undefined` when another process holds it; granted when Redis is unavailable. */
  async lease(key: string): Promise<StoreLease | undefined> {
    const keys = this.#keys(key)
    const owner = randomBytes(16).toString('base64url')
    const px = String(this.#settings.leaseMs)
    const reply = await this.#connection.run(['SET', keys.lease, owner, 'NX', 'PX', px], keys.lease)
    if (reply === FAILED) return UNCOORDINATED
    if (reply === null || reply === undefined) return undefined
    return { release: () => this.#release(keys, owner) }
  }

  /** Resolves when `key` is set or its lease released (pub/sub), or after `timeoutMs`. */
  waitForChange(key: string, timeoutMs: number): Promise<void> {
    const keys = this.#keys(key)
    const notifier = this.#notifier
    if (notifier !== undefined && !this.#connection.down(keys.entry))
      return notifier.wait(keys.digest, timeoutMs)
    return new Promise((resolve) => setTimeout(resolve, timeoutMs))
  }

  /**
   * Drops the entries of one client, on every primary: every token stored under a key that starts with
   * `keyPrefix` (the cache's `keyPrefix`: authority, NUL, client id), e.g. after a credential rotation.
   * Resolves how many entries were deleted; never rejects (what cannot be reached is logged).
   */
  async clear(keyPrefix: string): Promise<number> {
    const pattern = clientPattern(this.#settings.prefix, keyPrefix)
    if (pattern === undefined) {
      this.#settings.logger?.warn?.(
        'Redis token store: clear() takes a client key prefix (authority, NUL, client id); nothing dropped.',
      )
      return 0
    }
    const { operationTimeoutMs: timeoutMs, logger } = this.#settings
    return deleteMatching({ driver: this.#driver, connection: this.#connection, timeoutMs, logger }, pattern)
  }

  /** Stops using Redis: closes the store's pub/sub connection, detaches from the client (not closed). */
  async close(): Promise<void> {
    this.#connection.close()
    this.#notifier?.close()
  }

  /** The store's settings and state, for logs (never a key or a token). */
  describe(): Record<string, unknown> {
    const s = this.#settings
    return {
      prefix: s.prefix,
      encrypted: s.keyring.current !== undefined,
      keyId: s.keyring.current?.id,
      encryptionKey: s.keyring.current === undefined ? undefined : REDACTED,
      leaseMs: s.leaseMs,
      waitMs: s.waitMs,
      pubSub: s.pubSub,
      cluster: this.#driver.clustered,
      available: !this.#connection.down(),
    }
  }

  async #release(keys: RedisTokenKeys, owner: string): Promise<void> {
    const reply = await this.#connection.run(['EVAL', RELEASE_SCRIPT, '1', keys.lease, owner], keys.lease)
    if (reply === 1) await this.#publish(keys)
  }

  /** Announces a write or a release on the token's channel: sharded where the server has it. */
  async #publish(keys: RedisTokenKeys): Promise<void> {
    if (this.#sharded) {
      const args = ['SPUBLISH', keys.channel, keys.digest]
      const reply = await this.#connection.run(args, keys.channel, UNKNOWN_COMMAND)
      if (!(reply instanceof Refused)) return
      this.#sharded = false // Redis 6: classic pub/sub, as the subscribers find too
    }
    await this.#connection.run(['PUBLISH', keys.channel, keys.digest], keys.channel)
  }

  #newerFormat(version: number): void {
    if (this.#newerFormats.has(version) || this.#newerFormats.size >= NEWER_FORMATS_LOGGED) return
    this.#newerFormats.add(version)
    this.#settings.logger?.warn?.(
      'A token in the Redis token store is in a newer format, written by a newer release of oauth-client-credentials: read as a miss (logged once per format).',
      { format: version },
    )
  }

  #keys(key: string): RedisTokenKeys {
    return redisTokenKeys(this.#settings.prefix, key)
  }
}
redactInstances(RedisTokenStore, (store) => store.describe())

/**
 * A fleet-wide token store on Redis, for `new TokenClient({ …, cache: { store } })`: the in-process
 * cache stays in front (a hit never touches Redis), and on a miss the fleet sends one token request
 * per key. Give it a node-redis v5/v6 client or cluster (`createClient()`, `createCluster()`), or an
 * ioredis v5/v6 client or cluster (`new Redis()`, `new Cluster()`); connect it without awaiting, since
 * `connect()` waits for Redis: the store works without Redis until it is ready. The store listens to
 * the client's 'error' events (so that a lost Redis never crashes the process) and logs one warning
 * per outage; your own listeners still run.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { TokenClient } from 'oauth-client-credentials'
 * import { createRedisStore } from 'oauth-client-credentials/redis'
 *
 * const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' })
 * redis.connect().catch(() => {}) // retries in the background; the store copes meanwhile
 * const store = createRedisStore(redis, { encryptionKey: process.env.TOKEN_CACHE_KEY!, logger: console })
 * const client = new TokenClient({ tenant, clientId, credential, cache: { store } })
 * ```
 */
export function createRedisStore(redis: RedisLike, options?: RedisStoreOptions): RedisTokenStore {
  return new RedisTokenStore(redis, options)
}

/** A string reply as text (a client with a Buffer type mapping answers Buffers); else `undefined`. */
function textOf(reply: unknown): string | undefined {
  if (typeof reply === 'string') return reply
  if (reply instanceof Uint8Array) return Buffer.from(reply).toString('utf8')
  return undefined
}
