/**
 * The options of `createRedisStore`, as a zod schema (one source of truth for validation and types),
 * and the settings they resolve to. A failure throws one `ConfigurationError` naming the option; no
 * key is ever echoed.
 */

import { createSecretKey } from 'node:crypto'
import { z } from 'zod'
import type { Logger } from '../options.js'
import { parseWith } from '../validation/parse.js'
import { type Keyring, keyIdOf } from './envelope.js'
import { DEFAULT_PREFIX } from './keys.js'
import { guardLogger } from './logger.js'

/**
 * Default: the longest a Redis command may take before the store goes on without Redis, ms.
 *
 * @example
 * ```ts
 * createRedisStore(redis, { operationTimeoutMs: 2 * DEFAULT_OPERATION_TIMEOUT_MS }) // a Redis far away
 * ```
 */
export const DEFAULT_OPERATION_TIMEOUT_MS = 200
/**
 * Default: how long a process may hold a key's lease (fetch its token for the fleet), ms.
 *
 * @example
 * ```ts
 * createRedisStore(redis, { leaseMs: DEFAULT_LEASE_MS * 3 }) // an authority that answers slowly
 * ```
 */
export const DEFAULT_LEASE_MS = 10_000
/**
 * Default: how long a process waits for another's token before requesting its own, ms.
 *
 * @example
 * ```ts
 * createRedisStore(redis, { waitMs: DEFAULT_WAIT_MS / 3 })
 * ```
 */
export const DEFAULT_WAIT_MS = 15_000

const KEY_BYTES = 32
const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/
const KEY_PROBLEM = 'must be 32 bytes: a Buffer, or a base64 string of 32 bytes (openssl rand -base64 32)'

/**
 * An AES-256 key: 32 bytes, or their base64 (or base64url).
 *
 * @example
 * ```ts
 * const key: EncryptionKeyInput = process.env.TOKEN_CACHE_KEY! // from `openssl rand -base64 32`
 * ```
 */
export type EncryptionKeyInput = Uint8Array | string

const keySchema = z.custom<EncryptionKeyInput>((value) => keyBytes(value) !== undefined, KEY_PROBLEM)

const loggerSchema = z.custom<Logger>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['debug', 'info', 'warn', 'error'].some(
      (m) => typeof (value as Record<string, unknown>)[m] === 'function',
    ),
  'must be an object with at least one of debug, info, warn, error as functions (console works)',
)

/**
 * The options of `createRedisStore`.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { prefix: 'orders-api:', encryptionKey: process.env.TOKEN_KEY!, logger: console }
 * ```
 */
export const redisStoreOptionsSchema = z
  .strictObject({
    /**
     * Prepended to every Redis key and channel of the store; without braces (the store adds a hash tag of
     * its own, so that a token's keys and channel share a Redis Cluster slot).
     * @defaultValue 'oauth-client-credentials:'
     */
    prefix: z
      .string()
      .min(1, 'is empty')
      .regex(/^[^{}]*$/, 'must not contain { or }: the store adds its own hash tag to every key')
      .optional(),
    /**
     * Encrypts tokens at rest (AES-256-GCM): 32 bytes, as a Buffer or base64. Every process of the fleet
     * needs it; entries not encrypted with a known key read as misses. @defaultValue none: plain JSON
     */
    encryptionKey: keySchema.optional(),
    /** The id stored with each entry, naming `encryptionKey`. @defaultValue a fingerprint of the key */
    keyId: z
      .string()
      .regex(/^[\w.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores')
      .optional(),
    /**
     * Former keys, still accepted for reading while a rotation rolls out: by id, or a list (ids are
     * their fingerprints, the default `keyId`).
     */
    decryptionKeys: z.union([z.array(keySchema), z.record(z.string(), keySchema)]).optional(),
    /** The longest one Redis command may take before the store goes on without Redis, ms. @defaultValue 200 */
    operationTimeoutMs: z.int().positive().optional(),
    /** How long one process may hold a key's lease while it requests the token, ms. @defaultValue 10000 */
    leaseMs: z.int().positive().optional(),
    /** How long a process waits for the leaseholder's token before requesting its own, ms. @defaultValue 15000 */
    waitMs: z.int().nonnegative().optional(),
    /** Wake waiting processes through pub/sub (else they only poll, every 100 ms). @defaultValue true */
    pubSub: z.boolean().optional(),
    /** Where outages, recoveries and unreadable entries are reported. @defaultValue nothing is logged */
    logger: loggerSchema.optional(),
  })
  .check((ctx) => {
    const o = ctx.value
    if (o.encryptionKey !== undefined) return
    for (const path of ['keyId', 'decryptionKeys'] as const) {
      if (o[path] !== undefined) {
        ctx.issues.push({ code: 'custom', input: undefined, path: [path], message: 'needs encryptionKey' })
      }
    }
  })

/**
 * The options of `createRedisStore` (see {@link redisStoreOptionsSchema}).
 *
 * @example
 * ```ts
 * const [newKey, oldKey] = [process.env.TOKEN_KEY_2026_02!, process.env.TOKEN_KEY_2026_01!]
 * const options: RedisStoreOptions = { encryptionKey: newKey, keyId: '2026-02', decryptionKeys: { '2026-01': oldKey } }
 * ```
 */
export type RedisStoreOptions = z.input<typeof redisStoreOptionsSchema>

/**
 * The options, validated and resolved.
 *
 * @example
 * ```ts
 * const settings: RedisStoreSettings = parseRedisStoreOptions({ leaseMs: 5_000 })
 * ```
 */
export interface RedisStoreSettings {
  readonly prefix: string
  readonly keyring: Keyring
  readonly operationTimeoutMs: number
  readonly leaseMs: number
  readonly waitMs: number
  readonly pubSub: boolean
  readonly logger: Logger | undefined
}

/**
 * Validates `input` (throwing one `ConfigurationError` naming the option) and resolves the defaults.
 *
 * @example
 * ```ts
 * parseRedisStoreOptions({ encryptionKey: process.env.TOKEN_KEY! }).keyring.current?.id
 * ```
 */
export function parseRedisStoreOptions(input: unknown): RedisStoreSettings {
  const o = parseWith(redisStoreOptionsSchema, input ?? {}, 'createRedisStore options')
  return {
    prefix: o.prefix ?? DEFAULT_PREFIX,
    keyring: keyringOf(o.encryptionKey, o.keyId, o.decryptionKeys),
    operationTimeoutMs: o.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
    leaseMs: o.leaseMs ?? DEFAULT_LEASE_MS,
    waitMs: o.waitMs ?? DEFAULT_WAIT_MS,
    pubSub: o.pubSub ?? true,
    logger: guardLogger(o.logger),
  }
}

function keyringOf(
  encryptionKey: EncryptionKeyInput | undefined,
  keyId: string | undefined,
  decryptionKeys: EncryptionKeyInput[] | Record<string, EncryptionKeyInput> | undefined,
): Keyring {
  const bytes = encryptionKey === undefined ? undefined : keyBytes(encryptionKey)
  if (bytes === undefined) return { current: undefined, byId: new Map() }
  const current = { id: keyId ?? keyIdOf(bytes), key: createSecretKey(bytes) }
  const byId = new Map([[current.id, current.key]])
  const former = Array.isArray(decryptionKeys)
    ? decryptionKeys.map((key) => [undefined, key] as const)
    : Object.entries(decryptionKeys ?? {})
  for (const [id, key] of former) {
    const raw = keyBytes(key)
    if (raw === undefined) continue // validated by the schema
    const kid = id ?? keyIdOf(raw)
    if (!byId.has(kid)) byId.set(kid, createSecretKey(raw))
  }
  return { current, byId }
}

/** The 32 bytes of a key given as bytes or base64, or `undefined` if it is not one. */
function keyBytes(value: unknown): Buffer | undefined {
  let bytes: Buffer | undefined
  if (value instanceof Uint8Array) bytes = Buffer.from(value)
  else if (typeof value === 'string' && BASE64.test(value.trim())) bytes = Buffer.from(value.trim(), 'base64')
  return bytes?.length === KEY_BYTES ? bytes : undefined
}
