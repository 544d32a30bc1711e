/**
 * undici, imported on first use rather than with the package (docs/architecture.md, "Loading on first use"):
 * a process that never sends a request of its own (it reads a shared store, or only verifies) never loads
 * it, and the import of the main entry does not pay for it.
 */

/** The undici module, as `import('undici')` gives it. */
export type Undici = typeof import('undici')

let loading: Promise<Undici> | undefined

/**
 * undici, imported on the first call; the same promise after.
 *
 * @example
 * ```ts
 * const { request } = await loadUndici()
 * ```
 */
export function loadUndici(): Promise<Undici> {
  loading ??= import('undici')
  return loading
}
