/**
 * How a token is written in Redis: JSON, and with an encryption key AES-256-GCM. A bearer token in a
 * shared store is a credential, so an encrypted entry names its key id (keys can be rotated), and its
 * format version and Redis key are the associated data (an entry copied to another key, or relabelled
 * with another version, does not decrypt). A plain entry names its Redis key, so that one copied under
 * another key is refused too (a copy, not a forgery: whoever can write plain entries can write any
 * token). Reading never throws: an entry that cannot be read is a problem to log and a miss.
 *
 * - plain: `{"v":2,"key":"{prefix}token:{t}:…","token":{"accessToken":…,"requestedAt":…,…}}`
 * - sealed: `{"v":2,"kid":"…","iv":"…","data":"…","tag":"…"}` (base64url; `data` is the plain token JSON)
 *
 * Versions, for fleets that run two releases side by side during a rolling deploy: a release writes
 * {@link ENTRY_FORMAT} and reads it and the format before it (1: the Redis key alone as associated
 * data); an entry in a newer format is a miss that names its version (the store logs it once), never an
 * error. Fields added to a format are ignored by the readers that do not know them; the version changes
 * only when an older reader would misread an entry.
 */
import { createCipheriv, createDecipheriv, createHash, type KeyObject, randomBytes } from 'node:crypto'
import type { StoredToken } from '../store.js'

/**
 * The format version this release writes.
 *
 * @example
 * ```ts
 * // a stored entry is JSON whose `v` is its format: newer than ENTRY_FORMAT is an upgraded fleet's
 * const writtenByNewerRelease = (entry: string) => (JSON.parse(entry) as { v: number }).v > ENTRY_FORMAT
 * ```
 */
export const ENTRY_FORMAT = 2
/** The oldest format version this release reads. */
const OLDEST_READ = 1
const CIPHER = 'aes-256-gcm'
const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * The keys a store encrypts with and decrypts with.
 *
 * @example
 * ```ts
 * const { keyring } = parseRedisStoreOptions({ encryptionKey, decryptionKeys: { old: oldKey } })
 * ```
 */
export interface Keyring {
  /** The key new entries are encrypted with; `undefined`: entries are stored in plain JSON. */
  readonly current: { readonly id: string; readonly key: KeyObject } | undefined
  /** Every key entries may be decrypted with, by id (the current one included). */
  readonly byId: ReadonlyMap<string, KeyObject>
}

/**
 * An entry read back: its token, or why it cannot be used.
 *
 * @example
 * ```ts
 * const opened: OpenedEntry = openEntry(value, keyring, entryKey) // { token } or { problem: 'is not JSON' }
 * if (opened.newerFormat !== undefined) logOnce(opened.newerFormat) // written by a newer release
 * ```
 */
export type OpenedEntry =
  | { token: StoredToken; problem?: undefined; newerFormat?: undefined }
  | { token?: undefined; problem: string; newerFormat?: number | undefined }

/**
 * The default id of an encryption key: a short fingerprint of it (48 bits of a SHA-256 digest).
 *
 * @example
 * ```ts
 * keyIdOf(Buffer.alloc(32)) // 'Xx9kQ2aB' (8 base64url characters)
 * ```
 */
export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256')
    .update('oauth-client-credentials/redis key id\u0000')
    .update(key)
    .digest('base64url')
    .slice(0, 8)
}

/**
 * `token` as the string to store at `entryKey`: encrypted with the keyring's current key, if any.
 *
 * @example
 * ```ts
 * const value = sealEntry(token, keyring, 'oauth-client-credentials:token:q3…')
 * ```
 */
export function sealEntry(token: StoredToken, keyring: Keyring, entryKey: string): string {
  const fields = {
    accessToken: token.accessToken,
    requestedAt: token.requestedAt,
    refreshAt: token.refreshAt,
    expiresAt: token.expiresAt,
    scope: token.scope,
    tenant: token.tenant,
  }
  const { current } = keyring
  if (current === undefined) return JSON.stringify({ v: ENTRY_FORMAT, key: entryKey, token: fields })
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv(CIPHER, current.key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(associatedData(ENTRY_FORMAT, entryKey))
  const data = Buffer.concat([cipher.update(JSON.stringify(fields)), cipher.final()])
  return JSON.stringify({
    v: ENTRY_FORMAT,
    kid: current.id,
    iv: iv.toString('base64url'),
    data: data.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  })
}

/**
 * The token in `value` (the string stored at `entryKey`), or the reason it cannot be used.
 *
 * @example
 * ```ts
 * const { token, problem } = openEntry(value, keyring, entryKey)
 * if (problem) logger.warn(`Unreadable token entry: ${problem}`)
 * ```
 */
export function openEntry(value: string, keyring: Keyring, entryKey: string): OpenedEntry {
  let envelope: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(value)
    if (typeof parsed !== 'object' || parsed === null) return { problem: 'is not a JSON object' }
    envelope = parsed as Record<string, unknown>
  } catch {
    return { problem: 'is not JSON' }
  }
  const { v } = envelope
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > ENTRY_FORMAT) {
    return { problem: `is in format version ${v}, newer than this release reads`, newerFormat: v }
  }
  if (v !== ENTRY_FORMAT && v !== OLDEST_READ)
    return { problem: `has an unknown format version (${quote(v)})` }
  if (envelope.kid === undefined) {
    if (keyring.current !== undefined) return { problem: 'is not encrypted while encryption is on' }
    return bound(checked(envelope.token), envelope.key, entryKey)
  }
  return decrypt(envelope, keyring, associatedData(v, entryKey))
}

/** What an entry's encryption is bound to: its Redis key, and from format 2 on its version. */
function associatedData(version: number, entryKey: string): Buffer {
  return Buffer.from(version === OLDEST_READ ? entryKey : `v${version}\u0000${entryKey}`)
}

function decrypt(envelope: Record<string, unknown>, keyring: Keyring, aad: Buffer): OpenedEntry {
  const { kid, iv, data, tag } = envelope
  if (
    typeof kid !== 'string' ||
    typeof iv !== 'string' ||
    typeof data !== 'string' ||
    typeof tag !== 'string'
  ) {
    return { problem: 'is not a valid encrypted entry' }
  }
  if (keyring.current === undefined) return { problem: 'is encrypted, but no encryptionKey is configured' }
  const key = keyring.byId.get(kid)
  if (key === undefined) return { problem: `is encrypted with key id ${quote(kid)}, which is not configured` }
  let plain: string
  try {
    const decipher = createDecipheriv(CIPHER, key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES })
    decipher.setAAD(aad)
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString()
  } catch {
    return {
      problem: `does not decrypt with key id ${quote(kid)} (another key under the same id, or tampered)`,
    }
  }
  try {
    return checked(JSON.parse(plain))
  } catch {
    return { problem: 'decrypts to something that is not JSON' }
  }
}

/** A plain entry's token, if the entry names the Redis key it was read from. */
function bound(opened: OpenedEntry, key: unknown, entryKey: string): OpenedEntry {
  if (opened.problem !== undefined) return opened
  if (key === undefined) return { problem: 'names no key (written by an older version, or by hand)' }
  if (key !== entryKey) return { problem: `belongs to another key (${quote(key)}): copied, not written here` }
  return opened
}

/** How many characters of a value read from Redis a problem quotes. */
const QUOTED_CHARS = 40

/**
 * A value read from Redis, for a log line: a string quoted and clipped, a number as is, anything
 * else by its type. Never `String(value)`: `{"toString":1}` makes that throw.
 */
function quote(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value)
  if (typeof value !== 'string') return Array.isArray(value) ? 'a list' : `a ${typeof value}`
  const clipped = value.length > QUOTED_CHARS ? `${value.slice(0, QUOTED_CHARS)}…` : value
  return `'${clipped.replace(/[^\x20-\x7e]/g, '?')}'`
}

/** `value` as a stored token, if it is one. */
function checked(value: unknown): OpenedEntry {
  const problem = { problem: 'does not hold a valid token' }
  if (typeof value !== 'object' || value === null) return problem
  const { accessToken, requestedAt, refreshAt, expiresAt, scope, tenant } = value as Record<string, unknown>
  if (typeof accessToken !== 'string' || accessToken === '' || typeof scope !== 'string') return problem
  if (typeof requestedAt !== 'number' || typeof refreshAt !== 'number' || typeof expiresAt !== 'number') {
    return problem
  }
  if (![requestedAt, refreshAt, expiresAt].every(Number.isFinite)) return problem
  if (tenant !== undefined && typeof tenant !== 'string') return problem
  return { token: { accessToken, requestedAt, refreshAt, expiresAt, scope, tenant } }
}
