/**
 * The faults the page may queue: the common ones (429 with `Retry-After`, 503, a dropped
 * connection) on the token route, a few times at most. Anything else is refused with the field named.
 */
import { z } from 'zod'
import type { FaultInput } from '../faults/queue.js'

const consoleFaultSchema = z
  .strictObject({
    kind: z.enum(['status429', 'status503', 'drop']),
    route: z.literal('token').default('token'),
    retryAfter: z.number().int().min(0).max(86_400).optional(),
    times: z.number().int().min(1).max(100).default(1),
    clientId: z.string().min(1).max(100).optional(),
  })
  .refine((fault) => fault.kind !== 'drop' || fault.retryAfter === undefined, {
    error: 'a dropped connection has no Retry-After',
    path: ['retryAfter'],
  })

/**
 * Reads a fault sent by the page; returns the fault to queue or the reason it is refused.
 *
 * @example
 * ```ts
 * consoleFault({ kind: 'status429', retryAfter: 5 }) // { fault: { kind: 'status429', route: 'token', retryAfter: 5, times: 1 } }
 * consoleFault({ kind: 'latency' }) // { error: 'kind: …' }
 * ```
 */
export function consoleFault(input: unknown): { fault: FaultInput } | { error: string } {
  const parsed = consoleFaultSchema.safeParse(input)
  if (parsed.success) {
    const { clientId, retryAfter, ...rest } = parsed.data
    return {
      fault: {
        ...rest,
        ...(clientId === undefined ? {} : { clientId }),
        ...(retryAfter === undefined ? {} : { retryAfter }),
      },
    }
  }
  const issue = parsed.error.issues[0]
  const where = issue?.path.length ? issue.path.join('.') : 'fault'
  return { error: `${where}: ${issue?.message ?? 'invalid'}` }
}
