/**
 * A token store shared by a fleet of processes (docs/design.md §5: the cache's pluggable store), and the
 * protocol by which the fleet sends one token request per key: read the store; else take the key's
 * lease and fetch; else wait for the leaseholder's token. The cache (cache.ts) decides which stored
 * token is usable; the store (e.g. `oauth-client-credentials/redis`) only keeps entries, leases and
 * notifications. A store is an optimisation: when it fails, the cache fetches on its own.
 */
import type { CacheableToken } from './cache.js'
import type { Logger } from './options.js'

/** How long to wait between two looks at the store while another process holds the lease, ms. */
export const STORE_POLL_MS = 100
/** How long a process waits for another's request when the store names no `waitMs`, ms. */
export const DEFAULT_STORE_WAIT_MS = 10_000

/**
 * A token as a store keeps it: what is needed to rebuild it in another process.
 *
 * @example
 * ```ts
 * const stored: StoredToken = {
 *   accessToken: 'eyJ0eXAi…', requestedAt: 1764000000000, refreshAt: 1764003300000,
 *   expiresAt: 1764003599000, scope: 'api://myapis/mywebapi/.default', tenant: 'contoso.onmicrosoft.com',
 * }
 * ```
 */
export interface StoredToken {
  readonly accessToken: string
  /** When the request for it was sent, epoch ms. */
  readonly requestedAt: number
  /** When it is due for refresh, epoch ms. */
  readonly refreshAt: number
  /** When it expires, epoch ms. */
  readonly expiresAt: number
  readonly scope: string
  readonly tenant: string | undefined
}

/**
 * The right, for one process of a fleet, to request a key's token; the others wait for it.
 *
 * @example
 * ```ts
 * // a store's lease: one holder per key; `undefined` while another process holds it
 * const held = new Set<string>()
 * const lease = async (key: string): Promise<StoreLease | undefined> => {
 *   if (held.has(key)) return undefined
 *   held.add(key)
 *   return { release: async () => void held.delete(key) }
 * }
 * ```
 */
export interface StoreLease {
  /** Gives the lease up (only if still held) and wakes the waiting processes. Never rejects. */
  release(): Promise<void>
}

/**
 * A token store shared by processes, e.g. `createRedisStore(redis)` from `oauth-client-credentials/redis`.
 * Its methods never reject: a store that cannot answer reads as empty and grants leases.
 *
 * @example
 * ```ts
 * import { createRedisStore } from 'oauth-client-credentials/redis'
 * const store: TokenStore = createRedisStore(redis, { encryptionKey: process.env.TOKEN_KEY! })
 * const client = new TokenClient({ tenant, clientId, credential, cache: { store } })
 * ```
 */
export interface TokenStore {
  /** The token stored at `key`, or `undefined` (absent, unreadable, or the store unreachable). */
  get(key: string): Promise<StoredToken | undefined>
  /** Stores `token` at `key` for `ttlMs` (until it expires) and wakes the processes waiting for it. */
  set(key: string, token: StoredToken, ttlMs: number): Promise<void>
  /** Takes `key`'s lease: a {@link StoreLease}, or `undefined` when another process holds it. */
  lease?(key: string): Promise<StoreLease | undefined>
  /** Resolves when `key` is set or its lease released, or after `timeoutMs`, whichever comes first. */
  waitForChange?(key: string, timeoutMs: number): Promise<void>
  /**
   * Deletes the tokens of one client: every key that is `keyPrefix` ({@link CacheStoreSettings.keyPrefix},
   * which names the authority and client id), a NUL, then a cache key; the other clients' stay.
   */
  clear?(keyPrefix: string): Promise<unknown>
  /** How long a process waits for another's request before sending its own, ms. @defaultValue 10000 */
  readonly waitMs?: number | undefined
}

/**
 * What a cache needs to share its tokens through a {@link TokenStore}.
 *
 * @example
 * ```ts
 * const shared: CacheStoreSettings<AccessToken> = {
 *   store, keyPrefix: `${authorityHost}\u0000${clientId}`,
 *   toStored: (token) => token, revive: (stored) => new AccessToken(stored),
 * }
 * ```
 */
export interface CacheStoreSettings<Token> {
  store: TokenStore
  /** Names the client (authority and client id) in every store key, so clients never share tokens. */
  keyPrefix: string
  /** The stored form of a token. */
  toStored(token: Token): StoredToken
  /** A token from its stored form. */
  revive(stored: StoredToken): Token
  /** Where a store that breaks its promise never to reject is reported. */
  logger?: Logger | undefined
}

/**
 * One fetch through the store, as the cache sets it up.
 *
 * @example
 * ```ts
 * const io: SharedFetch<AccessToken> = { shared, key, read: true, accept, fetch: () => request(), ttlMs }
 * ```
 */
export interface SharedFetch<Token extends CacheableToken> {
  shared: CacheStoreSettings<Token>
  /** The full store key: prefix and cache key. */
  key: string
  /** Whether a stored token may answer (not for forced refreshes and claims challenges). */
  read: boolean
  /** Whether `stored` may answer this fetch (the cache's freshness rules). */
  accept(stored: StoredToken): boolean
  /**
   * Whether `stored` is a token for what this fetch asks (scope and tenant): a store entry copied under
   * another key is refused, and logged. Checked on every read; absent, nothing is checked.
   */
  belongs?(stored: StoredToken): boolean
  /** Sends the request to the authority. */
  fetch(): Promise<Token>
  /** How long `token` should be kept in the store, ms (`<= 0`: not worth storing). */
  ttlMs(token: Token): number
}

/**
 * Deletes this cache's tokens from its store (for `clearCache({ shared: true })`, e.g. after a credential
 * rotation): the tokens of this client only, never another's. Never rejects; a store without `clear`
 * deletes nothing.
 *
 * @example
 * ```ts
 * await clearShared(shared) // then forget the in-process tokens too
 * ```
 */
export async function clearShared<Token>(shared: CacheStoreSettings<Token>): Promise<void> {
  const { store } = shared
  const clear = store.clear
  if (clear !== undefined) await attempt({ shared }, () => clear.call(store, shared.keyPrefix), undefined)
}

type Reporter = { readonly shared: { readonly logger?: Logger | undefined } }

const FREE_LEASE: StoreLease = { release: () => Promise.resolve() }

/**
 * Gets a token for `io.key` with one request for the whole fleet: a usable stored token; else, with
 * the key's lease, a fresh request whose token is stored; else, while another process holds the
 * lease, that process's token (waiting up to the store's `waitMs`, then requesting on our own).
 *
 * @example
 * ```ts
 * const token = await fetchShared({ shared, key, read: true, accept, fetch: () => request(), ttlMs })
 * ```
 */
export async function fetchShared<Token extends CacheableToken>(io: SharedFetch<Token>): Promise<Token> {
  if (!io.read) return stored(io, await io.fetch())
  const found = await readUsable(io)
  if (found !== undefined) return found
  const { store } = io.shared
  const takeLease = store.lease
  if (takeLease === undefined) return stored(io, await io.fetch())
  const until = performance.now() + (store.waitMs ?? DEFAULT_STORE_WAIT_MS)
  for (;;) {
    const lease = await attempt(io, () => takeLease.call(store, io.key), FREE_LEASE)
    if (lease !== undefined) return fetchHoldingLease(io, lease)
    const leftMs = until - performance.now()
    if (leftMs <= 0) break
    await waitForChange(io, Math.min(STORE_POLL_MS, leftMs))
    const ready = await readUsable(io)
    if (ready !== undefined) return ready
  }
  return stored(io, await io.fetch())
}

async function fetchHoldingLease<Token extends CacheableToken>(
  io: SharedFetch<Token>,
  lease: StoreLease,
): Promise<Token> {
  let token: Token
  try {
    // another process may have stored its token between our read and our lease
    const found = await readUsable(io)
    if (found !== undefined) {
      release(lease)
      return found
    }
    token = await io.fetch()
  } catch (error) {
    release(lease)
    throw error
  }
  void store(io, token).then(() => release(lease))
  return token
}

/** Gives `lease` up in the background (after the token is stored, so that waiters find it). */
function release(lease: StoreLease): void {
  try {
    lease.release().catch(noop)
  } catch {
    // a store's release must not reject; if it throws, the lease expires on its own
  }
}

/** Stores `token` in the background and returns it. */
function stored<Token extends CacheableToken>(io: SharedFetch<Token>, token: Token): Token {
  void store(io, token)
  return token
}

/** Writes `token` to the store; never rejects. */
async function store<Token extends CacheableToken>(io: SharedFetch<Token>, token: Token): Promise<void> {
  let entry: StoredToken
  let ttlMs: number
  try {
    ttlMs = io.ttlMs(token)
    entry = io.shared.toStored(token)
  } catch (error) {
    return report(io, error)
  }
  if (ttlMs > 0) await attempt(io, () => io.shared.store.set(io.key, entry, ttlMs), undefined)
}

async function readUsable<Token extends CacheableToken>(io: SharedFetch<Token>): Promise<Token | undefined> {
  const entry = await attempt(io, () => io.shared.store.get(io.key), undefined)
  if (entry === undefined) return undefined
  if (io.belongs !== undefined && !io.belongs(entry)) {
    warn(
      io,
      'A token in the shared store names another scope or tenant than its key asks for; it is ignored.',
      {
        scope: entry.scope,
        tenant: entry.tenant,
      },
    )
    return undefined
  }
  if (!io.accept(entry)) return undefined
  try {
    return io.shared.revive(entry)
  } catch (error) {
    return report(io, error)
  }
}

function waitForChange<Token extends CacheableToken>(io: SharedFetch<Token>, ms: number): Promise<void> {
  const { store } = io.shared
  const wait = store.waitForChange
  if (wait === undefined) return new Promise((resolve) => setTimeout(resolve, ms))
  return attempt(io, () => wait.call(store, io.key, ms), undefined)
}

/** What `call` resolves to, or `fallback` (reported) if it throws or rejects: a store never fails a caller. */
async function attempt<T, F>(io: Reporter, call: () => Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await call()
  } catch (error) {
    report(io, error)
    return fallback
  }
}

function report(io: Reporter, error: unknown): undefined {
  warn(io, 'The token store failed; going on without it.', { error: describe(error) })
  return undefined
}

/** Logs, never throwing: a store's failure must not become the caller's, nor must a logger's. */
function warn(io: Reporter, message: string, details: Record<string, unknown>): void {
  try {
    io.shared.logger?.warn?.(message, details)
  } catch {
    // a broken logger loses its line
  }
}

/** What a store threw, never throwing: a store may reject with anything (even `{ toString: 1 }`). */
function describe(error: unknown): string {
  if (error instanceof Error) return typeof error.message === 'string' ? error.message : error.name
  return typeof error === 'string' ? error : `a non-Error ${typeof error}`
}

function noop(): void {}
