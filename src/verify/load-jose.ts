/**
 * jose, imported on the first signature checked rather than with `/verify` (docs/architecture.md,
 * "Loading on first use"), and the reading of a compact JWT's header and payload, which needs no jose at all.
 */

/** The jose module, as `import('jose')` gives it. */
export type Jose = typeof import('jose')

let loading: Promise<Jose> | undefined

/**
 * jose, imported on the first call; the same promise after.
 *
 * @example
 * ```ts
 * const { compactVerify } = await loadJose()
 * ```
 */
export function loadJose(): Promise<Jose> {
  loading ??= import('jose')
  return loading
}

/**
 * Part `index` (0: header, 1: payload) of a compact JWS, decoded: a JSON object, or a throw when it is
 * not base64url-encoded JSON naming an object (what jose's `decodeProtectedHeader` and `decodeJwt`
 * check, without loading jose).
 *
 * @example
 * ```ts
 * const header = decodeJwtPart(token, 0) // { alg: 'RS256', kid: '…' }
 * ```
 */
export function decodeJwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split('.')[index] ?? ''
  if (part === '' || !/^[A-Za-z0-9_-]+$/.test(part)) throw new TypeError('not base64url')
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError('not an object')
  return value as Record<string, unknown>
}
