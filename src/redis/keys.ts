/**
 * Where the store keeps things in Redis. Every name starts with the store's prefix and carries a hash
 * tag (`{0}` … `{f}`, from the token's digest), so that a token's entry, its lease and its wake-up
 * channel live in one hash slot: on one primary of a Redis Cluster, where the lease script and sharded
 * pub/sub need them. A token's name holds two SHA-256 digests: of its client (authority and client id),
 * so that one client's entries can be found and dropped, and of its whole store key (authority, client
 * id, tenant, scope): bounded in length, free of separators, and naming no tenant or application to
 * whoever can list the keys.
 *
 * - `{prefix}token:{t}:{client}:{digest}` the token (a string, expiring with the token)
 * - `{prefix}token:{t}:{client}:{digest}:lease` the lease: who is fetching it (expiring after `leaseMs`)
 * - `{prefix}token-events:{t}` the wake-up channel of the tokens tagged `t`: their digests, as they are
 *   set or released
 */
import { createHash } from 'node:crypto'

/**
 * The prefix of every Redis key and channel of the store, unless given.
 *
 * @example
 * ```ts
 * redisTokenKeys(DEFAULT_PREFIX, storeKey).entry.startsWith('oauth-client-credentials:token:') // true
 * ```
 */
export const DEFAULT_PREFIX = 'oauth-client-credentials:'

/**
 * How many hash tags (and wake-up channels) a store spreads its tokens over.
 *
 * @example
 * ```ts
 * eventsChannels(DEFAULT_PREFIX).length === TAG_COUNT // true
 * ```
 */
export const TAG_COUNT = 16

/** How many NUL-separated fields of a store key name its client: the authority and the client id. */
const CLIENT_FIELDS = 2
/** How many characters of the client's digest a name keeps (128 bits). */
const CLIENT_DIGEST_CHARS = 22

/**
 * The Redis names of one token.
 *
 * @example
 * ```ts
 * const { entry, lease, channel }: RedisTokenKeys = redisTokenKeys(DEFAULT_PREFIX, storeKey)
 * ```
 */
export interface RedisTokenKeys {
  /** What the wake-up channel carries for this token. */
  readonly digest: string
  /** The hash tag of the token's names, `0` to `f`. */
  readonly tag: string
  /** The token's entry. */
  readonly entry: string
  /** The token's lease. */
  readonly lease: string
  /** The channel that announces the token's writes and releases. */
  readonly channel: string
}

/**
 * The Redis names of the token stored under `key` (the cache's store key: client prefix, NUL, cache key).
 *
 * @example
 * ```ts
 * redisTokenKeys('oauth-client-credentials:', 'https://login.microsoftonline.com\u0000<client id>\u0000…')
 * // { digest: 'q3…', tag: 'a', entry: 'oauth-client-credentials:token:{a}:Zk…:q3…', lease: '…:q3…:lease',
 * //   channel: 'oauth-client-credentials:token-events:{a}' }
 * ```
 */
export function redisTokenKeys(prefix: string, key: string): RedisTokenKeys {
  const hash = createHash('sha256').update(key).digest()
  const digest = hash.toString('base64url')
  const tag = ((hash[0] ?? 0) % TAG_COUNT).toString(16)
  const entry = `${prefix}token:{${tag}}:${clientDigest(clientOf(key))}:${digest}`
  return { digest, tag, entry, lease: `${entry}:lease`, channel: eventsChannel(prefix, tag) }
}

/**
 * The wake-up channel of the tokens tagged `tag`.
 *
 * @example
 * ```ts
 * eventsChannel('oauth-client-credentials:', 'a') // 'oauth-client-credentials:token-events:{a}'
 * ```
 */
export function eventsChannel(prefix: string, tag: string): string {
  return `${prefix}token-events:{${tag}}`
}

/**
 * Every wake-up channel of a store: one per hash tag.
 *
 * @example
 * ```ts
 * eventsChannels('app:') // ['app:token-events:{0}', …, 'app:token-events:{f}']
 * ```
 */
export function eventsChannels(prefix: string): string[] {
  return Array.from({ length: TAG_COUNT }, (_, i) => eventsChannel(prefix, i.toString(16)))
}

/**
 * A SCAN pattern matching the entries (and leases) of the client named by `clientPrefix` (authority,
 * NUL, client id: the cache's `keyPrefix`); `undefined` when it does not name a client that way.
 *
 * @example
 * ```ts
 * clientPattern('app:', 'https://login.microsoftonline.com\u0000<client id>') // 'app:token:{?}:Zk…:*'
 * ```
 */
export function clientPattern(prefix: string, clientPrefix: string): string | undefined {
  if (clientPrefix.split('\u0000').length !== CLIENT_FIELDS) return undefined
  return `${escapeGlob(prefix)}token:{?}:${clientDigest(clientPrefix)}:*`
}

/** The part of a store key that names its client: its first two NUL-separated fields. */
function clientOf(key: string): string {
  return key.split('\u0000', CLIENT_FIELDS).join('\u0000')
}

function clientDigest(client: string): string {
  return createHash('sha256').update(client).digest('base64url').slice(0, CLIENT_DIGEST_CHARS)
}

/** `text` matched literally by a Redis glob pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}
