/**
 * Folder `faults/`: programmable faults. The queue tests fill (this file) and what each fault does
 * to an answer (`effects.ts`).
 *
 * Programmable faults: what the next matching request(s) get instead of (or on top of) the normal
 * answer. Faults are matched in the order they were added; each is used `times` times.
 */
import { z } from 'zod'
import { ROUTE_NAMES, type RouteName } from '../http/url-map.js'
import { parseEntry } from '../registry/registry-error.js'

const target = {
  /** Only requests to this route. @defaultValue any route */
  route: z.enum(ROUTE_NAMES).optional(),
  /** Only token requests from this client id. @defaultValue any client */
  clientId: z.string().optional(),
  /** How many matching requests get the fault. @defaultValue 1 */
  times: z.union([z.number().int().positive(), z.literal(Number.POSITIVE_INFINITY)]).default(1),
}

const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...target,
    kind: z.literal('status429'),
    retryAfter: z.union([z.number(), z.string()]).optional(),
  }),
  z.strictObject({
    ...target,
    kind: z.literal('status503'),
    retryAfter: z.union([z.number(), z.string()]).optional(),
  }),
  z.strictObject({ ...target, kind: z.literal('status500') }),
  z.strictObject({ ...target, kind: z.literal('status410') }),
  z.strictObject({ ...target, kind: z.literal('latency'), ms: z.number().int().nonnegative() }),
  z.strictObject({ ...target, kind: z.literal('drop') }),
  z.strictObject({ ...target, kind: z.literal('html') }),
  z.strictObject({ ...target, kind: z.literal('truncated') }),
  z.strictObject({
    ...target,
    kind: z.literal('oversized'),
    bytes: z
      .number()
      .int()
      .positive()
      .default(2 * 1024 * 1024),
  }),
  z.strictObject({ ...target, kind: z.literal('wrongContentType') }),
  z.strictObject({ ...target, kind: z.literal('errorIn200') }),
  z.strictObject({ ...target, kind: z.literal('expiresIn'), value: z.union([z.number(), z.string()]) }),
  z.strictObject({ ...target, kind: z.literal('useDpopNonce') }),
])

/**
 * A fault as given to {@link FaultQueue.add}:
 * - `status429` — 429, plain-text body `Too Many Requests`, `Retry-After` when `retryAfter` is given;
 * - `status503` — 503 `temporarily_unavailable` AADSTS90033 (`Retry-After` when given);
 * - `status500` — 500 `server_error` AADSTS50000;
 * - `status410` — 410 `Gone`, what IMDS answers while it is being upgraded (for `route: 'imds'`);
 * - `latency` — wait `ms`, then answer normally;
 * - `drop` — destroy the socket without answering;
 * - `html` — a 502 HTML page;
 * - `truncated` — the normal answer, cut to half its JSON;
 * - `oversized` — the normal answer padded to `bytes` (valid JSON, sent chunked);
 * - `wrongContentType` — the normal answer labelled `text/html`;
 * - `errorIn200` — an error body (the request's own, else AADSTS50000) with status 200;
 * - `expiresIn` — a successful token answer whose `expires_in` is `value` (0, negative, huge, `'abc'`);
 * - `useDpopNonce` — 400 `use_dpop_nonce` with a new `DPoP-Nonce` each time (RFC 9449 §8): with
 *   `times: Infinity`, a server that never accepts the nonce it hands out.
 *
 * @example
 * ```ts
 * const fault: FaultInput = { kind: 'latency', ms: 250, times: 3 }
 * ```
 */
export type FaultInput = z.input<typeof faultSchema>
/**
 * A validated fault.
 *
 * @example
 * ```ts
 * authority.faults.pending.map((fault: Fault) => fault.kind)
 * ```
 */
export type Fault = z.output<typeof faultSchema>
/**
 * The kinds of fault.
 *
 * @example
 * ```ts
 * authority.requests.last()?.fault satisfies FaultKind | undefined
 * ```
 */
export type FaultKind = Fault['kind']

/**
 * The queue of pending faults.
 *
 * @example
 * ```ts
 * authority.faults.add({ kind: 'status429', retryAfter: 1, times: 2 })
 * authority.faults.add({ route: 'token', clientId, kind: 'expiresIn', value: 'abc' })
 * authority.faults.clear()
 * ```
 */
export class FaultQueue {
  #pending: Array<{ fault: Fault; remaining: number }> = []

  /** Queues a fault (validated; throws a `RegistryError` naming the bad field). */
  add(input: FaultInput): void {
    const fault = parseEntry(faultSchema, input, 'fault')
    this.#pending.push({ fault, remaining: fault.times })
  }

  /** Drops every pending fault. */
  clear(): void {
    this.#pending = []
  }

  /** Faults not yet used up, in order. */
  get pending(): Fault[] {
    return this.#pending.map((entry) => entry.fault)
  }

  /** Takes one use of the first fault matching a request (internal). */
  take(route: RouteName, clientId: string | undefined): Fault | undefined {
    const entry = this.#pending.find(
      ({ fault }) =>
        (fault.route === undefined || fault.route === route) &&
        (fault.clientId === undefined || fault.clientId.toLowerCase() === clientId),
    )
    if (!entry) return undefined
    entry.remaining -= 1
    if (entry.remaining <= 0) this.#pending = this.#pending.filter((e) => e !== entry)
    return entry.fault
  }
}
