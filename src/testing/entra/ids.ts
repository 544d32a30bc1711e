/**
 * Identifiers and time formats the local authority puts on the wire: GUIDs, opaque claim values,
 * and the `"YYYY-MM-DD HH:MM:SSZ"` timestamp of Entra error bodies.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'

// Deliberate copy: the emulator shares no protocol code with the client (docs/architecture.md)
// (the client's: isGuid in src/authority.ts)
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A new random GUID (lower case), as Entra uses for trace and correlation ids.
 *
 * @example
 * ```ts
 * newGuid() // 'a8b1c0de-…'
 * ```
 */
export function newGuid(): string {
  return randomUUID()
}

/**
 * Whether a string has the GUID shape `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (any version).
 *
 * @example
 * ```ts
 * isGuid('f6aba1d9-da41-4ea3-8f30-4970725586a8') // true
 * ```
 */
export function isGuid(value: string): boolean {
  return GUID.test(value)
}

/**
 * A stable GUID derived from a seed, so that a service principal keeps the same object id in a
 * tenant across runs.
 *
 * @example
 * ```ts
 * stableGuid('sp:tenant:client') === stableGuid('sp:tenant:client') // true
 * ```
 */
export function stableGuid(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * `length` random bytes as base64url, for opaque claims (`uti`, `aio`, `rh`).
 *
 * @example
 * ```ts
 * randomOpaque(16) // 'k3Jx…' (22 characters)
 * ```
 */
export function randomOpaque(length: number): string {
  return randomBytes(length).toString('base64url')
}

/**
 * Formats an instant as Entra's error timestamp, `"YYYY-MM-DD HH:MM:SSZ"`.
 *
 * @example
 * ```ts
 * formatErrorTimestamp(Date.UTC(2024, 4, 1, 12, 0, 0)) // '2024-05-01 12:00:00Z'
 * ```
 */
export function formatErrorTimestamp(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z')
}

/**
 * Epoch milliseconds to whole epoch seconds, as JWT claims use.
 *
 * @example
 * ```ts
 * toEpochSeconds(1_700_000_000_999) // 1700000000
 * ```
 */
export function toEpochSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000)
}
