/**
 * An in-memory {@link TokenStore} for the cache-side tests: counts calls, can hold leases for another
 * "process", can fail, and wakes waiters as a real store would.
 */
import type { StoredToken, StoreLease, TokenStore } from '../../../src/store.js'

const HOUR = 3_600_000

export class MemoryStore implements TokenStore {
  readonly entries = new Map<string, StoredToken>()
  readonly ttls = new Map<string, number>()
  readonly leases = new Map<string, string>()
  readonly calls = { get: 0, set: 0, lease: 0, release: 0, clear: 0 }
  /** Makes every method throw (`'sync'`) or reject (`'async'`). */
  failing: false | 'sync' | 'async' = false
  waitMs = 1_000
  now = () => Date.now()
  readonly #waiters = new Set<() => void>()

  get(key: string): Promise<StoredToken | undefined> {
    this.calls.get++
    const failed = this.#failed()
    if (failed) return failed
    return Promise.resolve(this.entries.get(key))
  }

  set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    this.calls.set++
    const failed = this.#failed()
    if (failed) return failed
    this.entries.set(key, token)
    this.ttls.set(key, ttlMs)
    this.#wake()
    return Promise.resolve()
  }

  /** Deletes the entries of the client named by `keyPrefix`; resolves how many. */
  clear(keyPrefix: string): Promise<number> {
    this.calls.clear++
    const failed = this.#failed()
    if (failed) return failed
    const ours = [...this.entries.keys()].filter((key) => key.startsWith(`${keyPrefix}\u0000`))
    for (const key of ours) this.entries.delete(key)
    return Promise.resolve(ours.length)
  }

  /** This store with leases and waits: what a fleet store offers. */
  withLease(): TokenStore & { readonly waitMs: number } {
    return {
      get: (key) => this.get(key),
      set: (key, token, ttlMs) => this.set(key, token, ttlMs),
      lease: (key) => this.holdLease(key, 'us'),
      waitForChange: (_key, timeoutMs) => this.#wait(timeoutMs),
      waitMs: this.waitMs,
    }
  }

  holdLease(key: string, owner: string): Promise<StoreLease | undefined> {
    this.calls.lease++
    const failed = this.#failed()
    if (failed) return failed
    if (this.leases.has(key)) return Promise.resolve(undefined)
    this.leases.set(key, owner)
    return Promise.resolve({ release: () => this.release(key, owner) })
  }

  release(key: string, owner: string): Promise<void> {
    this.calls.release++
    if (this.leases.get(key) === owner) this.leases.delete(key)
    this.#wake()
    return Promise.resolve()
  }

  /** A stored token named `value`, requested `agoMs` ago, living `lifetimeMs`. */
  token(value: string, agoMs = 0, lifetimeMs = HOUR): StoredToken {
    const requestedAt = this.now() - agoMs
    return {
      accessToken: value,
      requestedAt,
      refreshAt: requestedAt + lifetimeMs - 300_000,
      expiresAt: requestedAt + lifetimeMs,
      scope: 'api://a/.default',
      tenant: 'contoso.onmicrosoft.com',
    }
  }

  /** Throws (`'sync'`), or a rejected promise (`'async'`), or nothing. */
  #failed(): Promise<never> | undefined {
    if (this.failing === 'sync') throw new Error('store down')
    if (this.failing === 'async') return Promise.reject(new Error('store down (async)'))
    return undefined
  }

  #wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#waiters.delete(done)
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      this.#waiters.add(done)
    })
  }

  #wake(): void {
    for (const done of [...this.#waiters]) done()
  }
}
