/**
 * Every way a value can be printed: `util.inspect` to any depth with hidden properties and getters
 * (with and without custom inspection), `JSON.stringify`, `String`; for errors also the message, the
 * stack and the same for each cause (and aggregated error), recursively.
 */
import { inspect } from 'node:util'

export const DEEP = {
  depth: Number.POSITIVE_INFINITY,
  showHidden: true,
  getters: true,
  maxArrayLength: Number.POSITIVE_INFINITY,
  maxStringLength: Number.POSITIVE_INFINITY,
  breakLength: Number.POSITIVE_INFINITY,
} as const

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch (error) {
    return `(not serialisable: ${String(error)})`
  }
}

/**
 * A value as inspect, JSON and String print it; unless `redactingItself`, also as inspect prints it
 * with custom inspection off (which shows a secret kept in a property of an object that does not
 * redact itself, such as an error holding a token).
 */
export function renderings(value: unknown, redactingItself = false): string[] {
  if (value === undefined) return []
  const out = [inspect(value, DEEP), json(value), String(value)]
  if (!redactingItself) out.push(inspect(value, { ...DEEP, customInspect: false }))
  return out
}

/** An error and, recursively, its causes and aggregated errors: message, stack and every rendering. */
export function errorRenderings(error: unknown, seen = new Set<unknown>()): string[] {
  if (error === undefined || error === null || seen.has(error)) return []
  seen.add(error)
  const out = renderings(error)
  if (error instanceof Error) {
    out.push(error.message, error.stack ?? '')
    out.push(...errorRenderings(error.cause, seen))
    if (error instanceof AggregateError)
      for (const inner of error.errors) out.push(...errorRenderings(inner, seen))
  } else if (typeof error === 'object' && 'cause' in error) {
    out.push(...errorRenderings((error as { cause?: unknown }).cause, seen))
  }
  return out
}
