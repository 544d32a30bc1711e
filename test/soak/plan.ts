/**
 * The soak's call plan and its expected token requests, computed from the documented refresh rules
 * (README "How caching and refresh work", docs/design.md §5) — independently of src/cache.ts:
 * - `expiresAt` = when the request was sent + `expires_in`;
 * - `refreshAt` = the earlier of sent + `refresh_in` and `expiresAt` − 5 min; under 10 min of life,
 *   sent + half the lifetime;
 * - a token is never handed out within 30 s of `expiresAt`;
 * - the first call at or after `refreshAt` starts one background refresh (its request is sent then).
 * Each key's calls are drawn so that one falls in every window [refreshAt, expiresAt − 30 s): the key
 * never expires while in use, so its requests are exactly its refresh periods.
 */

export const SECOND = 1000
export const DAY_SEC = 24 * 3600
/** Calls happen on this grid (seconds). */
export const STEP_SEC = 10
const WINDOW_SEC = 5 * 60
const SHORT_LIFETIME_SEC = 10 * 60
const SKEW_SEC = 30

/** A kind of API: the lifetime and `refresh_in` its tokens come with, how many resources, how long each is used. */
export interface TokenClass {
  readonly name: string
  readonly lifetimeSec: number
  readonly refreshInSec: number | undefined
  /** Resources of this class (per tenant). */
  readonly resources: number
  /** How long a key is in use: the whole day, or a span (seconds) somewhere in it. */
  readonly spanSec: 'day' | readonly [number, number]
}

export const CLASSES: readonly TokenClass[] = [
  { name: 'L300', lifetimeSec: 300, refreshInSec: undefined, resources: 50, spanSec: [1800, 1800] },
  { name: 'L300-R120', lifetimeSec: 300, refreshInSec: 120, resources: 25, spanSec: [1800, 1800] },
  { name: 'L3599', lifetimeSec: 3599, refreshInSec: undefined, resources: 100, spanSec: [7200, 21_600] },
  { name: 'L3599-R1800', lifetimeSec: 3599, refreshInSec: 1800, resources: 50, spanSec: [7200, 21_600] },
  { name: 'L86399', lifetimeSec: 86_399, refreshInSec: undefined, resources: 200, spanSec: 'day' },
  { name: 'L86399-R43200', lifetimeSec: 86_399, refreshInSec: 43_200, resources: 75, spanSec: 'day' },
]

/** The lifetime and refresh_in the fake endpoint answers for a scope: read from the class in its path. */
export function classOfScope(scope: string): TokenClass | undefined {
  const name = /^api:\/\/soak\/([^/]+)\//.exec(scope)?.[1]
  return CLASSES.find((c) => c.name === name)
}

/** When a token requested at `sentSec` is due for refresh and expires (seconds), by the documented rules. */
export function predictedTimes(sentSec: number, c: TokenClass): { refreshAt: number; expiresAt: number } {
  const expiresAt = sentSec + c.lifetimeSec
  let refreshAt = c.lifetimeSec < SHORT_LIFETIME_SEC ? sentSec + c.lifetimeSec / 2 : expiresAt - WINDOW_SEC
  if (c.refreshInSec !== undefined) refreshAt = Math.min(refreshAt, sentSec + c.refreshInSec)
  return { refreshAt, expiresAt }
}

/** One key: a tenant and a resource, the calls made for it and the requests they must cause. */
export interface KeyPlan {
  readonly tenant: string
  readonly resource: string
  readonly scope: string
  readonly tokenClass: TokenClass
  /** Call times, seconds into the day, ascending. */
  readonly calls: number[]
  /** Predicted token requests: one per refresh period. */
  expectedRequests: number
  /** [from, to) spans (seconds) in which a call is a plain hit: added calls there change nothing. */
  readonly quiet: Array<readonly [number, number]>
}

/** A small deterministic PRNG (mulberry32), so that every run plays the same day. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A grid time in [from, to) (seconds), or undefined when the range holds none. */
function gridTime(rng: () => number, from: number, to: number): number | undefined {
  const first = Math.ceil(from / STEP_SEC)
  const last = Math.ceil(to / STEP_SEC) - 1
  if (last < first) return undefined
  return (first + Math.floor(rng() * (last - first + 1))) * STEP_SEC
}

/** Plans one key's calls from `start` to `end`, following the predicted token times. */
function planKey(rng: () => number, plan: KeyPlan, start: number, end: number): void {
  let sent = start
  plan.calls.push(start)
  plan.expectedRequests = 1
  for (;;) {
    const { refreshAt, expiresAt } = predictedTimes(sent, plan.tokenClass)
    // from the next step on: a second call in the step of the first would join its request
    const quiet = [sent + STEP_SEC, Math.min(refreshAt, end + 1)] as const
    plan.quiet.push(quiet)
    const hits = Math.floor(rng() * 3)
    const hitTimes: number[] = []
    for (let i = 0; i < hits; i++) {
      const at = gridTime(rng, quiet[0], quiet[1])
      if (at !== undefined) hitTimes.push(at)
    }
    plan.calls.push(...hitTimes.sort((a, b) => a - b))
    const refreshCall = gridTime(rng, refreshAt, expiresAt - SKEW_SEC)
    if (refreshCall === undefined) throw new Error(`no grid time to refresh ${plan.tokenClass.name}`)
    if (refreshCall > end) return
    plan.calls.push(refreshCall)
    plan.expectedRequests++
    sent = refreshCall
  }
}

/** `tenants` × every class's resources: the 10,000 keys, without calls yet. */
export function planKeys(tenants: readonly string[]): KeyPlan[] {
  const plans: KeyPlan[] = []
  for (const tenant of tenants) {
    for (const tokenClass of CLASSES) {
      for (let r = 0; r < tokenClass.resources; r++) {
        const resource = `api://soak/${tokenClass.name}/r${r}`
        const scope = `${resource}/.default`
        plans.push({ tenant, resource, scope, tokenClass, calls: [], expectedRequests: 0, quiet: [] })
      }
    }
  }
  return plans
}

/** Every key of `tenants` with its calls over the day, `totalCalls` calls in all. */
export function planDay(tenants: readonly string[], totalCalls: number, seed: number): KeyPlan[] {
  const rng = random(seed)
  const plans = planKeys(tenants)
  for (const plan of plans) {
    const [start, end] = keySpan(rng, plan.tokenClass)
    planKey(rng, plan, start, end)
  }
  padWithHits(rng, plans, totalCalls)
  return plans
}

function keySpan(rng: () => number, c: TokenClass): readonly [number, number] {
  const last = DAY_SEC - STEP_SEC
  if (c.spanSec === 'day') return [gridTime(rng, 0, 3600) ?? 0, last]
  const [min, max] = c.spanSec
  const span = min + Math.floor(rng() * (max - min + 1))
  const start = gridTime(rng, 0, DAY_SEC - span) ?? 0
  return [start, Math.min(last, start + span)]
}

/** Adds plain hits (calls in a quiet span) until there are `totalCalls` calls. */
function padWithHits(rng: () => number, plans: KeyPlan[], totalCalls: number): void {
  let count = plans.reduce((n, p) => n + p.calls.length, 0)
  if (count > totalCalls) throw new Error(`the plan has ${count} calls, more than ${totalCalls}`)
  while (count < totalCalls) {
    const plan = plans[Math.floor(rng() * plans.length)] as KeyPlan
    const quiet = plan.quiet[Math.floor(rng() * plan.quiet.length)] as readonly [number, number]
    const at = gridTime(rng, quiet[0], quiet[1])
    if (at === undefined) continue
    plan.calls.push(at)
    count++
  }
  for (const plan of plans) plan.calls.sort((a, b) => a - b)
}

/** Every call of every key, in time order: [second, key index] pairs in two parallel arrays. */
export function timeline(plans: readonly KeyPlan[]): { at: Float64Array; key: Int32Array } {
  const total = plans.reduce((n, p) => n + p.calls.length, 0)
  const at = new Float64Array(total)
  const key = new Int32Array(total)
  let i = 0
  plans.forEach((plan, k) => {
    for (const t of plan.calls) {
      at[i] = t
      key[i++] = k
    }
  })
  const order = Array.from({ length: total }, (_, j) => j).sort(
    (a, b) => (at[a] as number) - (at[b] as number) || a - b,
  )
  return {
    at: Float64Array.from(order, (j) => at[j] as number),
    key: Int32Array.from(order, (j) => key[j] as number),
  }
}
