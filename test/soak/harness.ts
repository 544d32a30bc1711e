/**
 * What the soak runs need around a client: a dispatcher that counts the requests it sends, a
 * diagnostics subscriber that counts lookups per key, a wait for requests to settle, and heap readings.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Agent, type Dispatcher } from 'undici'
import { TOKEN_CHANNEL, type TokenLookupEvent, type TokenLookupMessage } from '../../src/diagnostics.js'

export type EventCounts = Record<TokenLookupEvent, number>

const EVENTS: readonly TokenLookupEvent[] = ['hit', 'stale', 'miss', 'inflight', 'refresh', 'error']

function zero(): EventCounts {
  return { hit: 0, stale: 0, miss: 0, inflight: 0, refresh: 0, error: 0 }
}

/** Counts `oauth-client-credentials:token` messages per key and in all. */
export function lookupCounter(keys: Iterable<string>) {
  const byKey = new Map<string, EventCounts>()
  for (const key of keys) byKey.set(key, zero())
  const total = zero()
  const listener = (message: unknown) => {
    const { event, key } = message as TokenLookupMessage
    total[event]++
    let counts = byKey.get(key)
    if (counts === undefined) byKey.set(key, (counts = zero()))
    counts[event]++
  }
  subscribe(TOKEN_CHANNEL, listener)
  return {
    byKey,
    total,
    /** Requests that have settled: each ends in exactly one miss, refresh or error message. */
    get settled() {
      return total.miss + total.refresh + total.error
    },
    reset() {
      for (const counts of byKey.values()) for (const event of EVENTS) counts[event] = 0
      for (const event of EVENTS) total[event] = 0
    },
    stop() {
      unsubscribe(TOKEN_CHANNEL, listener)
    },
  }
}

/** A keep-alive Agent that counts the requests dispatched through it. */
export function countingDispatcher(): {
  dispatcher: Dispatcher
  readonly sent: number
  close(): Promise<void>
} {
  let sent = 0
  const agent = new Agent({ connections: 16, keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000 })
  const dispatcher = agent.compose(
    (dispatch) =>
      function count(opts, handler) {
        sent++
        return dispatch(opts, handler)
      },
  )
  return {
    dispatcher,
    get sent() {
      return sent
    },
    close: () => agent.close(),
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Waits until every request started so far has settled in the cache: a turn of the event loop lets
 * new requests reach the dispatcher (only microtasks stand between a lookup and its dispatch), then
 * the dispatched count must equal the settled count. Real time bounds the wait, not the assertion.
 */
export async function settle(dispatched: () => number, settled: () => number): Promise<void> {
  const deadline = performance.now() + 15_000
  await nextTurn()
  while (dispatched() !== settled()) {
    if (performance.now() > deadline) {
      throw new Error(`requests did not settle: ${dispatched()} dispatched, ${settled()} settled`)
    }
    await nextTurn()
  }
}

setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

/**
 * Bytes of heap in use after full garbage collections. Between them, turns of the event loop let
 * finalizers run: each token request's `AbortSignal.timeout` keeps a timer until its signal's
 * finalizer clears it, and those timers are garbage of requests, not memory a client keeps.
 */
export async function heapAfterGc(): Promise<number> {
  collect()
  for (let i = 0; i < 3; i++) await nextTurn()
  collect()
  for (let i = 0; i < 3; i++) await nextTurn()
  collect()
  return getHeapStatistics().used_heap_size
}
