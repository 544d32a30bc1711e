/**
 * The option names a zod schema accepts at a path, found by walking its definition (objects, optional and
 * default wrappers, pipes, unions, arrays and records): the candidates of a "did you mean …?".
 */
import type { z } from 'zod'

interface Definition {
  type: string
  shape?: Record<string, z.core.$ZodType>
  innerType?: z.core.$ZodType
  in?: z.core.$ZodType
  options?: readonly z.core.$ZodType[]
  element?: z.core.$ZodType
  valueType?: z.core.$ZodType
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'])

function definition(schema: z.core.$ZodType): Definition {
  return schema._zod.def as unknown as Definition
}

/** `schema` without its optional/default/pipe wrappers. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let at = schema
  for (;;) {
    const def = definition(at)
    const inner = WRAPPERS.has(def.type) ? def.innerType : def.type === 'pipe' ? def.in : undefined
    if (inner === undefined) return at
    at = inner
  }
}

function child(schema: z.core.$ZodType, key: PropertyKey): z.core.$ZodType | undefined {
  const def = definition(schema)
  if (def.type === 'object') return def.shape?.[String(key)]
  if (def.type === 'array') return def.element
  if (def.type === 'record') return def.valueType
  if (def.type !== 'union') return undefined
  for (const option of def.options ?? []) {
    const found = child(unwrap(option), key)
    if (found !== undefined) return found
  }
  return undefined
}

function keysOf(schema: z.core.$ZodType): string[] | undefined {
  const def = definition(schema)
  if (def.type === 'object') return Object.keys(def.shape ?? {})
  if (def.type !== 'union') return undefined
  const keys = (def.options ?? []).flatMap((option) => keysOf(unwrap(option)) ?? [])
  return keys.length > 0 ? [...new Set(keys)] : undefined
}

/**
 * The keys of the object schema at `path` inside `schema`, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * keysAt(tokenClientOptionsSchema, ['http']) // ['dispatcher', 'timeoutMs', 'retries', …]
 * ```
 */
export function keysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let at: z.core.$ZodType | undefined = unwrap(schema)
  for (const key of path) {
    at = child(at, key)
    if (at === undefined) return undefined
    at = unwrap(at)
  }
  return keysOf(at)
}
