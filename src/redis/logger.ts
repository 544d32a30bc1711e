/**
 * The store's logger, guarded: a logger that throws must not make a store method reject (a store
 * promises never to), so every call to it is caught and the failure dropped.
 */
import type { Logger } from '../options.js'

const LEVELS = ['debug', 'info', 'warn', 'error'] as const

/**
 * `logger` with every method made safe to call: same levels, same `this`, never throws.
 *
 * @example
 * ```ts
 * const logger = guardLogger({ warn: () => { throw new Error('broken') } })
 * logger?.warn?.('Redis token store unavailable') // nothing thrown
 * ```
 */
export function guardLogger(logger: Logger | undefined): Logger | undefined {
  if (logger === undefined) return undefined
  const guarded: Logger = {}
  for (const level of LEVELS) {
    if (typeof logger[level] !== 'function') continue
    guarded[level] = (message, details) => {
      try {
        logger[level]?.(message, details)
      } catch {
        // a broken logger loses its line; the store goes on
      }
    }
  }
  return guarded
}
