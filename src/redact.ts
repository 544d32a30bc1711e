/**
 * Redaction for objects that hold a secret, a key, an assertion or a token: they print and serialise
 * as a safe summary, never as their contents.
 */
import { inspect } from 'node:util'

/** What a redacted value prints as. */
export const REDACTED = '[redacted]'

/**
 * Makes instances of `Class` print (`util.inspect`, and so the console) and serialise (`JSON.stringify`)
 * as `summary(instance)` instead of their own fields.
 *
 * @example
 * ```ts
 * class Secretive { constructor(readonly id: string, readonly secret: string) {} }
 * redactInstances(Secretive, (s) => ({ id: s.id, secret: REDACTED }))
 * ```
 */
export function redactInstances<T extends object>(
  Class: abstract new (...args: never[]) => T,
  summary: (instance: T) => Record<string, unknown>,
): void {
  const name = Class.name
  Object.defineProperties(Class.prototype, {
    toJSON: {
      value(this: T) {
        return summary(this)
      },
      configurable: true,
      writable: true,
    },
    [inspect.custom]: {
      value(this: T, depth: number, options: { stylize?: unknown }, inspectFn: typeof inspect = inspect) {
        const body = inspectFn(summary(this), { ...options, depth: Math.max(0, depth) })
        return `${name} ${body}`
      },
      configurable: true,
      writable: true,
    },
  })
}
