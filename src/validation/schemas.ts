/**
 * The small schemas that several option sets share (the client's, `authorizedFetch`'s, the interceptor's,
 * verify's): written once here, so that a value is checked, and refused with the same words, everywhere.
 */

import type { Clock } from '../clock.js'
import { lazySchema } from './zod.js'

/**
 * A non-empty string.
 *
 * @example
 * ```ts
 * z.strictObject({ audience: nonEmpty() })
 * ```
 */
export const nonEmpty = lazySchema((z) => z.string().min(1))

/**
 * One non-empty string or a non-empty list of them (scopes, resources, audiences).
 *
 * @example
 * ```ts
 * z.strictObject({ scope: oneOrMore().optional() })
 * ```
 */
export const oneOrMore = lazySchema((z) => z.union([nonEmpty(), z.array(nonEmpty()).min(1)]))

/**
 * A time source: `{ now() }` returning epoch milliseconds. Every option set takes time this one way.
 *
 * @example
 * ```ts
 * z.strictObject({ clock: clockSchema().optional() })
 * ```
 */
export const clockSchema = lazySchema((z) =>
  z.custom<Clock>(
    (value) => typeof (value as Partial<Clock> | null)?.now === 'function',
    'must be an object with a now() method returning epoch milliseconds',
  ),
)
