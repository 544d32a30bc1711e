/**
 * zod, loaded on the first schema built rather than with the package, and schemas built on first use and
 * kept (docs/architecture.md, "Loading on first use"): importing the main entry evaluates none of zod, and
 * a constructor validates through schemas built once per process.
 *
 * The load is synchronous (a constructor validates synchronously): `require` of the very module file an
 * `import 'zod'` would load (zod's ES module under ESM, through Node's `require(esm)`; its CommonJS build
 * under CommonJS), so an app that also imports zod, or `/verify`, shares one copy with the client.
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { z } from 'zod'

/** zod's `z` namespace. */
export type Zod = typeof z

let loaded: Zod | undefined

/**
 * zod's `z`, loaded on the first call.
 *
 * @example
 * ```ts
 * const name = zod().string().min(1)
 * ```
 */
export function zod(): Zod {
  loaded ??= loadZod()
  return loaded
}

function loadZod(): Zod {
  const require = createRequire(import.meta.url)
  // ESM: import.meta.resolve names zod's ES module; the CommonJS build has no import.meta.resolve
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve
  const file = typeof resolve === 'function' ? fileURLToPath(resolve('zod')) : 'zod'
  return (require(file) as { z: Zod }).z
}

/**
 * A schema built by `build` on the first call, the same schema after.
 *
 * @example
 * ```ts
 * export const nameSchema = lazySchema((z) => z.string().min(1))
 * nameSchema().parse('x')
 * ```
 */
export function lazySchema<T>(build: (z: Zod) => T): () => T {
  let schema: { value: T } | undefined
  return () => {
    schema ??= { value: build(zod()) }
    return schema.value
  }
}
